"""The applicant's journey in a real browser: Debian's Chromium, headless, phone-sized.

The browser is closed after step 3; a fresh browser logs in and finishes. A screenshot
of every step is written to tests/artifacts/ for a person to look at.
"""

import pytest
from django.urls import reverse

from scholarships.enums import ApplicationStatus
from scholarships.models import Application
from tests.factories import (
    CallFactory,
    EligibilityQuestionFactory,
    MotivationQuestionFactory,
    UserFactory,
)

from .conftest import log_in, new_phone, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save_step(page):
    page.click("main form button[type=submit]:not([name])")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_the_whole_journey_in_a_phone_browser(browser, live_server, language, tmp_path):
    call = CallFactory(
        title={
            "en": "Scholarships for AIDS 2028",
            "ru": "Стипендии AIDS 2028",
            "zh-hans": "AIDS 2028 奖学金",
        },
        support_offered=["registration", "airfare", "per_diem"],
    )
    member = EligibilityQuestionFactory(
        call=call,
        text={"en": "Are you a member?", "ru": "Вы член сети?", "zh-hans": "您是成员吗？"},
    )
    question = MotivationQuestionFactory(
        call=call, text={"en": "Why?", "ru": "Почему?", "zh-hans": "为什么？"}, word_limit=30
    )
    user = UserFactory(preferred_language=language, email=f"phone-{language}@example.org")
    base = live_server.url

    # First browser: eligibility, steps 2 and 3, then the phone is switched off.
    context, page = new_phone(browser)
    log_in(page, base, user.email)
    page.goto(base + call.get_absolute_url())
    shoot(page, f"journey-{language}", 0, "call")
    page.click(f"a[href='{reverse('scholarships:application-start', kwargs={'slug': call.slug})}']")
    page.check(f"input[name=eligibility-q{member.pk}][value=yes]")
    shoot(page, f"journey-{language}", 1, "eligibility")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == language
    page.select_option("#id_about-country_of_residence", "SN")
    page.check("input[name=about-gender][value=woman]")
    page.check("input[name=about-languages][value=fr]")
    page.fill("#id_about-access_needs", "Step-free access")
    shoot(page, f"journey-{language}", 2, "about")
    save_step(page)

    page.fill("#id_organisation-organisation_name", "Collectif Santé Dakar")
    page.check("input[name=organisation-organisation_is_sex_worker_led][value=yes]")
    page.fill("#id_organisation-role", "Peer educator")
    page.check("input[name=organisation-first_time_attendee][value=yes]")
    shoot(page, f"journey-{language}", 3, "organisation")
    save_step(page)
    assert "/motivation/" in page.url
    context.close()

    # A fresh browser, as after a lost phone: log in and finish.
    context, page = new_phone(browser)
    log_in(page, base, user.email)
    page.goto(base + reverse("scholarships:my-applications"))
    shoot(page, f"journey-{language}", 4, "my-applications")
    application = Application.objects.get(applicant=user)
    page.click(f"main a.button[href*='{application.public_id}']")
    page.wait_for_load_state()
    assert "/motivation/" in page.url

    page.fill(
        f"#id_motivation-q{question.pk}",
        "我们的社区需要被听见" if language == "zh-hans" else "To bring our voice.",
    )
    shoot(page, f"journey-{language}", 5, "motivation")
    save_step(page)

    page.fill("#id_travel-departure_city", "Dakar")
    page.select_option("#id_travel-departure_country", "SN")
    page.check("input[name=travel-visa_needed][value=yes]")
    page.check("input[name=travel-support_requested][value=airfare]")
    shoot(page, f"journey-{language}", 6, "travel")
    save_step(page)

    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_documents-support_letter", str(letter))
    shoot(page, f"journey-{language}", 7, "documents")
    save_step(page)

    assert "Collectif Santé Dakar" in page.content()
    page.check("#id_review-consent")
    shoot(page, f"journey-{language}", 8, "review")
    save_step(page)
    shoot(page, f"journey-{language}", 9, "submitted")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.support_letter
    assert application.access_needs == "Step-free access"
    assert str(application.public_id) in page.url
    context.close()
