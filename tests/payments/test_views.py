"""The finance pages and the awardee's page: who sees what, the forms, CSV, query counts."""

import csv
import io
import uuid
from datetime import date

import pytest
from django.urls import reverse
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.budgets import create_budget
from payments.disbursements import approve_disbursement, pay_disbursement, request_disbursement
from payments.enums import DisbursementStatus
from payments.models import Disbursement
from tests.factories import CallFactory, UserFactory
from tests.helpers import sign_in
from tests.payments.factories import FundAllocationFactory, FundFactory, accepted_award

pytestmark = pytest.mark.django_db

PRICED_ON = date(2028, 6, 1)


@pytest.fixture
def finance():
    return UserFactory(finance=True)


@pytest.fixture
def funded():
    call = CallFactory(slug="aids-2028")
    fund = FundFactory(amount=Money("10000.00", "USD"), name="Grant A")
    FundAllocationFactory(fund=fund, call=call, amount=Money("8000.00", "USD"))
    return call, fund


def budget_for(call, fund, by, **fields):
    award = accepted_award(call, covers=["registration"], **fields)
    return create_budget(award, fund=fund, by=by, priced_on=PRICED_ON)


def paid(budget, asks, approves, amount="300.00"):
    disbursement = request_disbursement(
        budget,
        amount=Money(amount, "USD"),
        kind="registration",
        by=asks,
        idempotency_key=uuid.uuid4(),
    )
    approve_disbursement(disbursement, by=approves)
    return pay_disbursement(
        disbursement, by=approves, paid_on=date(2026, 11, 20), method="bank_transfer"
    )


def test_finance_fills_in_an_estimate_from_the_call_page(client, funded, finance):
    call, fund = funded
    award = accepted_award(call, covers=["registration"])
    sign_in(client, finance)

    page = client.get(reverse("payments:call-budgets", kwargs={"slug": call.slug}))
    response = client.post(
        reverse("payments:budget-create", kwargs={"public_id": award.application.public_id}),
        {"fund": fund.pk, "priced_on": "2028-06-01"},
    )

    assert "Fill in the estimate" in page.content.decode()
    budget = award.application.decision.budget
    assert response["Location"] == budget.get_absolute_url()
    assert budget.total == Money("750.00", "USD")
    detail = client.get(budget.get_absolute_url()).content.decode()
    assert "$750.00" in detail and "the conference&#x27;s fee" in detail


def test_a_double_click_on_request_makes_one_disbursement(client, funded, finance):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    sign_in(client, finance)
    url = reverse("payments:disbursement-request", kwargs={"public_id": budget.public_id})
    form = {
        "idempotency_key": str(uuid.uuid4()),
        "kind": "registration",
        "amount_0": "200.00",
        "amount_1": "USD",
    }

    first = client.post(url, form)
    second = client.post(url, form)

    assert Disbursement.objects.count() == 1
    assert first["Location"] == second["Location"] == Disbursement.objects.get().get_absolute_url()


def test_the_requester_is_told_another_person_approves(client, funded, finance):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    disbursement = request_disbursement(
        budget,
        amount=Money("100", "USD"),
        kind="registration",
        by=finance,
        idempotency_key=uuid.uuid4(),
    )
    sign_in(client, finance)

    response = client.post(
        reverse("payments:disbursement-approve", kwargs={"public_id": disbursement.public_id}),
        follow=True,
    )

    assert "another finance administrator approves it" in response.content.decode()
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.REQUESTED


def test_another_finance_user_approves_pays_and_reconciles_through_the_pages(
    client, funded, finance
):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    disbursement = request_disbursement(
        budget,
        amount=Money("100", "USD"),
        kind="registration",
        by=finance,
        idempotency_key=uuid.uuid4(),
    )
    sign_in(client, UserFactory(finance=True))

    def post(step, data=None):
        url = reverse(f"payments:disbursement-{step}", kwargs={"public_id": disbursement.public_id})
        return client.post(url, data or {})

    post("approve")
    post("pay", {"paid_on": "2026-11-20", "method": "cash_on_site", "reference": "Sheet 3"})
    receipt = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    receipt.name = "receipt.pdf"
    post("reconcile", {"receipt": receipt})

    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.paid_on, disbursement.reference) == (
        DisbursementStatus.RECONCILED,
        date(2026, 11, 20),
        "Sheet 3",
    )
    download = client.get(
        reverse("payments:disbursement-receipt", kwargs={"public_id": disbursement.public_id})
    )
    assert download["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_awardee_sees_their_budget_and_what_was_paid_and_nobody_else_does(
    client, funded, finance
):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    paid(budget, finance, UserFactory(finance=True))
    mine = budget.decision.application
    other = budget_for(call, fund, finance).decision.application

    sign_in(client, mine.applicant)
    own = client.get(reverse("payments:my-budget", kwargs={"public_id": mine.public_id}))
    theirs = client.get(reverse("payments:my-budget", kwargs={"public_id": other.public_id}))
    detail = client.get(mine.get_absolute_url())

    assert own.status_code == 200
    text = own.content.decode()
    assert "$750.00" in text and "$300.00" in text and "Nov. 20, 2026" in text
    assert theirs.status_code == 404
    assert reverse("payments:my-budget", kwargs={"public_id": mine.public_id}) in (
        detail.content.decode()
    )
    staff = client.get(reverse("payments:budget-detail", kwargs={"public_id": budget.public_id}))
    assert staff.status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "reviewer", "applicant"])
def test_finance_pages_refuse_other_roles(client, funded, finance, role):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    user = UserFactory(**({role: True} if role != "applicant" else {}))
    sign_in(client, user)

    for url in [
        reverse("payments:finance-dashboard"),
        reverse("payments:call-budgets", kwargs={"slug": call.slug}),
        reverse("payments:budget-detail", kwargs={"public_id": budget.public_id}),
        reverse("payments:disbursement-queue"),
        reverse("payments:finance-report", kwargs={"group": "region"}),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("payments:disbursement-request", kwargs={"public_id": budget.public_id}),
        {"idempotency_key": str(uuid.uuid4()), "kind": "other", "amount_0": "1", "amount_1": "USD"},
    )
    assert response.status_code == 403
    assert not Disbursement.objects.exists()


def test_reports_add_no_two_currencies_and_export_formula_safe_csv(client, finance):
    call = CallFactory(title={"en": '=HYPERLINK("http://x")'})
    dollars = FundFactory(amount=Money("10000.00", "USD"), name="Dollars")
    euros = FundFactory(amount=Money("10000.00", "EUR"), name="Euros")
    FundAllocationFactory(fund=dollars, call=call, amount=Money("5000.00", "USD"))
    FundAllocationFactory(fund=euros, call=call, amount=Money("5000.00", "EUR"))
    from tests.payments.factories import ExchangeRateFactory

    ExchangeRateFactory(valid_on=PRICED_ON)
    budget_for(call, dollars, finance, region="africa")
    budget_for(call, euros, finance, region="africa")
    sign_in(client, finance)

    response = client.get(
        reverse("payments:finance-report", kwargs={"group": "call"}), {"format": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        [
            "call",
            "currency",
            "awards",
            "allocated",
            "budgeted",
            "committed",
            "paid",
            "to_pay",
            "free",
        ],
        [
            '\'=HYPERLINK("http://x")',
            "EUR",
            "1",
            "5000.00",
            "690.00",
            "690.00",
            "0.00",
            "690.00",
            "4310.00",
        ],
        [
            '\'=HYPERLINK("http://x")',
            "USD",
            "1",
            "5000.00",
            "750.00",
            "750.00",
            "0.00",
            "750.00",
            "4250.00",
        ],
    ]
    assert AuditEntry.objects.filter(action="finance_report.exported").count() == 1
    region = client.get(reverse("payments:finance-report", kwargs={"group": "region"}))
    assert region.status_code == 200
    assert (
        client.get(reverse("payments:finance-report", kwargs={"group": "donor"})).status_code == 404
    )


def many(rows, finance):
    """`rows` funds, awards with budgets and disbursements (requested), in one call."""
    call = CallFactory(slug="many")
    approver = UserFactory(finance=True)
    for index in range(rows):
        fund = FundFactory(amount=Money("100000.00", "USD"))
        FundAllocationFactory(fund=fund, call=call, amount=Money("50000.00", "USD"))
        if index % 4 == 3:
            accepted_award(call, covers=["registration"])  # no budget yet: a form instead
            continue
        budget = budget_for(call, fund, finance, region=["africa", "europe"][index % 2])
        disbursement = request_disbursement(
            budget,
            amount=Money("10.00", "USD"),
            kind="registration",
            by=finance,
            idempotency_key=uuid.uuid4(),
        )
        if index % 3 == 0:
            approve_disbursement(disbursement, by=approver)
    return call


# session, user, device and the page's own queries: the same at 10 rows and at 200.
PAGES = [
    # funds, allocations, budget totals, approved disbursements (balances); allocations
    # with calls; the queue's two counts
    ("finance-dashboard", {}, 9),
    # the call, its awards with their budgets and funds; the funds for the form
    ("call-budgets", {"slug": "many"}, 6),
    # the page's count and rows
    ("disbursement-queue", {}, 5),
    # budget totals grouped; allocations grouped; the names
    ("finance-report", {"group": "call"}, 6),
]


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize(("name", "kwargs", "queries"), PAGES)
def test_finance_pages_cost_the_same_at_any_size(
    client, finance, django_assert_num_queries, rows, name, kwargs, queries
):
    many(rows, finance)
    sign_in(client, finance)
    url = reverse(f"payments:{name}", kwargs=kwargs)
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_finance_changes_a_line_with_a_reason_and_closes_the_budget_through_the_page(
    client, funded, finance
):
    call, fund = funded
    budget = budget_for(call, fund, finance)
    sign_in(client, finance)
    line_url = reverse("payments:budget-line", kwargs={"public_id": budget.public_id})

    refused = client.post(
        line_url, {"kind": "registration", "amount_0": "800", "amount_1": "USD"}, follow=True
    )
    client.post(
        line_url,
        {"kind": "registration", "amount_0": "800", "amount_1": "USD", "reason": "Late rate"},
    )
    client.post(
        reverse("payments:budget-close", kwargs={"public_id": budget.public_id}),
        {"reason": "visa_refused", "note": "Refused in June"},
    )

    assert "Give an amount, its currency and a reason." in refused.content.decode()
    budget.refresh_from_db()
    assert (budget.planned_total, budget.committed_total, budget.status) == (
        Money("800.00", "USD"),
        Money("0.00", "USD"),
        "closed",
    )
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Late rate" in page and "Request a disbursement" not in page


def test_approving_long_after_login_asks_for_the_password_and_approves_nothing(
    client, funded, finance
):
    import datetime

    import time_machine
    from django_otp.oath import totp

    from accounts.two_factor import TOTPDevice

    call, fund = funded
    disbursement = request_disbursement(
        budget_for(call, fund, finance),
        amount=Money("100", "USD"),
        kind="registration",
        by=finance,
        idempotency_key=uuid.uuid4(),
    )
    approver = UserFactory(finance=True)
    sign_in(client, approver)
    page = reverse("payments:disbursement-detail", kwargs={"public_id": disbursement.public_id})
    approve = reverse("payments:disbursement-approve", kwargs={"public_id": disbursement.public_id})

    with time_machine.travel(datetime.timedelta(minutes=6), tick=False):
        response = client.post(approve, HTTP_REFERER="http://testserver" + page)
        disbursement.refresh_from_db()
        assert disbursement.status == DisbursementStatus.REQUESTED
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:reauthenticate"))

        device = TOTPDevice.objects.get(user=approver)
        confirmed = client.post(
            response.url,
            {"password": "a-long-test-passphrase", "code": f"{totp(device.bin_key):06d}"},
        )
        assert confirmed.status_code == 302 and confirmed.url.endswith(
            page
        )  # the page, not the POST
        client.post(approve)

    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.APPROVED


def test_a_payment_beyond_the_budget_at_the_days_rate_takes_a_reason_on_the_page(
    client, funded, finance
):
    from decimal import Decimal

    from tests.payments.factories import ExchangeRateFactory

    call, fund = funded
    budget = budget_for(call, fund, finance)  # 750 USD
    ExchangeRateFactory(
        from_currency="USD", to_currency="EUR", rate=Decimal("1.00"), valid_on=date(2026, 10, 1)
    )
    ExchangeRateFactory(
        from_currency="USD", to_currency="EUR", rate=Decimal("0.50"), valid_on=date(2026, 11, 20)
    )
    disbursement = request_disbursement(
        budget,
        amount=Money("700", "EUR"),
        kind="registration",
        by=finance,
        idempotency_key=uuid.uuid4(),
        on=date(2026, 10, 2),
    )
    payer = UserFactory(finance=True)
    approve_disbursement(disbursement, by=payer)
    sign_in(client, payer)
    url = reverse("payments:disbursement-pay", kwargs={"public_id": disbursement.public_id})
    page = reverse("payments:disbursement-detail", kwargs={"public_id": disbursement.public_id})
    assert 'name="override_reason"' in client.get(page).content.decode()

    refused = client.post(url, {"paid_on": "2026-11-20", "method": "bank_transfer"}, follow=True)
    assert "1400.00 USD is more than allowed" in refused.content.decode()
    assert Disbursement.objects.get(pk=disbursement.pk).status == DisbursementStatus.APPROVED

    client.post(
        url,
        {"paid_on": "2026-11-20", "method": "bank_transfer", "override_reason": "Euro fell"},
    )
    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.payment_override_by) == (
        DisbursementStatus.PAID,
        payer,
    )
    assert disbursement.payment_override_reason == "Euro fell"
    assert "Euro fell" in client.get(page).content.decode()


def test_the_report_by_region_adds_up_each_award_under_its_application_s_region(
    funded, finance, django_assert_num_queries
):
    from payments.queries import finance_report

    call, fund = funded
    budgets = [
        budget_for(call, fund, finance, region=region)
        for region in ("africa", "africa", "europe", "")
    ]

    assert [budget.region for budget in budgets] == ["africa", "africa", "europe", ""]
    with django_assert_num_queries(1):
        rows = {row.key: row for row in finance_report("region")}
    assert {key: row.awards for key, row in rows.items()} == {"africa": 2, "europe": 1, "": 1}
    assert rows["africa"].budgeted == budgets[0].planned_total + budgets[1].planned_total
    assert rows["europe"].label == "Europe (with Central Asia)" and rows[""].label == "—"
