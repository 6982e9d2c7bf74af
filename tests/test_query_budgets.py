"""Query budgets of the key pages: an exact count, the same at 10 and at 200 rows.

Pinned beside their pages already, and not repeated here: the home page
(scholarships/test_views.py), the call's applications (scholarships/test_access.py),
the reviewer's queue (scholarships/test_reviews.py), the ranking
(scholarships/test_ranking.py), the selection and balance dashboard
(scholarships/test_selection_page.py) and each wizard step's count on a lone
application (scholarships/test_wizard_cost.py, whose counts are reused here).

Each test makes one warm-up request first: a session's first request records when it was
last seen, once.
"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from meetings.enums import Rsvp
from scholarships.enums import Reply
from scholarships.models import Application
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    EligibilityQuestionFactory,
    MotivationQuestionFactory,
    UserFactory,
    accepted_award,
)
from tests.helpers import sign_in
from tests.meetings.factories import InvitationFactory, PrepMeetingFactory
from tests.scholarships.journey import STEPS, eligible_answers, fill_all, post_step, step_url
from tests.scholarships.test_wizard_cost import GET_QUERIES

pytestmark = pytest.mark.django_db

ROWS = [10, 200]


def warm_then_count(client, url, django_assert_num_queries, expected, data=None):
    assert client.get(url, data).status_code == 200  # the session's last-seen write
    with django_assert_num_queries(expected):
        response = client.get(url, data)
    assert response.status_code == 200
    return response


def call_with_questions(**kwargs):
    call = CallFactory(support_offered=["registration", "airfare", "per_diem"], **kwargs)
    EligibilityQuestionFactory(call=call, required_answer=True)
    EligibilityQuestionFactory(call=call, required_answer=False)
    MotivationQuestionFactory(call=call, word_limit=20)
    MotivationQuestionFactory(call=call, word_limit=10)
    return call


def start(client, call, applicant):
    response = client.post(
        reverse("scholarships:application-start", kwargs={"slug": call.slug}),
        eligible_answers(call),
    )
    assert response.status_code == 302
    return Application.objects.get(call=call, applicant=applicant)


# The applicant's pages


@pytest.mark.parametrize("rows", ROWS)
def test_the_call_page_costs_the_same_however_many_applied(client, django_assert_num_queries, rows):
    call = call_with_questions()
    ApplicationFactory.create_batch(rows, call=call)
    sign_in(client, UserFactory())

    # session, user with whether they have a second factor, call with its conference
    warm_then_count(
        client,
        reverse("scholarships:call-detail", kwargs={"slug": call.slug}),
        django_assert_num_queries,
        3,
    )


@pytest.mark.parametrize("rows", ROWS)
def test_a_visitor_reads_the_call_page_in_one_query(client, django_assert_num_queries, rows):
    call = call_with_questions()
    ApplicationFactory.create_batch(rows, call=call)

    with django_assert_num_queries(1):
        response = client.get(reverse("scholarships:call-detail", kwargs={"slug": call.slug}))

    assert response.status_code == 200


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("step", STEPS)
def test_each_wizard_step_costs_the_same_however_many_others_applied(
    client, django_assert_num_queries, rows, step
):
    call = call_with_questions()
    ApplicationFactory.create_batch(rows, call=call)
    ApplicationFactory.create_batch(rows, call=call, status="draft", submitted_at=None)
    applicant = UserFactory()
    sign_in(client, applicant)
    application = start(client, call, applicant)
    fill_all(client, call, application)
    post_step(client, application, "documents", {})

    warm_then_count(
        client, step_url(application, step), django_assert_num_queries, GET_QUERIES[step]
    )


@pytest.mark.parametrize("rows", ROWS)
def test_my_applications_cost_the_same_at_any_number(client, django_assert_num_queries, rows):
    applicant = UserFactory()
    open_call = call_with_questions()
    ApplicationFactory.create_batch(rows // 2, applicant=applicant)
    ApplicationFactory.create_batch(
        rows - rows // 2 - 1, applicant=applicant, status="draft", submitted_at=None
    )
    ApplicationFactory.create_batch(rows, call=open_call)  # other people's: not shown
    # Decided ones too: a released award awaiting its reply, one offered from the waitlist.
    award = accepted_award(applicant=applicant)
    award.reply, award.replied_at = Reply.PENDING, None
    award.save()
    offer = accepted_award(applicant=applicant)
    offer.released_at, offer.offered_from_waitlist_at = None, offer.replied_at
    offer.save()
    sign_in(client, applicant)
    application = start(client, open_call, applicant)
    fill_all(client, open_call, application, until="travel")

    # session, user with whether they have a second factor, applications with calls and decisions
    response = warm_then_count(
        client, reverse("scholarships:my-applications"), django_assert_num_queries, 3
    )
    assert len(response.context["rows"]) == rows + 2
    assert "Please reply by" in response.content.decode()


@pytest.mark.parametrize("rows", ROWS)
def test_an_application_page_costs_the_same_however_many_others_applied(
    client, django_assert_num_queries, rows
):
    call = call_with_questions()
    ApplicationFactory.create_batch(rows, call=call)
    application = ApplicationFactory(call=call)
    sign_in(client, application.applicant)

    # session, user with whether they have a second factor, application with call, conference and decision,
    # motivation questions
    warm_then_count(
        client,
        reverse("scholarships:application-detail", kwargs={"public_id": application.public_id}),
        django_assert_num_queries,
        4,
    )


@pytest.mark.parametrize("rows", ROWS)
def test_the_coordinators_call_list_costs_the_same_at_any_number(
    client, django_assert_num_queries, rows
):
    CallFactory.create_batch(rows)
    sign_in(client, UserFactory(coordinator=True))

    # session, user, second factor, calls with their conferences
    response = warm_then_count(
        client, reverse("scholarships:call-manage-list"), django_assert_num_queries, 4
    )
    assert len(response.context["rows"]) == rows


# Prep meetings: a participant's and the coordinator's pages

BEFORE_THE_MEETINGS = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def before_the_meetings():
    with time_machine.travel(BEFORE_THE_MEETINGS, tick=False):
        yield


def invite(meeting, count, **kwargs):
    for number in range(count):
        rsvp = [Rsvp.YES, Rsvp.NO, Rsvp.MAYBE, Rsvp.NONE][number % 4]
        InvitationFactory(meeting=meeting, rsvp=rsvp, **kwargs)


@pytest.mark.parametrize("rows", ROWS)
def test_my_meetings_cost_the_same_at_any_number(
    client, django_assert_num_queries, before_the_meetings, rows
):
    participant = UserFactory()
    for number in range(rows):
        starts = datetime(2026, 2 + number % 3, 1 + number % 27, 12, tzinfo=UTC)
        InvitationFactory(user=participant, meeting=PrepMeetingFactory(starts_at=starts))
    sign_in(client, participant)

    # session, user with whether they have a second factor, invitations with meetings and conferences, hours
    response = warm_then_count(
        client, reverse("meetings:my-meetings"), django_assert_num_queries, 4
    )
    assert len(response.context["upcoming"]) + len(response.context["past"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_a_meeting_page_costs_the_same_however_many_are_invited(
    client, django_assert_num_queries, before_the_meetings, rows
):
    meeting = PrepMeetingFactory()
    invite(meeting, rows)
    participant = InvitationFactory(meeting=meeting).user
    sign_in(client, participant)

    # session, user with whether they have a second factor, the invitation with its meeting and conference
    warm_then_count(
        client,
        reverse("meetings:meeting-detail", kwargs={"public_id": meeting.public_id}),
        django_assert_num_queries,
        3,
    )


@pytest.mark.parametrize("rows", ROWS)
def test_the_coordinators_meeting_list_costs_the_same_at_any_number(
    client, django_assert_num_queries, before_the_meetings, rows
):
    for meeting in PrepMeetingFactory.create_batch(rows):
        invite(meeting, 2)
    sign_in(client, UserFactory(coordinator=True))

    # session, user, second factor, meetings with conferences and their counts
    response = warm_then_count(
        client, reverse("meetings:meeting-manage-list"), django_assert_num_queries, 4
    )
    assert len(response.context["meetings"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_the_coordinators_meeting_page_costs_the_same_however_many_are_invited(
    client, django_assert_num_queries, before_the_meetings, rows
):
    meeting = PrepMeetingFactory()
    invite(meeting, rows)
    sign_in(client, UserFactory(coordinator=True))

    # session, user, second factor, meeting, invitations with people, groups, seats taken
    warm_then_count(
        client,
        reverse("meetings:meeting-manage-detail", kwargs={"public_id": meeting.public_id}),
        django_assert_num_queries,
        7,
    )


@pytest.mark.parametrize("rows", ROWS)
def test_the_slot_finder_costs_the_same_however_many_are_invited(
    client, django_assert_num_queries, before_the_meetings, rows
):
    meeting = PrepMeetingFactory()
    invite(meeting, rows)
    sign_in(client, UserFactory(coordinator=True))

    # session, user, second factor, meeting, invitees, groups, people, their hours,
    # their other meetings
    warm_then_count(
        client,
        reverse("meetings:meeting-slots", kwargs={"public_id": meeting.public_id}),
        django_assert_num_queries,
        9,
        data={"first_day": "2026-03-02", "last_day": "2026-03-13", "step": "30"},
    )
