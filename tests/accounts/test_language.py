import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "ru", "zh-hans"]


def heading_in(language):
    with translation.override(language):
        return translation.gettext("Open calls")


def test_every_language_has_its_own_heading():
    headings = {language: heading_in(language) for language in LANGUAGES}

    assert len(set(headings.values())) == len(LANGUAGES), headings


@pytest.mark.parametrize("language", LANGUAGES)
def test_switching_language_shows_the_home_page_and_demo_call_translated(client, language):
    from tests.factories import CallFactory

    CallFactory(
        title={
            "en": "Scholarships",
            "fr": "Bourses",
            "es": "Becas",
            "ru": "Стипендии",
            "zh-hans": "奖学金",
        }
    )

    response = client.post(
        reverse("accounts:set-language"), {"language": language, "next": "/"}, follow=True
    )

    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert heading_in(language) in page
    titles = {"en": "Scholarships", "fr": "Bourses", "es": "Becas", "ru": "Стипендии"}
    assert titles.get(language, "奖学金") in page


def test_a_missing_call_text_falls_back_to_english(client):
    from tests.factories import CallFactory

    CallFactory(title={"en": "Scholarships for everyone"}, summary={"en": "Only English."})
    client.cookies["django_language"] = "ru"

    page = client.get("/").content.decode()

    assert heading_in("ru") in page
    assert "Scholarships for everyone" in page


def test_signed_in_switch_is_remembered_on_the_account(client):
    user = UserFactory(preferred_language="en")
    sign_in(client, user)

    client.post(reverse("accounts:set-language"), {"language": "zh-hans", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    # The account's language wins over a stale cookie on the next visit.
    client.cookies["django_language"] = "es"
    assert heading_in("zh-hans") in client.get("/").content.decode()


def test_an_unknown_language_changes_nothing(client):
    user = UserFactory(preferred_language="fr")
    sign_in(client, user)

    client.post(reverse("accounts:set-language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_language_switch_refuses_an_outside_redirect(client):
    response = client.post(
        reverse("accounts:set-language"), {"language": "fr", "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
