import itertools

import pytest
from django.db import connection

from notifications.models import OutgoingEmail
from scholarships.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from scholarships.models import Application
from scholarships.services import (
    ScholarshipError,
    change_application_status,
    start_application,
    submit_application,
    withdraw_application,
)
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.helpers import race

ALLOWED = {
    ("draft", "submitted"),
    ("submitted", "under_review"),
    ("submitted", "withdrawn"),
    # Decisions reach applications that no reviewer was assigned to as well.
    ("submitted", "awarded"),
    ("submitted", "waitlisted"),
    ("submitted", "not_selected"),
    ("under_review", "awarded"),
    ("under_review", "waitlisted"),
    ("under_review", "not_selected"),
    ("under_review", "withdrawn"),
    ("waitlisted", "awarded"),
    ("waitlisted", "not_selected"),
    ("waitlisted", "withdrawn"),
    ("awarded", "withdrawn"),
    ("awarded", "declined"),
}


def test_the_transition_table_is_the_one_documented_here():
    table = {(a.value, b.value) for a, targets in APPLICATION_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(ApplicationStatus, ApplicationStatus))
)
def test_every_pair_of_application_statuses(current, target):
    application = ApplicationFactory(
        status=current, submitted_at=None if current == "draft" else "2026-11-01T10:00Z"
    )
    by = UserFactory(coordinator=True)

    if (current.value, target.value) in ALLOWED - {("draft", "submitted")}:
        change_application_status(application, to=target, by=by)
        application.refresh_from_db()
        assert application.status == target
    else:
        with pytest.raises(ScholarshipError):
            change_application_status(application, to=target, by=by)
        application.refresh_from_db()
        assert application.status == current


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "awarded", "not_selected", "withdrawn"])
def test_an_applicant_withdraws_only_what_is_still_pending(status):
    application = ApplicationFactory(
        status=status, submitted_at=None if status == "draft" else "2026-11-01T10:00Z"
    )

    with pytest.raises(ScholarshipError):
        withdraw_application(application, by=application.applicant)


def answers_for(application):
    return {
        "about": {
            "country_of_residence": "KE",
            "gender": "woman",
            "gender_self_description": "",
            "languages": ["sw"],
            "access_needs": "",
        },
        "organisation": {
            "organisation_name": "Nairobi Collective",
            "organisation_is_sex_worker_led": "yes",
            "role": "Coordinator",
            "first_time_attendee": False,
            "previous_scholarships": "",
        },
        "motivation": {},
        "travel": {
            "departure_city": "Nairobi",
            "departure_country": "KE",
            "visa_needed": "no",
            "support_requested": ["airfare"],
            "other_funding": "",
        },
        "documents": {"support_letter": None},
    }


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_submissions_make_one_application_and_one_email():
    """Real concurrent connections, on PostgreSQL: the row lock decides."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    application = ApplicationFactory(is_draft=True)

    def submit(_index):
        _application, submitted_now = submit_application(
            application, answers=answers_for(application), by=application.applicant
        )
        return submitted_now

    results, errors = race(8, submit, refused=Exception)

    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    assert OutgoingEmail.objects.filter(template="application_submitted").count() == 1


@pytest.mark.django_db
def test_a_draft_is_submitted_only_with_its_answers():
    application = ApplicationFactory(is_draft=True)

    with pytest.raises(ScholarshipError):
        change_application_status(
            application, to=ApplicationStatus.SUBMITTED, by=application.applicant
        )


@pytest.mark.django_db
def test_one_application_per_person_per_call_is_a_database_rule():
    from django.db import IntegrityError, transaction

    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            call=application.call, applicant=application.applicant, status="draft"
        )


@pytest.mark.django_db
def test_the_confirmation_email_uses_the_calls_public_wording(django_capture_on_commit_callbacks):
    from django.core import mail

    application = ApplicationFactory(is_draft=True)
    application.call.title = {"en": "Scholarships for community members at AIDS 2028"}
    application.call.public_name = {"en": "AIDS 2028 travel grant"}
    application.call.save()

    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application, answers=answers_for(application), by=application.applicant)

    assert "“AIDS 2028 travel grant”" in mail.outbox[0].body
    assert "community members" not in mail.outbox[0].body


@pytest.mark.django_db
def test_starting_again_returns_the_application_already_begun_untouched():
    call, applicant = CallFactory(), UserFactory()
    first = start_application(call, applicant=applicant, eligibility_data={"a": ["yes"]})

    again = start_application(call, applicant=applicant, eligibility_data={"a": ["no"]})

    assert again.pk == first.pk
    assert again.draft["step_data"]["eligibility"] == {"a": ["yes"]}
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_starts_make_one_draft():
    """Eight taps on the eligibility page's button at once, on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    call, applicant = CallFactory(), UserFactory()

    def start(index):
        return start_application(call, applicant=applicant, eligibility_data={"a": [str(index)]})

    results, errors = race(8, start, refused=Exception)

    assert errors == []
    assert len({application.pk for application in results}) == 1
    assert (
        Application.objects.get().draft["step_data"]["eligibility"]
        == (results[0].draft["step_data"]["eligibility"])
    )
