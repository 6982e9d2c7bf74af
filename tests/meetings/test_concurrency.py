"""Two people take the last seat at once: real connections, on PostgreSQL."""

import threading

import pytest
from django.db import connection

from meetings.enums import Rsvp
from meetings.models import Invitation
from meetings.services import answer_invitation

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
    barrier = threading.Barrier(len(racing))
    errors = []

    def answer(invitation):
        try:
            barrier.wait()
            answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(i,)) for i in racing]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

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
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def remind():
        try:
            barrier.wait()
            counts.append(send_due_reminders(now=now))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=remind) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(counts) == [0, 1]
    assert OutgoingEmail.objects.filter(template="meeting_reminder").count() == 1
