"""Signing up on a phone, in the language chosen in the header: the first step of every
applicant. Screenshots go to tests/artifacts/ for a person to look at."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from .conftest import PASSWORD, new_phone, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_signs_up_on_a_phone_in_french(browser, live_server):
    context, page = new_phone(browser, timezone_id="Africa/Dakar")
    page.goto(live_server.url + reverse("accounts:signup"))
    page.select_option("#language-select", "fr")
    page.click(".language-switch button[type=submit]")
    page.wait_for_load_state()
    page.reload()  # the time zone cookie, set by the page's script, is read on the next one

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#id_time_zone").input_value() == "Africa/Dakar"
    assert page.locator("#id_country option[value=SN]").inner_text() == "Sénégal"
    page.fill("#id_email", "awa@example.org")
    page.fill("#id_display_name", "Awa")
    page.select_option("#id_country", "SN")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    shoot(page, "signup-fr", 1, "form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    shoot(page, "signup-fr", 2, "welcome")

    with translation.override("fr"):
        welcome = translation.gettext("Welcome! Your account is ready.")
    assert page.locator(".messages").inner_text() == welcome
    assert page.url == live_server.url + reverse("scholarships:call-list")
    person = User.objects.get(email="awa@example.org")
    assert (person.preferred_language, person.country.code, person.time_zone) == (
        "fr",
        "SN",
        "Africa/Dakar",
    )
    context.close()
