"""Walk every URL pattern as a visitor and as each role, and check the answer.

A new URL fails `test_every_url_pattern_is_in_the_table` until it is added here with
what each person should get: an unexpected 200 (or any 500) is a failure.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.helpers import drain, sign_in
from tests.meetings.factories import InvitationFactory, PrepMeetingFactory

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "owner",  # the applicant whose application the URLs name
    "applicant",  # another applicant
    "reviewer",
    "coordinator",
    "finance",
    "admin",
    "unverified",  # a coordinator who has not given a second factor
]
LOGIN = 302  # to the login page
SETUP = 302  # to the second-factor set-up page
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REDIRECT = 200, 403, 404, 405, 302


def row(anonymous, owner, applicant, reviewer, coordinator, finance, admin, unverified):
    return dict(
        zip(
            WHO,
            [anonymous, owner, applicant, reviewer, coordinator, finance, admin, unverified],
            strict=True,
        )
    )


def everyone(status, *, anonymous=None, unverified=SETUP):
    return row(status if anonymous is None else anonymous, *([status] * 6), unverified)


APPLICATION = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ON_APPLICATION = {"public_id": APPLICATION}
MEETING = "5a1f7c3e-2b0d-4e8a-9c61-3d2f0b7e4a10"  # the owner is invited to it
ON_MEETING = {"public_id": MEETING}
COORDINATORS_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP)
INVITED_ONLY = row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP)
BAD_REQUEST = 400
FINANCE_ONLY = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, SETUP)
FINANCE_ONLY_NONE_HERE = row(
    LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, SETUP
)
ON_BUDGET = {"public_id": "0b7d3c52-1e4f-4a8b-9d2c-6f1e0a9b8c7d"}
ON_DISBURSEMENT = {"public_id": "e3a1b2c4-5d6e-4f70-8a9b-0c1d2e3f4a5b"}

# url name → (kwargs, expected status for each person) on GET.
EXPECTED = {
    "scholarships:call-list": ({}, everyone(OK)),
    "scholarships:call-detail": ({"slug": "open-call"}, everyone(OK)),
    "scholarships:review-queue": (
        {},
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    # Nobody here is assigned this review: even reviewers get 404.
    "scholarships:review-detail": (
        {"public_id": APPLICATION},
        row(LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:review-conflict": (
        {"public_id": APPLICATION},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:call-manage-list": (
        {},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:call-change-status": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    # The owner applied already: they are sent to their application.
    "scholarships:application-start": (
        {"slug": "open-call"},
        row(LOGIN, REDIRECT, OK, OK, OK, OK, OK, SETUP),
    ),
    "scholarships:my-applications": ({}, everyone(OK, anonymous=LOGIN)),
    "scholarships:application-detail": (
        ON_APPLICATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    "scholarships:application-withdraw": (
        ON_APPLICATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    "scholarships:application-letter": (
        ON_APPLICATION,
        row(LOGIN, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    # No award has been released on it: nothing to reply to, no travel details to give.
    "scholarships:application-reply": (
        ON_APPLICATION,
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    "scholarships:application-traveller": (
        ON_APPLICATION,
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    # Submitted: the wizard sends its owner to the application's page.
    "scholarships:application-step": (
        {"public_id": APPLICATION, "step": "about"},
        row(LOGIN, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SETUP),
    ),
    "scholarships:call-applications": (
        {"slug": "open-call"},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:call-ranking": (
        {"slug": "open-call"},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:call-selection": (
        {"slug": "open-call"},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:call-selection-pin": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:call-selection-run": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:call-decisions": (
        {"slug": "open-call"},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "scholarships:call-decisions-confirm": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:call-decisions-release": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:call-decisions-offer": (
        {"slug": "open-call"},
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    "scholarships:application-manage-detail": (
        ON_APPLICATION,
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    # No award on it: no letter, for its owner or anyone (tests/payments/test_letters.py
    # covers an accepted award).
    "payments:award-letter": (ON_APPLICATION, everyone(NOT_FOUND, anonymous=LOGIN)),
    "payments:visa-letter": (ON_APPLICATION, everyone(NOT_FOUND, anonymous=LOGIN)),
    "payments:per-diem-sheet": ({"slug": "open-call"}, FINANCE_ONLY),
    "payments:budget-summary": ({"slug": "open-call"}, FINANCE_ONLY),
    "payments:finance-dashboard": ({}, FINANCE_ONLY),
    "payments:call-budgets": ({"slug": "open-call"}, FINANCE_ONLY),
    "payments:disbursement-queue": ({}, FINANCE_ONLY),
    "payments:finance-report": ({"group": "fund"}, FINANCE_ONLY),
    # Made-up budgets and disbursements: finance is told there is none, others may not ask.
    "payments:budget-detail": (ON_BUDGET, FINANCE_ONLY_NONE_HERE),
    "payments:disbursement-detail": (ON_DISBURSEMENT, FINANCE_ONLY_NONE_HERE),
    "payments:disbursement-receipt": (ON_DISBURSEMENT, FINANCE_ONLY_NONE_HERE),
    "payments:budget-create": (ON_APPLICATION, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:budget-line": (ON_BUDGET, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:budget-close": (ON_BUDGET, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:disbursement-request": (ON_BUDGET, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:disbursement-approve": (ON_DISBURSEMENT, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:disbursement-pay": (ON_DISBURSEMENT, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:disbursement-reconcile": (ON_DISBURSEMENT, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "payments:disbursement-cancel": (ON_DISBURSEMENT, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    # No accepted award on it: no budget to see, for its owner or anyone
    # (tests/payments/test_views.py covers an awardee's own budget).
    "payments:my-budget": (ON_APPLICATION, everyone(NOT_FOUND, anonymous=LOGIN)),
    "meetings:my-meetings": ({}, everyone(OK, anonymous=LOGIN)),
    "meetings:meeting-hours": ({}, everyone(OK, anonymous=LOGIN)),
    # A made-up signed link: the page says it is not valid, whoever opens it.
    "meetings:rsvp-link": ({"token": "made-up:token"}, everyone(BAD_REQUEST)),
    "meetings:meeting-detail": (ON_MEETING, INVITED_ONLY),
    "meetings:meeting-answer": (ON_MEETING, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "meetings:meeting-calendar": (ON_MEETING, INVITED_ONLY),
    "meetings:meeting-manage-list": ({}, COORDINATORS_ONLY),
    "meetings:meeting-create": ({}, COORDINATORS_ONLY),
    "meetings:meeting-manage-detail": (ON_MEETING, COORDINATORS_ONLY),
    "meetings:meeting-edit": (ON_MEETING, COORDINATORS_ONLY),
    "meetings:meeting-slots": (ON_MEETING, COORDINATORS_ONLY),
    "meetings:meeting-send": (ON_MEETING, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "meetings:meeting-cancel": (ON_MEETING, COORDINATORS_ONLY),
    "meetings:meeting-attendance": (ON_MEETING, everyone(NOT_ALLOWED, anonymous=LOGIN)),
    "meetings:meeting-export": (ON_MEETING, COORDINATORS_ONLY),
    "accounts:signup": ({}, everyone(REDIRECT, anonymous=OK, unverified=REDIRECT)),
    "accounts:login": ({}, everyone(REDIRECT, anonymous=OK, unverified=REDIRECT)),
    "accounts:logout": ({}, everyone(NOT_ALLOWED, anonymous=LOGIN, unverified=NOT_ALLOWED)),
    "accounts:profile": ({}, everyone(OK, anonymous=LOGIN)),
    "accounts:my-data": ({}, everyone(OK, anonymous=LOGIN)),
    "accounts:delete-account": ({}, everyone(OK, anonymous=LOGIN)),
    "accounts:set-language": ({}, everyone(NOT_ALLOWED, unverified=NOT_ALLOWED)),
    # Staff who gave their second factor have one already: back to the profile.
    "accounts:two-factor-setup": (
        {},
        row(LOGIN, OK, OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK),
    ),
    "accounts:two-factor-verify": ({}, everyone(REDIRECT, anonymous=LOGIN, unverified=REDIRECT)),
    # Applicants confirm with their password; staff are sent back to their profile.
    "accounts:two-factor-disable": (
        {},
        row(LOGIN, OK, OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, SETUP),
    ),
    "accounts:reauthenticate": ({}, everyone(OK, anonymous=LOGIN)),
    "accounts:password-reset": ({}, everyone(OK)),
    "accounts:password-reset-done": ({}, everyone(OK)),
    # A made-up token: the page says the link no longer works.
    "accounts:password-reset-confirm": ({"uidb64": "MQ", "token": "set-password"}, everyone(OK)),
    "accounts:password-reset-complete": ({}, everyone(OK)),
    "audit-log": (
        {},
        row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, SETUP),
    ),
    "health": ({}, everyone(OK, unverified=OK)),
    # The admin site: staff only; others are sent to its login page.
    "admin:index": ({}, row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, OK, SETUP)),
}

# What a draft call's page gives each person: only coordinators may preview it.
DRAFT_CALL = row(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, SETUP)


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


def person(who, owner):
    if who == "anonymous":
        return None
    if who == "owner":
        return owner
    if who == "applicant":
        return UserFactory()
    if who == "unverified":
        return UserFactory(coordinator=True)
    return UserFactory(**{who: True})


def sign_in_as(client, who, owner):
    user = person(who, owner)
    if user:
        sign_in(client, user, second_factor=who != "unverified")


@pytest.mark.parametrize("who", WHO)
def test_every_url_answers_each_person_as_expected(client, who):
    call = CallFactory(slug="open-call")
    application = ApplicationFactory(call=call, public_id=APPLICATION)
    application.support_letter.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    InvitationFactory(
        meeting=PrepMeetingFactory(public_id=MEETING, conference=call.conference),
        user=application.applicant,
    )
    sign_in_as(client, who, application.applicant)

    answers = {}
    for name, (kwargs, _expected) in EXPECTED.items():
        response = client.get(reverse(name, kwargs=kwargs))
        drain(response)
        answers[name] = response.status_code

    assert answers == {name: expected[who] for name, (_kwargs, expected) in EXPECTED.items()}


@pytest.mark.parametrize("who", WHO)
def test_a_draft_call_answers_each_person_as_expected(client, who):
    call = CallFactory(draft=True)
    sign_in_as(client, who, UserFactory())

    assert client.get(call.get_absolute_url()).status_code == DRAFT_CALL[who]


def test_anonymous_requests_to_private_pages_go_to_the_login_page(client):
    response = client.get(reverse("accounts:profile"))

    assert response["Location"] == f"{reverse('accounts:login')}?next=/accounts/profile/"


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    sign_in(client, UserFactory(coordinator=True), second_factor=False)

    response = client.get(reverse("scholarships:call-manage-list"))

    assert response["Location"] == (
        reverse("accounts:two-factor-setup") + "?next=%2Fmanage%2Fcalls%2F"
    )
