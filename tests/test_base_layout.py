"""The site's header, kept once per process for each language and set of roles."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def navigation_of(response):
    page = response.content.decode()
    return re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', page, re.S).group(1)


def links_of(response):
    return re.findall(r'<a href="([^"]+)">', navigation_of(response))


def test_each_person_sees_the_links_of_their_own_roles_in_turn(client):
    calls, mine = reverse("scholarships:call-list"), reverse("scholarships:my-applications")
    manage, profile = reverse("scholarships:call-manage-list"), reverse("accounts:profile")
    login, signup = reverse("accounts:login"), reverse("accounts:signup")

    sign_in(client, UserFactory())
    applicant = links_of(client.get(calls))
    sign_in(client, UserFactory(coordinator=True))
    coordinator = links_of(client.get(calls))
    client.logout()
    visitor = links_of(client.get(calls))
    sign_in(client, UserFactory())
    applicant_again = links_of(client.get(calls))

    assert applicant == applicant_again == [calls, mine, profile]
    assert coordinator == [
        calls,
        manage,
        reverse("meetings:meeting-manage-list"),
        reverse("audit-log"),
        mine,
        profile,
    ]
    assert visitor == [calls, login, signup]


def test_a_reviewer_and_a_coordinator_see_their_own_staff_links(client):
    calls = reverse("scholarships:call-list")
    manage, reviews = reverse("scholarships:call-manage-list"), reverse("scholarships:review-queue")
    sign_in(client, UserFactory(coordinator=True))
    coordinator = links_of(client.get(calls))

    sign_in(client, UserFactory(reviewer=True))
    reviewer = links_of(client.get(calls))

    assert manage in coordinator and reviews not in coordinator
    assert reviews in reviewer and manage not in reviewer


def test_the_header_follows_the_readers_language(client):
    me = UserFactory(preferred_language="en")
    sign_in(client, me)
    english = navigation_of(client.get(reverse("scholarships:call-list")))

    me.preferred_language = "fr"
    me.save(update_fields=["preferred_language"])
    french = client.get(reverse("scholarships:call-list"))

    assert ">My applications<" in english
    assert ">Mes candidatures<" in navigation_of(french)
    assert '<option value="fr" lang="fr" selected>' in french.content.decode()


def test_a_coordinator_before_the_second_factor_sees_no_staff_links_after_one_who_gave_it(
    client,
):
    manage = reverse("scholarships:call-manage-list")
    sign_in(client, UserFactory(coordinator=True))
    verified = links_of(client.get(reverse("scholarships:call-list")))

    sign_in(client, UserFactory(coordinator=True), second_factor=False)
    setting_up = client.get(reverse("accounts:two-factor-setup"))

    assert manage in verified
    assert setting_up.status_code == 200
    assert manage not in links_of(setting_up)


def test_the_forms_in_the_header_carry_this_request_path_and_this_persons_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    sign_in(first, UserFactory())
    sign_in(second, UserFactory())
    calls, mine = reverse("scholarships:call-list"), reverse("scholarships:my-applications")

    headers = {}
    for person, path in ((first, calls), (second, mine)):
        page = person.get(path).content.decode()
        headers[person] = page[page.index("<header") : page.index("</header>")]
        assert f'<input type="hidden" name="next" value="{path}">' in headers[person]

    for person in (first, second):
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', headers[person])
        assert len(tokens) == 2
        response = person.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[0]})
        assert response.status_code == 302
        assert "_auth_user_id" not in person.session
