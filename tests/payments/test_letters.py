"""PDF letters and sheets: what they say in three scripts, their fonts, escaping, access.

Text is read back from the PDFs with pypdf. One of each document in English, Russian and
Chinese is also drawn to tests/artifacts/letters-*.png (with poppler's pdftoppm) for a
person to look at.
"""

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money
from pypdf import PdfReader

from accounts.audit import AuditEntry
from payments import letters
from payments.documents import (
    DocumentUnavailable,
    award_letter_data,
    budget_summary_data,
    per_diem_sheet_data,
)
from scholarships.enums import ApplicationStatus, Coverage, Outcome, Reply, SupportKind
from scholarships.models import Application, Decision, TravellerDetails
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.helpers import sign_in
from tests.test_discretion import BANNED

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
STANDARD_14 = re.compile(r"Helvetica|Times|Courier|Symbol|ZapfDingbats")
HOSTILE = 'Ana & <img src="{path}"/> Ndiaye'

CONFERENCE = letters.ConferenceDetails(
    name="International AIDS Conference",
    acronym="AIDS 2028",
    city="Cape Town",
    country="ZA",
    venue="Cape Town International Convention Centre",
    start_date=datetime.date(2028, 7, 23),
    end_date=datetime.date(2028, 7, 28),
)
# language → (name, the amount 1234.50 USD as printed, the conference's first day, country)
SCRIPTS = {
    "en": ("Ana Ndiaye", "1,234.50 USD", "23 July 2028", "South Africa"),
    "ru": ("Анна Иванова", "1 234,50 USD", "23 июля 2028", "Южная Африка"),
    "zh-hans": ("王小明", "1,234.50 USD", "2028年7月23日", "南非"),
}


def usd(value):
    return letters.Amount(Decimal(value), "USD")


def award_letter(language, name, **overrides):
    data = {
        "language": language,
        "reference": "7C9E6679",
        "scholar_name": name,
        "call_name": "Travel scholarships 2028",
        "conference": CONFERENCE,
        "full_award": True,
        "covers": (
            letters.CoveredItem("Airfare", usd("1234.50")),
            letters.CoveredItem("Per diem", letters.Amount(Decimal("540"), "ZAR")),
            letters.CoveredItem("Registration"),
        ),
        "issued_on": datetime.date(2028, 5, 2),
    }
    return letters.AwardLetter(**(data | overrides))


def visa_letter(language, name, **overrides):
    data = {
        "language": language,
        "reference": "7C9E6679",
        "legal_name": name,
        "nationality": "SN",
        "date_of_birth": "1990-04-02",
        "passport_number": "A1234567",
        "passport_expires_on": "2035-01-01",
        "call_name": "Travel scholarships 2028",
        "conference": CONFERENCE,
        "covers": ("Airfare", "Visa fee"),
        "issued_on": datetime.date(2028, 5, 2),
    }
    return letters.VisaLetter(**(data | overrides))


def per_diem_sheet(language, name):
    names = [name, "Олег Петров", "李华", "María José Pérez"]
    rows = tuple(letters.PerDiemRow(each, usd("1234.50")) for each in names)
    return letters.PerDiemSheet(
        language, "Travel scholarships 2028", CONFERENCE, rows, datetime.date(2028, 7, 23)
    )


def budget_summary(language, region):
    rows = (
        letters.BudgetRow("7C9E6679", region, usd("1234.50"), usd("1000")),
        letters.BudgetRow("0B1D2F3A", region, letters.Amount(Decimal("900"), "EUR"), None),
        letters.BudgetRow("5E6F7A8B", region, usd("0.50"), None),
    )
    return letters.BudgetSummary(
        language, "Travel scholarships 2028", CONFERENCE, rows, datetime.date(2028, 7, 1)
    )


def text_of(pdf):
    """The PDF's text with runs of white space (no-break spaces too) made one space."""
    content = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", content)


def fonts_of(pdf):
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_award_letter_names_the_scholar_amounts_and_conference_in_their_script(language):
    name, amount, first_day, country = SCRIPTS[language]

    text = text_of(letters.render_award_letter(award_letter(language, name)))

    assert name in text
    assert amount in text
    assert first_day in text and country in text
    assert "AIDS 2028" in text and "Cape Town International Convention Centre" in text
    assert "Travel scholarships 2028" in text and "7C9E6679" in text


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_visa_letter_carries_the_passport_details_for_the_embassy(language):
    name, _amount, first_day, country = SCRIPTS[language]

    text = text_of(letters.render_visa_letter(visa_letter(language, name)))

    assert name in text and "A1234567" in text
    assert first_day in text and country in text
    birth = {"en": "2 April 1990", "ru": "2 апреля 1990", "zh-hans": "1990年4月2日"}[language]
    assert birth in text


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_per_diem_sheet_has_a_row_and_an_amount_per_scholar_and_the_total(language):
    name, amount, _first_day, _country = SCRIPTS[language]

    text = text_of(letters.render_per_diem_sheet(per_diem_sheet(language, name)))

    for scholar in [name, "Олег Петров", "李华", "María José Pérez"]:
        assert scholar in text
    assert text.count(amount) == 4
    total = {"en": "4,938.00 USD", "ru": "4 938,00 USD", "zh-hans": "4,938.00 USD"}[language]
    assert total in text


@pytest.mark.parametrize("language", SCRIPTS)
def test_the_budget_summary_totals_each_currency_apart(language):
    region = {"en": "Africa", "ru": "Африка", "zh-hans": "非洲"}[language]

    text = text_of(letters.render_budget_summary(budget_summary(language, region)))

    assert "7C9E6679" in text and region in text
    totals = {
        "en": ["1,235.00 USD", "900.00 EUR", "1,000.00 USD"],
        "ru": ["1 235,00 USD", "900,00 EUR", "1 000,00 USD"],
        "zh-hans": ["1,235.00 USD", "900.00 EUR", "1,000.00 USD"],
    }[language]
    for total in totals:
        assert total in text
    assert "2,135" not in text and "2 135" not in text  # never USD + EUR


def test_currencies_without_cents_are_printed_without_them():
    with letters.translation.override("en"):
        assert letters.format_amount(letters.Amount(Decimal("150000"), "XOF")) == "150,000\xa0XOF"


@pytest.mark.parametrize(
    "render",
    [
        lambda: letters.render_award_letter(award_letter("zh-hans", "王小明")),
        lambda: letters.render_visa_letter(visa_letter("ru", "Анна Иванова")),
        lambda: letters.render_per_diem_sheet(per_diem_sheet("en", "Ana Ndiaye")),
        lambda: letters.render_budget_summary(budget_summary("en", "Africa")),
    ],
    ids=["award", "visa", "per-diem", "budget"],
)
def test_every_font_is_embedded_and_no_standard_font_is_named(render):
    fonts = fonts_of(render())

    assert fonts
    for font in fonts:
        assert not STANDARD_14.search(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_a_name_with_markup_prints_as_typed_and_opens_no_file(tmp_path, monkeypatch):
    # A real image (a short relative path, so that no line break falls inside it): were
    # the markup obeyed, reportlab would embed it.
    monkeypatch.chdir(tmp_path)
    image = "s.png"
    Path(image).write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db0000000"
            "0049454e44ae426082"
        )
    )
    name = HOSTILE.format(path=image)

    for pdf in [
        letters.render_award_letter(award_letter("en", name)),
        letters.render_visa_letter(visa_letter("en", name, passport_number="<b>X1</b>")),
        letters.render_per_diem_sheet(per_diem_sheet("en", name)),
        letters.render_budget_summary(budget_summary("en", f"<i>{name}</i>")),
    ]:
        text = text_of(pdf)
        assert f'Ana & <img src="{image}"/> Ndiaye' in text
        assert not re.search(rb"/Subtype\s*/Image\b", pdf) and b"/XObject" not in pdf


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "zh-hans"])
def test_no_letter_names_sex_work(language):
    for pdf in [
        letters.render_award_letter(award_letter(language, "Ana")),
        letters.render_award_letter(award_letter(language, "Ana", full_award=False)),
        letters.render_visa_letter(visa_letter(language, "Ana")),
        letters.render_per_diem_sheet(per_diem_sheet(language, "Ana")),
        letters.render_budget_summary(budget_summary(language, "Africa")),
    ]:
        assert not BANNED.search(text_of(pdf))


def test_two_hundred_scholars_run_onto_more_pages_with_the_header_repeated():
    rows = tuple(letters.PerDiemRow(f"Scholar {n}", usd("10")) for n in range(200))
    sheet = letters.PerDiemSheet(
        "en", "Travel scholarships 2028", CONFERENCE, rows, datetime.date(2028, 7, 23)
    )

    reader = PdfReader(io.BytesIO(letters.render_per_diem_sheet(sheet)))

    assert len(reader.pages) > 5
    assert all("Signature" in page.extract_text() for page in reader.pages)
    assert "2,000.00 USD" in reader.pages[-1].extract_text()


def test_each_document_is_drawn_to_png_for_a_person_to_look_at():
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is not installed: no PNGs drawn")
    ARTIFACTS.mkdir(exist_ok=True)
    for language, (name, _amount, _day, _country) in SCRIPTS.items():
        region = {"en": "Africa", "ru": "Африка", "zh-hans": "非洲"}[language]
        documents = {
            "award": letters.render_award_letter(award_letter(language, name)),
            "visa": letters.render_visa_letter(visa_letter(language, name)),
            "per-diem": letters.render_per_diem_sheet(per_diem_sheet(language, name)),
            "budget": letters.render_budget_summary(budget_summary(language, region)),
        }
        for document, pdf in documents.items():
            stem = ARTIFACTS / f"letters-{document}-{language}"
            stem.with_suffix(".pdf").write_bytes(pdf)
            subprocess.run(
                [pdftoppm, "-png", "-r", "80", "-singlefile", str(stem) + ".pdf", str(stem)],
                check=True,
            )
            assert stem.with_suffix(".png").stat().st_size > 1000


# From the models, through the views ------------------------------------------------------


@pytest.fixture
def awardee():
    """An accepted, released full award; the awardee reads Russian."""
    call = CallFactory(
        public_name={"en": "Health travel grants", "ru": "Гранты на поездку"},
        support_offered=[SupportKind.AIRFARE.value, SupportKind.PER_DIEM.value],
    )
    application = ApplicationFactory(
        call=call,
        applicant=UserFactory(preferred_language="ru", display_name="Аня"),
        status=ApplicationStatus.AWARDED,
        support_requested=[SupportKind.AIRFARE.value, SupportKind.PER_DIEM.value],
    )
    Decision.objects.create(
        application=application,
        outcome=Outcome.AWARD,
        coverage=Coverage.FULL,
        covers=list(application.support_requested),
        reply_by=timezone.localdate() + datetime.timedelta(days=10),
        reply=Reply.ACCEPTED,
        replied_at=timezone.now(),
        released_at=timezone.now(),
    )
    # Read back: the factory's instance holds the call's texts as plain dicts.
    return Application.objects.get(pk=application.pk)


def give_travel_details(application, legal_name="Анна Иванова"):
    return TravellerDetails.objects.create(
        application=application,
        legal_name=legal_name,
        nationality="KZ",
        date_of_birth="1990-04-02",
        passport_number="N1234567",
        passport_expires_on="2035-01-01",
    )


def url(name, application):
    return reverse(f"payments:{name}", kwargs={"public_id": application.public_id})


def test_the_awardee_downloads_their_award_letter_in_their_language(client, awardee):
    sign_in(client, awardee.applicant)

    response = client.get(url("award-letter", awardee))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reference = str(awardee.public_id)[:8].upper()
    assert response["Content-Disposition"] == f'attachment; filename="letter-{reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = text_of(response.content)
    assert "Аня" in text and "Гранты на поездку" in text and "Южная Африка" in text
    entry = AuditEntry.objects.get(action="letter.award_downloaded")
    assert entry.actor == awardee.applicant and entry.object_id == str(awardee.public_id)


def test_the_visa_letter_waits_for_travel_details_then_uses_the_passport_name(client, awardee):
    sign_in(client, awardee.applicant)
    assert client.get(url("visa-letter", awardee)).status_code == 404

    give_travel_details(awardee)
    response = client.get(url("visa-letter", awardee))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="invitation-')
    text = text_of(response.content)
    assert "Анна Иванова" in text and "N1234567" in text and "Казахстан" in text
    assert AuditEntry.objects.filter(action="letter.visa_downloaded").count() == 1


def test_another_persons_letters_are_not_found(client, awardee):
    give_travel_details(awardee)
    for who in [UserFactory(), UserFactory(reviewer=True), UserFactory(admin=True)]:
        sign_in(client, who)
        assert client.get(url("award-letter", awardee)).status_code == 404
        assert client.get(url("visa-letter", awardee)).status_code == 404
    assert not AuditEntry.objects.filter(action__startswith="letter.").exists()


@pytest.mark.parametrize("reply", [Reply.PENDING, Reply.DECLINED])
def test_an_award_not_accepted_has_no_letter(client, awardee, reply):
    Decision.objects.filter(application=awardee).update(reply=reply)
    sign_in(client, awardee.applicant)

    assert client.get(url("award-letter", awardee)).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "finance"])
def test_coordinators_and_finance_download_anyones_letters(client, awardee, role):
    give_travel_details(awardee)
    staff = UserFactory(**{role: True})
    sign_in(client, staff)

    assert client.get(url("award-letter", awardee)).status_code == 200
    assert client.get(url("visa-letter", awardee)).status_code == 200
    assert sorted(
        AuditEntry.objects.filter(actor=staff, action__endswith="downloaded").values_list(
            "action", flat=True
        )
    ) == ["letter.award_downloaded", "letter.visa_downloaded"]


def test_only_finance_downloads_the_calls_sheets(client, awardee):
    give_travel_details(awardee, legal_name='Ana & <img src="/etc/passwd"/>')
    slug = awardee.call.slug
    sheet_url = reverse("payments:per-diem-sheet", kwargs={"slug": slug})
    summary_url = reverse("payments:budget-summary", kwargs={"slug": slug})
    sign_in(client, UserFactory(coordinator=True))
    assert client.get(sheet_url).status_code == client.get(summary_url).status_code == 403

    finance = UserFactory(finance=True)
    sign_in(client, finance)
    sheet, summary = client.get(sheet_url), client.get(summary_url)

    assert sheet.status_code == summary.status_code == 200
    assert 'Ana & <img src="/etc/passwd"/>' in text_of(sheet.content)
    assert str(awardee.public_id)[:8].upper() in text_of(summary.content)
    assert sheet["Content-Disposition"] == 'attachment; filename="acknowledgement-sheet.pdf"'
    assert summary["Content-Disposition"] == 'attachment; filename="budget-summary.pdf"'
    assert sorted(
        AuditEntry.objects.filter(actor=finance, action__endswith="downloaded").values_list(
            "action", flat=True
        )
    ) == ["budget_summary.downloaded", "per_diem_sheet.downloaded"]


def test_applicants_and_reviewers_may_not_download_a_calls_sheets(client, awardee):
    for who in [awardee.applicant, UserFactory(reviewer=True)]:
        sign_in(client, who)
        for name in ["payments:per-diem-sheet", "payments:budget-summary"]:
            response = client.get(reverse(name, kwargs={"slug": awardee.call.slug}))
            assert response.status_code == 403


def test_the_per_diem_sheet_lists_accepted_awards_paying_a_per_diem_by_name(awardee):
    give_travel_details(awardee)
    partial = ApplicationFactory(call=awardee.call, status=ApplicationStatus.AWARDED)
    Decision.objects.create(
        application=partial,
        outcome=Outcome.AWARD,
        coverage=Coverage.PARTIAL,
        covers=[SupportKind.AIRFARE.value],
        reply_by=timezone.localdate(),
        reply=Reply.ACCEPTED,
        released_at=timezone.now(),
    )

    sheet = per_diem_sheet_data(awardee.call, language="en")

    assert [row.name for row in sheet.rows] == ["Анна Иванова"]
    assert sheet.rows[0].amount is None  # written by hand until budgets give it


def test_the_budget_summary_lists_standing_awards_and_says_when_amounts_are_unknown(awardee):
    declined = ApplicationFactory(call=awardee.call, status=ApplicationStatus.DECLINED)
    Decision.objects.create(
        application=declined,
        outcome=Outcome.AWARD,
        coverage=Coverage.FULL,
        reply_by=timezone.localdate(),
        reply=Reply.DECLINED,
        released_at=timezone.now(),
    )

    summary = budget_summary_data(awardee.call, language="en")

    assert [row.reference for row in summary.rows] == [str(awardee.public_id)[:8].upper()]
    assert summary.rows[0].region == "Africa"
    assert summary.rows[0].budgeted is None and summary.rows[0].paid is None


def test_the_application_page_links_the_letters_once_each_is_available(client, awardee):
    sign_in(client, awardee.applicant)
    page = awardee.get_absolute_url()

    before = client.get(page).content.decode()
    give_travel_details(awardee)
    after = client.get(page).content.decode()

    assert url("award-letter", awardee) in before and url("visa-letter", awardee) not in before
    assert url("visa-letter", awardee) in after


def test_with_a_travel_budget_the_letter_and_sheets_show_its_amounts(awardee):
    budgets = pytest.importorskip("payments.budgets", reason="award budgets are not built yet")
    from tests.payments.factories import FundAllocationFactory, PerDiemRateFactory

    PerDiemRateFactory(country="ZA", daily_rate=Money("190.00", "USD"))
    allocation = FundAllocationFactory(call=awardee.call, amount=Money("5000.00", "USD"))
    budget = budgets.create_budget(
        awardee.decision, fund=allocation.fund, by=UserFactory(finance=True)
    )
    awardee = Application.objects.get(pk=awardee.pk)
    per_diem = budget.lines.get(kind="per_diem")

    letter = award_letter_data(awardee)
    sheet = per_diem_sheet_data(awardee.call, language="en")
    summary = budget_summary_data(awardee.call, language="en")

    assert letters.totals_by_currency(item.amount for item in letter.covers) == [
        letters.Amount(budget.planned_total.amount, "USD")
    ]
    assert sheet.rows[0].amount == letters.Amount(per_diem.amount.amount, "USD")
    assert summary.rows[0].budgeted == letters.Amount(budget.planned_total.amount, "USD")
    assert summary.rows[0].paid == letters.Amount(Decimal("0.00"), "USD")
    assert summary.budgets_recorded


def test_an_anonymised_award_has_no_letter_and_leaves_the_calls_sheet(client, awardee):
    """After retention or the person's erasure nobody is left to name: the award letter
    is not found (not a 500) and the per-diem sheet lists the others; the budget summary,
    without names, still counts it."""
    from scholarships.services import anonymise_application

    gone = ApplicationFactory(
        call=awardee.call,
        status=ApplicationStatus.AWARDED,
        support_requested=[SupportKind.PER_DIEM.value],
    )
    Decision.objects.create(
        application=gone,
        outcome=Outcome.AWARD,
        coverage=Coverage.FULL,
        covers=[SupportKind.PER_DIEM.value],
        reply_by=timezone.localdate(),
        reply=Reply.ACCEPTED,
        released_at=timezone.now(),
    )
    anonymise_application(gone)
    gone = Application.objects.get(pk=gone.pk)
    assert gone.applicant is None

    with pytest.raises(DocumentUnavailable):
        award_letter_data(gone)
    assert [row.name for row in per_diem_sheet_data(awardee.call, language="en").rows] == ["Аня"]
    assert [row.reference for row in budget_summary_data(awardee.call, language="en").rows] == [
        str(awardee.public_id)[:8].upper(),
        str(gone.public_id)[:8].upper(),
    ]

    sign_in(client, UserFactory(finance=True))
    assert client.get(url("award-letter", gone)).status_code == 404
    assert client.get(url("visa-letter", gone)).status_code == 404
    sheet = client.get(reverse("payments:per-diem-sheet", kwargs={"slug": awardee.call.slug}))
    assert sheet.status_code == 200
    assert "Аня" in text_of(sheet.content)


def test_reportlab_draws_with_its_c_accelerators():
    # Without the rl_accel package reportlab falls back to its pure-Python functions,
    # silently, and the letters come 10-35 % slower (README, Dependencies).
    from reportlab.lib import rl_accel

    for name in ("fp_str", "asciiBase85Encode", "instanceStringWidthTTF", "escapePDF"):
        assert getattr(rl_accel, name) is rl_accel._c_funcs[name], name
