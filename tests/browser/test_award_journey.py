"""An awardee on a phone: sees the released award, accepts it, gives travel details."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from scholarships.enums import Coverage, Outcome, Reply
from scholarships.models import Decision, TravellerDetails
from tests.factories import ApplicationFactory, CallFactory, UserFactory

from .conftest import log_in, new_phone, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_awardee_accepts_and_gives_travel_details_on_a_phone(browser, live_server, language):
    call = CallFactory(title={"en": "Scholarships for AIDS 2028", "ru": "Стипендии AIDS 2028"})
    user = UserFactory(preferred_language=language, email=f"awardee-{language}@example.org")
    application = ApplicationFactory(call=call, applicant=user, status="awarded")
    Decision.objects.create(
        application=application,
        outcome=Outcome.AWARD,
        coverage=Coverage.PARTIAL,
        covers=["registration", "per_diem"],
        reply_by=timezone.localdate() + datetime.timedelta(days=10),
        released_at=timezone.now(),
    )
    base = live_server.url
    context, page = new_phone(browser, timezone_id="Europe/Kyiv")
    log_in(page, base, user.email)

    page.goto(base + reverse("scholarships:my-applications"))
    shoot(page, f"award-{language}", 1, "my-applications")
    page.click(f"main a.button[href$='{application.public_id}/reply/']")
    page.wait_for_load_state()
    shoot(page, f"award-{language}", 2, "reply")
    page.click("main form:has(input[value=accept]) button")
    page.wait_for_load_state()

    assert page.url.endswith(f"{application.public_id}/traveller/")
    page.fill("#id_legal_name", "Kateryna Ivanenko")
    page.select_option("#id_nationality", "UA")
    page.fill("#id_date_of_birth", "1991-03-14")
    page.fill("#id_passport_number", "fx123456")
    page.fill("#id_passport_expires_on", "2035-06-30")
    shoot(page, f"award-{language}", 3, "traveller")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    shoot(page, f"award-{language}", 4, "saved")

    assert Decision.objects.get(application=application).reply == Reply.ACCEPTED
    assert TravellerDetails.objects.get(application=application).passport_number == "FX123456"
    assert page.url.endswith(f"/applications/{application.public_id}/")
    context.close()
