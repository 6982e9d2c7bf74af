"""Inviting, answering within capacity, reminding, attendance, and a person's own data."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import signing

from accounts.audit import AuditEntry
from accounts.personal_data import erase_account, export_personal_data
from meetings.enums import GroupKind, Rsvp
from meetings.links import rsvp_token
from meetings.models import Invitation, MeetingHours
from meetings.queries import busy_intervals, members_of_group, participant_ids_for
from meetings.services import (
    MeetingError,
    add_participants,
    answer_invitation,
    cancel_meeting,
    change_meeting,
    create_meeting,
    invitation_from_token,
    mark_attendance,
    send_due_reminders,
    send_invitations,
    set_meeting_hours,
)
from notifications.models import OutgoingEmail
from scholarships.enums import ApplicationStatus
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    ConferenceFactory,
    UserFactory,
    accepted_award,
)

from .factories import InvitationFactory, PrepMeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True)


def test_a_meeting_is_created_with_its_groups_and_people_and_sends_nothing(coordinator):
    call = CallFactory()
    person = UserFactory()

    meeting = create_meeting(
        conference=call.conference,
        by=coordinator,
        groups=[(GroupKind.REGION_AWARDEES, call, "africa"), (GroupKind.REVIEWERS, None, "")],
        people=[person, person],
        title={"en": "Getting ready"},
        format="online",
        online_link="https://meet.example.org/x",
        starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC),
        duration_minutes=60,
    )

    assert meeting.time_zone == call.conference.time_zone
    assert sorted(str(group) for group in meeting.groups.all()) == [
        f"One region's awardees of a call · {call.title['en']} · Africa",
        "The reviewers",
    ]
    assert list(meeting.invitations.values_list("user", "sent_sequence")) == [(person.pk, None)]
    assert not OutgoingEmail.objects.exists()
    assert AuditEntry.objects.filter(action="meeting.created").count() == 1


def test_groups_mean_the_awardees_of_a_call_or_of_one_region():
    call = CallFactory()
    african = accepted_award(call, region="africa").application
    european = accepted_award(call, region="europe").application
    ApplicationFactory(call=call, status=ApplicationStatus.WAITLISTED, region="africa")
    accepted_award(region="africa")  # another call
    # Awarded but not accepted (or not even released): not invited, nothing shows through.
    ApplicationFactory(call=call, status=ApplicationStatus.AWARDED, region="africa")
    meeting = PrepMeetingFactory(conference=call.conference)
    add_participants(meeting, groups=[(GroupKind.REGION_AWARDEES, call, "africa")])
    everyone = meeting.groups.model(meeting=meeting, kind=GroupKind.CALL_AWARDEES, call=call)

    assert participant_ids_for(meeting) == {african.applicant_id}
    assert set(members_of_group(everyone)) == {african.applicant, european.applicant}


def test_invitations_go_in_each_language_with_the_time_in_each_zone(
    before_the_meetings, coordinator
):
    meeting = PrepMeetingFactory(starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC))
    french = UserFactory(preferred_language="fr", time_zone="Europe/Paris", display_name="Awa")
    manila = UserFactory(preferred_language="en", time_zone="Asia/Manila", display_name="Joy")
    add_participants(meeting, people=[french, manila])

    assert send_invitations(meeting, by=coordinator) == 2

    to_paris = OutgoingEmail.objects.get(recipient=french.email)
    to_manila = OutgoingEmail.objects.get(recipient=manila.email)
    assert to_paris.language == "fr"
    assert "mardi 24 mars 2026, 13:00–14:00 (Europe/Paris, UTC+01:00)" in to_paris.body
    assert "Se préparer" in to_paris.body
    assert "Tuesday March 24, 2026, 20:00–21:00 (Asia/Manila, UTC+08:00)" in to_manila.body
    assert "/meetings/answer/" in to_manila.body
    assert to_manila.subject == "Invitation to a preparatory meeting"
    assert set(meeting.invitations.values_list("sent_sequence", flat=True)) == {0}


def test_sending_again_sends_only_to_people_who_were_not_invited_yet(
    before_the_meetings, coordinator
):
    invitation = InvitationFactory(unsent=True)
    meeting = invitation.meeting
    send_invitations(meeting, by=coordinator)
    newcomer = UserFactory()
    add_participants(meeting, people=[newcomer])

    assert send_invitations(meeting, by=coordinator) == 1
    assert list(OutgoingEmail.objects.order_by("pk").values_list("recipient", flat=True)) == [
        invitation.user.email,
        newcomer.email,
    ]


def test_a_group_is_read_again_when_the_invitations_are_sent(before_the_meetings, coordinator):
    call = CallFactory()
    meeting = PrepMeetingFactory(conference=call.conference)
    add_participants(meeting, groups=[(GroupKind.CALL_AWARDEES, call, "")])
    later = accepted_award(call).application

    send_invitations(meeting, by=coordinator)

    assert list(meeting.invitations.values_list("user", flat=True)) == [later.applicant_id]


def test_a_time_change_resends_to_everyone_invited_and_reminds_again(
    before_the_meetings, coordinator
):
    invitation = InvitationFactory(reminded_at=datetime(2026, 3, 1, tzinfo=UTC), rsvp=Rsvp.NO)
    meeting = invitation.meeting

    changed = change_meeting(
        meeting, by=coordinator, starts_at=meeting.starts_at + timedelta(hours=2)
    )

    invitation.refresh_from_db()
    assert changed.sequence == 1
    assert (invitation.sent_sequence, invitation.reminded_at) == (1, None)
    assert OutgoingEmail.objects.get().template == "meeting_invitation"


def test_a_cancelled_meeting_cannot_be_changed_answered_or_cancelled_again(
    before_the_meetings, coordinator
):
    invitation = InvitationFactory()
    meeting = cancel_meeting(invitation.meeting, by=coordinator)

    with pytest.raises(MeetingError):
        change_meeting(meeting, by=coordinator, duration_minutes=30)
    with pytest.raises(MeetingError):
        answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)
    with pytest.raises(MeetingError):
        cancel_meeting(meeting, by=coordinator)


def test_nobody_is_invited_to_a_meeting_that_has_started(coordinator):
    invitation = InvitationFactory(unsent=True)
    with time_machine.travel(invitation.meeting.starts_at, tick=False), pytest.raises(MeetingError):
        send_invitations(invitation.meeting, by=coordinator)


def test_yes_takes_a_seat_until_the_meeting_is_full_then_people_wait(before_the_meetings):
    meeting = PrepMeetingFactory(capacity=2)
    first, second, third = (InvitationFactory(meeting=meeting) for _ in range(3))

    answers = [answer_invitation(i, answer=Rsvp.YES, by=i.user) for i in (first, second, third)]

    assert [(a.rsvp, a.waitlisted) for a in answers] == [
        (Rsvp.YES, False),
        (Rsvp.YES, False),
        (Rsvp.YES, True),
    ]


def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_told(before_the_meetings):
    meeting = PrepMeetingFactory(capacity=1)
    seated, waiting, later = (InvitationFactory(meeting=meeting) for _ in range(3))
    for invitation in (seated, waiting, later):
        answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)

    answer_invitation(seated, answer=Rsvp.NO, by=seated.user)

    assert dict(meeting.invitations.values_list("pk", "waitlisted")) == {
        seated.pk: False,
        waiting.pk: False,
        later.pk: True,
    }
    email = OutgoingEmail.objects.get()
    assert (email.recipient, email.template) == (waiting.user.email, "meeting_seat")


def test_more_capacity_seats_those_waiting(before_the_meetings, coordinator):
    meeting = PrepMeetingFactory(capacity=1)
    seated, waiting = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)
    for invitation in (seated, waiting):
        answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)

    change_meeting(meeting, by=coordinator, capacity=2)

    waiting.refresh_from_db()
    assert not waiting.waitlisted


def test_a_second_yes_keeps_the_seat(before_the_meetings):
    invitation = InvitationFactory(meeting=PrepMeetingFactory(capacity=1))
    answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)

    again = answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)

    assert (again.rsvp, again.waitlisted) == (Rsvp.YES, False)


def test_an_unknown_answer_is_refused(before_the_meetings):
    invitation = InvitationFactory()
    with pytest.raises(MeetingError):
        answer_invitation(invitation, answer="none", by=invitation.user)


def test_the_signed_link_finds_the_invitation(before_the_meetings):
    invitation = InvitationFactory()

    assert invitation_from_token(rsvp_token(invitation)) == invitation


def test_a_tampered_link_is_refused(before_the_meetings):
    invitation, other = InvitationFactory(), InvitationFactory()
    token = rsvp_token(invitation)
    value, signature = token.split(":", 1)
    forged = f"{other.public_id}:{signature}"

    for bad in (forged, token + "x", "nonsense", token.replace(value, value[::-1])):
        with pytest.raises(MeetingError, match="not valid"):
            invitation_from_token(bad)


def test_an_expired_link_is_refused(before_the_meetings):
    invitation = InvitationFactory()
    token = rsvp_token(invitation)

    before_the_meetings.shift(timedelta(days=22))
    with pytest.raises(MeetingError, match="expired"):
        invitation_from_token(token)


def test_a_link_signed_for_something_else_is_refused(before_the_meetings):
    invitation = InvitationFactory()
    token = signing.TimestampSigner(salt="another.purpose").sign(str(invitation.public_id))

    with pytest.raises(MeetingError, match="not valid"):
        invitation_from_token(token)


def test_reminders_go_once_a_day_before_to_those_still_expected():
    meeting = PrepMeetingFactory(starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC))
    coming = InvitationFactory(meeting=meeting, rsvp=Rsvp.YES)
    unsure = InvitationFactory(meeting=meeting, rsvp=Rsvp.NONE)
    InvitationFactory(meeting=meeting, rsvp=Rsvp.NO)
    InvitationFactory(meeting=meeting, rsvp=Rsvp.YES, waitlisted=True)
    InvitationFactory(meeting=meeting, unsent=True)

    assert send_due_reminders(now=datetime(2026, 3, 23, 11, 59, tzinfo=UTC)) == 0
    assert send_due_reminders(now=datetime(2026, 3, 23, 12, 0, tzinfo=UTC)) == 2
    assert send_due_reminders(now=datetime(2026, 3, 23, 12, 15, tzinfo=UTC)) == 0

    assert sorted(OutgoingEmail.objects.values_list("recipient", "template")) == sorted(
        [(coming.user.email, "meeting_reminder"), (unsure.user.email, "meeting_reminder")]
    )


def test_no_reminder_for_a_cancelled_or_past_meeting(coordinator):
    cancelled = InvitationFactory(meeting=PrepMeetingFactory(status="cancelled"))

    assert send_due_reminders(now=cancelled.meeting.starts_at - timedelta(hours=2)) == 0
    assert send_due_reminders(now=cancelled.meeting.starts_at + timedelta(minutes=1)) == 0


def test_the_reminder_command_sends_what_is_due(capsys):
    meeting = PrepMeetingFactory(starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC))
    InvitationFactory(meeting=meeting)
    from django.core.management import call_command

    with time_machine.travel(datetime(2026, 3, 24, 0, tzinfo=UTC), tick=False):
        call_command("send_meeting_reminders")
        call_command("send_meeting_reminders")

    assert capsys.readouterr().out == "1 reminder(s) queued.\n0 reminder(s) queued.\n"


def test_the_reminder_task_sends_what_is_due():
    from meetings.tasks import send_meeting_reminders_task

    InvitationFactory(meeting=PrepMeetingFactory(starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC)))
    with time_machine.travel(datetime(2026, 3, 24, 0, tzinfo=UTC), tick=False):
        result = send_meeting_reminders_task.enqueue()

    assert result.return_value == 1


def test_attendance_is_recorded_for_this_meeting_only(coordinator):
    meeting = PrepMeetingFactory()
    came, missed = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)
    elsewhere = InvitationFactory()

    mark_attendance(meeting, present=[came.pk], by=coordinator)

    assert dict(Invitation.objects.values_list("pk", "attended")) == {
        came.pk: True,
        missed.pk: False,
        elsewhere.pk: None,
    }


def test_other_meetings_make_people_busy_unless_they_declined():
    person = UserFactory()
    meeting = PrepMeetingFactory(starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC))
    other = PrepMeetingFactory(starts_at=datetime(2026, 3, 25, 9, tzinfo=UTC), duration_minutes=30)
    declined = PrepMeetingFactory(starts_at=datetime(2026, 3, 26, 9, tzinfo=UTC))
    for each in (meeting, other):
        InvitationFactory(meeting=each, user=person)
    InvitationFactory(meeting=declined, user=person, rsvp=Rsvp.NO)
    InvitationFactory(meeting=declined)  # someone else still goes: not our person's clash

    busy = busy_intervals(
        [person.pk],
        first=datetime(2026, 3, 20, tzinfo=UTC),
        last=datetime(2026, 4, 1, tzinfo=UTC),
        exclude=meeting,
    )

    assert busy == [(other.starts_at, other.ends_at)]


def test_a_person_sets_their_own_hours():
    person = UserFactory()

    set_meeting_hours(person, earliest=time(10), latest=time(16))
    set_meeting_hours(person, earliest=time(9), latest=time(17))

    assert list(MeetingHours.objects.values_list("earliest", "latest")) == [(time(9), time(17))]
    with pytest.raises(MeetingError):
        set_meeting_hours(person, earliest=time(17), latest=time(9))


def test_a_person_gets_their_meetings_in_their_data_and_erasing_removes_them():
    invitation = InvitationFactory(rsvp=Rsvp.YES)
    person = invitation.user
    set_meeting_hours(person, earliest=time(9), latest=time(17))

    data = export_personal_data(person)["meetings"]
    erase_account(person)

    assert data["hours"] == {"earliest": "09:00:00", "latest": "17:00:00"}
    assert [(i["answer"], i["starts_at"]) for i in data["invitations"]] == [
        ("yes", "2026-03-24T12:00:00+00:00")
    ]
    assert not Invitation.objects.exists() and not MeetingHours.objects.exists()


def test_the_organiser_zone_defaults_to_the_conference(coordinator):
    conference = ConferenceFactory(time_zone="America/Bogota")

    meeting = create_meeting(
        conference=conference,
        by=coordinator,
        title={"en": "x"},
        starts_at=datetime(2026, 3, 24, 12, tzinfo=UTC),
        online_link="https://meet.example.org/x",
    )

    assert meeting.time_zone == "America/Bogota"


def test_an_erased_account_frees_its_seat_for_the_first_person_waiting(before_the_meetings):
    meeting = PrepMeetingFactory(capacity=1)
    seated, waiting = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)
    for invitation in (seated, waiting):
        answer_invitation(invitation, answer=Rsvp.YES, by=invitation.user)

    erase_account(seated.user)

    waiting.refresh_from_db()
    assert not waiting.waitlisted
    assert OutgoingEmail.objects.get(template="meeting_seat").recipient == waiting.user.email


def test_an_invitation_email_leaves_with_its_calendar_file(before_the_meetings):
    from django.core import mail

    from notifications.services import deliver_email

    invitation = InvitationFactory(unsent=True)
    send_invitations(invitation.meeting, by=UserFactory(coordinator=True))

    deliver_email(OutgoingEmail.objects.get().pk)

    (sent,) = mail.outbox
    ((filename, content, mimetype),) = sent.attachments
    assert (filename, mimetype) == ("meeting.ics", "text/calendar; method=REQUEST")
    assert "BEGIN:VCALENDAR" in content and "METHOD:REQUEST" in content


def test_the_calendar_file_is_stored_encrypted(before_the_meetings):
    from django.db import connection

    invitation = InvitationFactory(unsent=True)
    send_invitations(invitation.meeting, by=UserFactory(coordinator=True))

    with connection.cursor() as cursor:
        cursor.execute("SELECT attachments FROM notifications_outgoingemail")
        (stored,) = cursor.fetchone()
    assert "VCALENDAR" not in stored and "meet.example.org" not in stored


def test_in_person_the_slot_finder_names_people_whose_travel_misses_the_day(before_the_meetings):
    from datetime import date

    from meetings.queries import slot_candidates
    from meetings.travel import register_travel_dates, unregister_travel_dates

    meeting = PrepMeetingFactory(in_person=True, duration_minutes=60)
    here = InvitationFactory(meeting=meeting, user=UserFactory(time_zone="Africa/Johannesburg"))
    late = InvitationFactory(meeting=meeting, user=UserFactory(time_zone="Africa/Johannesburg"))

    def provider(conference, user_ids):
        return {
            here.user_id: (date(2026, 3, 22), date(2026, 3, 29)),
            late.user_id: (date(2026, 3, 25), date(2026, 3, 29)),
        }

    register_travel_dates(provider)
    try:
        candidates, _rows, gaps = slot_candidates(
            meeting,
            first=datetime(2026, 3, 24, tzinfo=UTC),
            last=datetime(2026, 3, 25, tzinfo=UTC),
            limit=1,
        )
    finally:
        unregister_travel_dates(provider)

    assert gaps == {candidates[0].start: [late.user]}
