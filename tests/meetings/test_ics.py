"""Calendar files, parsed back with icalendar: times, UID, SEQUENCE, METHOD."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from meetings import ics
from meetings.services import cancel_meeting, change_meeting, send_invitations
from notifications.models import OutgoingEmail
from tests.factories import UserFactory

from .factories import InvitationFactory, PrepMeetingFactory

pytestmark = pytest.mark.django_db


def event_of(content):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def attached_event(email):
    (attachment,) = email.attachments
    return (*event_of(attachment["content"]), attachment)


def test_the_calendar_file_has_the_meeting_in_utc_with_its_uid_and_sequence():
    meeting = PrepMeetingFactory(
        starts_at=datetime(2026, 3, 30, 12, tzinfo=UTC), duration_minutes=90
    )
    person = UserFactory(email="amara@example.org", display_name="Amara")

    calendar, event = event_of(ics.meeting_calendar(meeting, language="fr", attendee=person))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{meeting.public_id}@prep-meetings"
    assert event.decoded("DTSTART") == datetime(2026, 3, 30, 12, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 30, 13, 30, tzinfo=UTC)
    assert event["DTSTART"].to_ical() == b"20260330T120000Z"
    assert event.decoded("SEQUENCE") == 0
    assert str(event["SUMMARY"]) == meeting.title["fr"]
    assert str(event["LOCATION"]) == "https://meet.example.org/prep"
    assert str(event["STATUS"]) == "CONFIRMED"
    # Only the recipient is named: never the other participants.
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:amara@example.org"]


def test_an_in_person_meeting_gives_its_room_and_address():
    meeting = PrepMeetingFactory(in_person=True)

    _calendar, event = event_of(ics.meeting_calendar(meeting, language="en"))

    assert str(event["LOCATION"]) == "Room 2.14, 1 Lower Long Street, Cape Town"


def test_an_update_has_the_same_uid_and_a_higher_sequence(
    before_the_meetings, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(unsent=True, user=UserFactory(time_zone="Asia/Manila"))
    meeting = invitation.meeting
    coordinator = UserFactory(coordinator=True)
    send_invitations(meeting, by=coordinator)
    first = OutgoingEmail.objects.get()

    change_meeting(meeting, by=coordinator, starts_at=datetime(2026, 3, 25, 13, tzinfo=UTC))

    update = OutgoingEmail.objects.exclude(pk=first.pk).get()
    _c1, before, _a1 = attached_event(first)
    calendar, after, attachment = attached_event(update)
    assert str(after["UID"]) == str(before["UID"])
    assert (before.decoded("SEQUENCE"), after.decoded("SEQUENCE")) == (0, 1)
    assert after.decoded("DTSTART") == datetime(2026, 3, 25, 13, tzinfo=UTC)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    assert update.subject == "Changed: your preparatory meeting"


def test_a_cancellation_sends_method_cancel_for_the_same_event(before_the_meetings):
    invitation = InvitationFactory(unsent=True)
    meeting = invitation.meeting
    coordinator = UserFactory(coordinator=True)
    send_invitations(meeting, by=coordinator)
    first = OutgoingEmail.objects.get()

    cancel_meeting(meeting, by=coordinator)

    cancellation = OutgoingEmail.objects.get(template="meeting_cancelled")
    _c, before, _a = attached_event(first)
    calendar, event, attachment = attached_event(cancellation)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(before["UID"])
    assert event.decoded("SEQUENCE") == 1
    assert attachment["mimetype"] == "text/calendar; method=CANCEL"


def test_a_change_of_title_only_sends_nothing(before_the_meetings):
    invitation = InvitationFactory()
    meeting = invitation.meeting

    change_meeting(meeting, by=UserFactory(coordinator=True), title={"en": "New name"})

    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert not OutgoingEmail.objects.exists()


def test_moving_the_meeting_by_a_day_changes_dtstart_by_a_day():
    meeting = PrepMeetingFactory()
    start = meeting.starts_at

    meeting.starts_at = start + timedelta(days=1)
    _calendar, event = event_of(ics.meeting_calendar(meeting, language="en"))

    assert event.decoded("DTSTART") - start == timedelta(days=1)
