"""Two people take the last seat at once: real connections, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from meetings.enums import Rsvp
from meetings.models import Invitation
from meetings.services import answer_invitation
from tests.helpers import race

from .factories import InvitationFactory, PrepMeetingFactory


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_get_one_seat_and_one_place_in_the_queue(
    before_the_meetings,
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    meeting = PrepMeetingFactory(capacity=2)
    InvitationFactory(meeting=meeting, rsvp=Rsvp.YES)  # one of two seats is taken
    racing = [InvitationFactory(meeting=meeting) for _ in range(2)]

    _answered, errors = race(
        len(racing),
        lambda index: answer_invitation(racing[index], answer=Rsvp.YES, by=racing[index].user),
        refused=Exception,
    )

    assert errors == []
    outcome = sorted(
        Invitation.objects.filter(pk__in=[i.pk for i in racing]).values_list(
            "waitlisted", flat=True
        )
    )
    assert outcome == [False, True]
    assert Invitation.objects.filter(meeting=meeting, rsvp=Rsvp.YES, waitlisted=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_one_reminder(before_the_meetings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    from meetings.services import send_due_reminders
    from notifications.models import OutgoingEmail

    invitation = InvitationFactory()
    now = invitation.meeting.starts_at.replace(hour=0)

    counts, errors = race(2, lambda _index: send_due_reminders(now=now), refused=Exception)

    assert errors == []
    assert sorted(counts) == [0, 1]
    assert OutgoingEmail.objects.filter(template="meeting_reminder").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reminder_run_locks_the_invitations_not_the_people(before_the_meetings, monkeypatch):
    # A sign-in writes the person's row (last_login): it must not wait for the reminders.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks")
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, transaction

    from meetings import services

    invitation = InvitationFactory()
    now = invitation.meeting.starts_at.replace(hour=0)
    locked, finish, errors = threading.Event(), threading.Event(), []
    queue = services.queue_meeting_email

    def queue_and_wait(*args, **kwargs):
        queue(*args, **kwargs)
        locked.set()  # the run holds its locks until it returns
        finish.wait(timeout=30)

    monkeypatch.setattr(services, "queue_meeting_email", queue_and_wait)

    def remind():
        try:
            services.send_due_reminders(now=now)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=remind)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        people = get_user_model().objects.filter(pk=invitation.user_id)
        with transaction.atomic():
            assert people.select_for_update(nowait=True).get() is not None
        with pytest.raises(DatabaseError), transaction.atomic():
            Invitation.objects.select_for_update(nowait=True).get(pk=invitation.pk)
    finally:
        finish.set()
        thread.join()
    assert errors == []
    assert Invitation.objects.get(pk=invitation.pk).reminded_at == now
