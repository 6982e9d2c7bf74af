"""Walk every URL pattern as a visitor and as each role, and check the answer.

A new URL fails `test_every_url_pattern_is_in_the_table` until it is added here with
what each person should get: an unexpected 200 (or any 500) is a failure.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ApplicationFactory, CallFactory, UserFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "applicant", "reviewer", "coordinator", "finance", "admin"]
LOGIN = 302  # to the login page
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REDIRECT = 200, 403, 404, 405, 302


def row(anonymous, applicant, reviewer, coordinator, finance, admin):
    return dict(
        zip(WHO, [anonymous, applicant, reviewer, coordinator, finance, admin], strict=True)
    )


OTHERS_APPLICATION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"

# url name → (kwargs, expected status for each person) on GET.
EXPECTED = {
    "scholarships:call-list": ({}, row(OK, OK, OK, OK, OK, OK)),
    "scholarships:call-detail": ({"slug": "open-call"}, row(OK, OK, OK, OK, OK, OK)),
    "scholarships:call-manage-list": (
        {},
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
    ),
    "scholarships:call-change-status": (
        {"slug": "open-call"},
        row(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "scholarships:application-start": (
        {"slug": "open-call"},
        row(LOGIN, OK, OK, OK, OK, OK),
    ),
    "scholarships:my-applications": ({}, row(LOGIN, OK, OK, OK, OK, OK)),
    # Someone else's application: nobody but its author (and, for the letter and the
    # coordinators' page, coordinators) gets anything but 404.
    "scholarships:application-detail": (
        {"public_id": OTHERS_APPLICATION},
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "scholarships:application-withdraw": (
        {"public_id": OTHERS_APPLICATION},
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "scholarships:application-letter": (
        {"public_id": OTHERS_APPLICATION},
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "scholarships:application-step": (
        {"public_id": OTHERS_APPLICATION, "step": "about"},
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "scholarships:call-applications": (
        {"slug": "open-call"},
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
    ),
    "scholarships:application-manage-detail": (
        {"public_id": OTHERS_APPLICATION},
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
    ),
    "accounts:signup": ({}, row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "accounts:login": ({}, row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "accounts:logout": (
        {},
        row(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "accounts:profile": ({}, row(LOGIN, OK, OK, OK, OK, OK)),
    "accounts:set-language": (
        {},
        row(NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
    "accounts:password-reset": ({}, row(OK, OK, OK, OK, OK, OK)),
    "accounts:password-reset-done": ({}, row(OK, OK, OK, OK, OK, OK)),
    # A made-up token: the page says the link no longer works.
    "accounts:password-reset-confirm": (
        {"uidb64": "MQ", "token": "set-password"},
        row(OK, OK, OK, OK, OK, OK),
    ),
    "accounts:password-reset-complete": ({}, row(OK, OK, OK, OK, OK, OK)),
    "health": ({}, row(OK, OK, OK, OK, OK, OK)),
    # The admin site: staff only; others are sent to its login page.
    "admin:index": ({}, row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK)),
}

# What a draft call's page gives each person: only coordinators may preview it.
DRAFT_CALL = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND)


def named_patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner == "admin:":
                continue  # Django's own admin views, checked through admin:index
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_is_in_the_table():
    assert set(named_patterns()) | {"admin:index"} == set(EXPECTED)


def person(who):
    if who == "anonymous":
        return None
    if who == "applicant":
        return UserFactory()
    return UserFactory(**{who: True})


@pytest.mark.parametrize("who", WHO)
def test_every_url_answers_each_person_as_expected(client, who):
    call = CallFactory(slug="open-call")
    ApplicationFactory(call=call, public_id=OTHERS_APPLICATION)
    user = person(who)
    if user:
        client.force_login(user)

    answers = {
        name: client.get(reverse(name, kwargs=kwargs)).status_code
        for name, (kwargs, _expected) in EXPECTED.items()
    }

    assert answers == {name: expected[who] for name, (_kwargs, expected) in EXPECTED.items()}


@pytest.mark.parametrize("who", WHO)
def test_a_draft_call_answers_each_person_as_expected(client, who):
    call = CallFactory(draft=True)
    user = person(who)
    if user:
        client.force_login(user)

    assert client.get(call.get_absolute_url()).status_code == DRAFT_CALL[who]


def test_anonymous_requests_to_private_pages_go_to_the_login_page(client):
    response = client.get(reverse("accounts:profile"))

    assert response["Location"] == f"{reverse('accounts:login')}?next=/accounts/profile/"
