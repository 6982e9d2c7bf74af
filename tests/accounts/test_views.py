import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from accounts.models import User
from accounts.validators import time_zone_names
from notifications.models import OutgoingEmail
from tests.factories import PASSWORD, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "New.Person@Example.org",
    "display_name": "Kim",
    "preferred_language": "es",
    "country": "MX",
    "time_zone": "America/Mexico_City",
    "password1": "purple-river-lantern-42",
    "password2": "purple-river-lantern-42",
}


def in_language(language, text):
    """The translation of `text`, checked to really be one."""
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} is not translated into {language}"
    return translated


def test_signup_creates_an_applicant_and_signs_them_in(client):
    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("scholarships:call-list")
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.display_name == "Kim"
    assert user.preferred_language == "es"
    assert user.roles == ["applicant"]
    assert not (user.is_reviewer or user.is_coordinator or user.is_finance or user.is_staff)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_signup_ignores_role_fields_in_the_post(client):
    client.post(reverse("accounts:signup"), SIGNUP | {"is_coordinator": "on", "is_staff": "on"})

    user = User.objects.get()
    assert (user.is_coordinator, user.is_staff, user.is_superuser) == (False, False, False)


def test_signup_refuses_an_address_in_use_whatever_its_case(client):
    UserFactory(email="new.person@example.org")

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 200
    assert "This address cannot be used." in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw", "This password is too short."),
        ("password1234", "This password is too common."),
    ],
)
def test_signup_refuses_weak_passwords_and_saves_nothing(client, password, message):
    response = client.post(
        reverse("accounts:signup"), SIGNUP | {"password1": password, "password2": password}
    )

    assert message in response.content.decode()
    assert User.objects.count() == 0


def test_signup_refuses_an_unknown_time_zone(client):
    response = client.post(reverse("accounts:signup"), SIGNUP | {"time_zone": "Mars/Olympus"})

    assert response.status_code == 200
    assert User.objects.count() == 0


def test_signup_error_is_shown_in_the_visitors_language(client):
    client.cookies["django_language"] = "fr"

    response = client.post(reverse("accounts:signup"), SIGNUP | {"password2": "something-else-1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert in_language("fr", "The two passwords differ.") in page
    assert "The two passwords differ." not in page


def test_login_with_email_in_any_case_then_logout(client):
    UserFactory(email="amara@example.org")

    response = client.post(
        reverse("accounts:login"), {"username": "AMARA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_with_a_wrong_password_fails(client):
    UserFactory(email="amara@example.org")

    response = client.post(
        reverse("accounts:login"), {"username": "amara@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_profile_saves_language_and_time_zone(client):
    user = UserFactory()
    sign_in(client, user)

    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Rosa",
            "preferred_language": "ru",
            "country": "KG",
            "time_zone": "Asia/Bishkek",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language, user.country.code, user.time_zone) == (
        "Rosa",
        "ru",
        "KG",
        "Asia/Bishkek",
    )


def test_profile_cannot_change_email_or_roles(client):
    user = UserFactory(email="rosa@example.org")
    sign_in(client, user)

    client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Rosa",
            "preferred_language": "en",
            "time_zone": "UTC",
            "email": "other@example.org",
            "is_finance": "on",
        },
    )

    user.refresh_from_db()
    assert (user.email, user.is_finance) == ("rosa@example.org", False)


def reset_link(body):
    return re.search(r"https?://[^/]+(/accounts/password-reset/[^\s]+/)", body).group(1)


def test_password_reset_email_is_in_the_users_language_and_works(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="amara@example.org", preferred_language="fr", display_name="Amara")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "amara@example.org"})

    assert response.status_code == 302
    outgoing = OutgoingEmail.objects.get()
    assert (outgoing.template, outgoing.language, outgoing.status) == (
        "password_reset",
        "fr",
        "sent",
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amara@example.org"]
    assert message.subject == in_language("fr", "Your password reset link")
    assert in_language("fr", "Hello %(name)s,") % {"name": "Amara"} in message.body

    link = reset_link(message.body)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "orange-harbour-kite-77", "new_password2": "orange-harbour-kite-77"},
    )
    assert done.status_code == 302
    client.logout()
    assert client.login(username="amara@example.org", password="orange-harbour-kite-77")


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_signup_form_starts_with_the_browsers_time_zone_and_language(client):
    client.cookies["tz"] = "Asia/Bangkok"
    client.cookies["django_language"] = "zh-hans"

    form = client.get(reverse("accounts:signup")).context["form"]

    assert form.initial == {"preferred_language": "zh-hans", "time_zone": "Asia/Bangkok"}


def test_a_refused_signup_keeps_the_chosen_country_and_time_zone_in_the_lists(client):
    client.cookies["django_language"] = "fr"

    response = client.post(reverse("accounts:signup"), SIGNUP | {"password2": "something-else-1"})

    page = response.content.decode()
    assert '<option value="MX" selected>Mexique</option>' in page
    assert '<option value="America/Mexico_City" selected>America/Mexico City</option>' in page
    assert page.count(" selected>") == 4  # and the language, in the form and the header
    assert page.count("<option value=") == 1 + len(countries) + len(time_zone_names()) + 2 * 5


def test_signup_form_starts_with_utc_when_the_zone_is_unknown(client):
    form = client.get(reverse("accounts:signup")).context["form"]

    assert form.initial["time_zone"] == "UTC"
