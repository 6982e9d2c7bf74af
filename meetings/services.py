"""Every write to prep meetings: one function per change of state.

Emails go through the outbox after the transaction commits, each in its recipient's
language, with the time in the recipient's own time zone and a calendar file.
"""

import logging
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import log_action

from . import ics
from .emails import queue_meeting_email
from .enums import ANSWERS, MeetingStatus, Rsvp
from .links import RSVP_SALT, rsvp_link_max_age
from .models import Invitation, MeetingHours, ParticipantGroup, PrepMeeting
from .queries import members_of_group, seats_taken

logger = logging.getLogger(__name__)

# Changing one of these changes the calendar entry: SEQUENCE grows, updates go out.
CALENDAR_FIELDS = frozenset(
    {"starts_at", "duration_minutes", "format", "online_link", "room", "address"}
)
EDITABLE_FIELDS = CALENDAR_FIELDS | {
    "title",
    "agenda",
    "time_zone",
    "interpretation_languages",
    "capacity",
}


class MeetingError(Exception):
    """A change that the rules of the portal refuse; the message is shown to the user."""


# Creating and changing meetings


def create_meeting(*, conference, by, groups=(), people=(), **fields):
    """A scheduled meeting of `conference` with its groups and chosen people.

    `groups` are (kind, call, region) triples; `people` are users. Side effects: the
    meeting, its groups and an (unsent) invitation per chosen person; an audit entry.
    Nothing is sent: `send_invitations` does that.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not a meeting field: {', '.join(sorted(unknown))}")
    fields.setdefault("time_zone", conference.time_zone)
    with transaction.atomic():
        meeting = PrepMeeting.objects.create(conference=conference, created_by=by, **fields)
        add_participants(meeting, groups=groups, people=people)
        log_action(actor=by, action="meeting.created", obj=meeting)
    return meeting


def add_participants(meeting, *, groups=(), people=()):
    """Add groups and people to a meeting (those already there stay as they are).

    Side effects: ParticipantGroup rows and unsent Invitation rows.
    """
    for kind, call, region in groups:
        ParticipantGroup.objects.get_or_create(
            meeting=meeting, kind=kind, call=call, region=region or ""
        )
    existing = set(meeting.invitations.values_list("user_id", flat=True))
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, user=person)
            for person in {person.pk: person for person in people}.values()
            if person.pk not in existing
        ]
    )


def change_meeting(meeting, *, by, **changes):
    """Change a scheduled meeting's fields.

    Side effects: the row is locked and saved. When the time or the place changes,
    SEQUENCE grows by one, reminders are due again, and everyone who had the
    invitation gets the update (email and calendar file). A larger capacity seats
    people who were waiting. An audit entry names the changed fields.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not a meeting field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = PrepMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_cancelled:
            raise MeetingError(_("This meeting is cancelled: it cannot be changed."))
        changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, changes[name])
        moved = bool(CALENDAR_FIELDS & set(changed))
        if moved:
            locked.sequence += 1
        locked.full_clean()
        locked.save(update_fields=[*changed, "sequence", "updated_at"])
        if moved:
            locked.invitations.update(reminded_at=None)
            _send(locked, locked.invitations.filter(sent_sequence__isnull=False), update=True)
        if "capacity" in changed:
            _seat_waiting(locked)
        log_action(actor=by, action="meeting.changed", obj=locked, data={"fields": changed})
    return locked


def cancel_meeting(meeting, *, by):
    """Cancel a meeting.

    Side effects: status "cancelled", SEQUENCE grows, everyone who had the invitation
    gets a cancellation (METHOD:CANCEL, so their calendar removes the event); an
    audit entry. Raises MeetingError if it was cancelled already.
    """
    with transaction.atomic():
        locked = PrepMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_cancelled:
            raise MeetingError(_("This meeting is already cancelled."))
        locked.status = MeetingStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
        recipients = locked.invitations.filter(sent_sequence__isnull=False).select_related("user")
        for invitation in recipients:
            queue_meeting_email(locked, invitation, "meeting_cancelled", method=ics.CANCEL)
        recipients.update(sent_sequence=locked.sequence)
        log_action(actor=by, action="meeting.cancelled", obj=locked)
    return locked


def send_invitations(meeting, *, by):
    """Invite everyone the meeting names who has not had its latest version.

    The groups are read again now, so an awardee confirmed since the last send is
    invited too. Side effects: an invitation row per new participant; one email per
    person (in their language, the time in their zone, a calendar file); an audit
    entry with the count. Returns the number of emails queued.
    """
    with transaction.atomic():
        locked = PrepMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_cancelled:
            raise MeetingError(_("This meeting is cancelled: nobody can be invited."))
        if locked.starts_at <= timezone.now():
            raise MeetingError(_("This meeting has started: it is too late to invite anyone."))
        people = []
        for group in locked.groups.all():
            people.extend(members_of_group(group))
        add_participants(locked, people=people)
        due = locked.invitations.exclude(sent_sequence=locked.sequence)
        count = _send(locked, due, update=False)
        log_action(actor=by, action="meeting.invitations_sent", obj=locked, data={"count": count})
    return count


def _send(meeting, invitations, *, update):
    """Queue the invitation (or its update) to each of `invitations`; mark them sent."""
    invitations = list(invitations.select_related("user"))
    now = timezone.now()
    for invitation in invitations:
        # Someone who never had the invitation gets it as new, not as a change.
        is_update = update and invitation.sent_sequence is not None
        queue_meeting_email(
            meeting, invitation, "meeting_invitation", method=ics.REQUEST, update=is_update
        )
        invitation.sent_sequence = meeting.sequence
        invitation.invited_at = invitation.invited_at or now
    Invitation.objects.bulk_update(invitations, ["sent_sequence", "invited_at"])
    return len(invitations)


# Answers and seats


def invitation_from_token(token):
    """The invitation a signed link names. Raises MeetingError, saying why, when the
    link was changed or has expired."""
    signer = signing.TimestampSigner(salt=RSVP_SALT)
    try:
        public_id = signer.unsign(token, max_age=rsvp_link_max_age())
    except signing.SignatureExpired as error:
        raise MeetingError(
            _(
                "This link has expired. Sign in and answer from your meetings page, "
                "or use the link in a newer email."
            )
        ) from error
    except signing.BadSignature as error:
        raise MeetingError(
            _("This link is not valid. Copy the whole link from the email, or sign in.")
        ) from error
    invitation = (
        Invitation.objects.select_related("meeting", "user").filter(public_id=public_id).first()
    )
    if invitation is None:
        raise MeetingError(_("This invitation no longer exists."))
    return invitation


def answer_invitation(invitation, *, answer, by):
    """Record a participant's answer (yes, maybe, no), within the meeting's capacity.

    The meeting row is locked first, so two people taking the last seat at once are
    served one after the other: one gets the seat, the other waits for one. Side
    effects: the invitation's answer (and seat or place in the queue); when a seat
    is freed, the first person waiting gets it and an email says so; an audit entry.
    Raises MeetingError for a cancelled or past meeting or an unknown answer.
    """
    if answer not in ANSWERS:
        raise MeetingError(_("Choose yes, maybe or no."))
    with transaction.atomic():
        meeting = PrepMeeting.objects.select_for_update().get(pk=invitation.meeting_id)
        if meeting.is_cancelled:
            raise MeetingError(_("This meeting is cancelled."))
        if meeting.starts_at <= timezone.now():
            raise MeetingError(_("This meeting has already started."))
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        had_seat = locked.has_seat
        if answer == Rsvp.YES and locked.rsvp == Rsvp.YES:
            return locked  # a second click keeps the seat, or the place in the queue
        locked.rsvp = answer
        locked.responded_at = timezone.now()
        locked.waitlisted = False
        locked.waitlisted_at = None
        if answer == Rsvp.YES and meeting.capacity is not None:
            taken = seats_taken(meeting)
            if taken >= meeting.capacity:
                locked.waitlisted = True
                locked.waitlisted_at = locked.responded_at
        locked.save(update_fields=["rsvp", "responded_at", "waitlisted", "waitlisted_at"])
        if had_seat and not locked.has_seat:
            _seat_waiting(meeting)
        log_action(
            actor=by,
            action="meeting.answered",
            obj=meeting,
            data={"answer": answer, "waitlisted": locked.waitlisted},
        )
    invitation.rsvp, invitation.waitlisted = locked.rsvp, locked.waitlisted
    return locked


def _seat_waiting(meeting):
    """Give free seats to those waiting, first come first served, and tell them.
    Call with the meeting row locked."""
    waiting = meeting.invitations.filter(rsvp=Rsvp.YES, waitlisted=True).order_by(
        "waitlisted_at", "pk"
    )
    if meeting.capacity is not None:
        free = meeting.capacity - seats_taken(meeting)
        waiting = waiting[: max(free, 0)]
    for invitation in waiting.select_related("user"):
        invitation.waitlisted = False
        invitation.waitlisted_at = None
        invitation.save(update_fields=["waitlisted", "waitlisted_at"])
        queue_meeting_email(meeting, invitation, "meeting_seat")


# Reminders and attendance


def send_due_reminders(now=None):
    """Remind, once, everyone still expected at a meeting that starts within 24 hours.

    Run by `manage.py send_meeting_reminders` (every 15 minutes) or the
    `send_meeting_reminders_task`. Those who declined or still wait for a seat are
    not reminded. Side effects: one email per person, `reminded_at` set in the same
    transaction under a row lock, so two runs at once still send one reminder.
    Returns the number of reminders queued.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Only the invitations are locked, not the people's rows that come with them: a
        # sign-in (which writes the user's row) does not wait for the reminders.
        due = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(
                meeting__status=MeetingStatus.SCHEDULED,
                meeting__starts_at__gt=now,
                meeting__starts_at__lte=now + timedelta(hours=24),
                sent_sequence__isnull=False,
                reminded_at__isnull=True,
                rsvp__in=[Rsvp.NONE, Rsvp.YES, Rsvp.MAYBE],
                waitlisted=False,
            )
            .select_related("meeting", "user")
        )
        reminded = []
        for invitation in due:
            queue_meeting_email(invitation.meeting, invitation, "meeting_reminder")
            reminded.append(invitation.pk)
        Invitation.objects.filter(pk__in=reminded).update(reminded_at=now)
    count = len(reminded)
    if count:
        logger.info("Queued %s meeting reminders", count)
    return count


def mark_attendance(meeting, *, present, by):
    """Record who attended: the invitations whose ids are in `present` attended, the
    others did not. Side effects: every invitation of the meeting saved; an audit entry."""
    present = {int(pk) for pk in present}
    with transaction.atomic():
        invitations = meeting.invitations.select_for_update()
        invitations.filter(pk__in=present).update(attended=True)
        invitations.exclude(pk__in=present).update(attended=False)
        log_action(
            actor=by,
            action="meeting.attendance_marked",
            obj=meeting,
            data={"present": len(present)},
        )


# A person's own settings and data


def set_meeting_hours(user, *, earliest, latest):
    """The local hours in which `user` accepts meetings. Side effects: one row."""
    if latest <= earliest:
        raise MeetingError(_("The latest end must come after the earliest start."))
    hours, _created = MeetingHours.objects.update_or_create(
        user=user, defaults={"earliest": earliest, "latest": latest}
    )
    return hours


def export_meetings(user):
    """What is held about `user` here, for their copy of their data."""
    hours = MeetingHours.objects.filter(user=user).first()
    return {
        "hours": (
            {"earliest": hours.earliest.isoformat(), "latest": hours.latest.isoformat()}
            if hours
            else None
        ),
        "invitations": [
            {
                "meeting": str(invitation.meeting.title),
                "starts_at": invitation.meeting.starts_at.isoformat(),
                "answer": invitation.rsvp,
                "waiting_for_a_seat": invitation.waitlisted,
                "attended": invitation.attended,
            }
            for invitation in Invitation.objects.filter(user=user).select_related("meeting")
        ],
    }


def erase_meetings(user):
    """Delete `user`'s invitations and hours (their account is about to go).

    Side effects: a seat they held goes to the first person waiting, who is told.
    """
    seated = Invitation.objects.filter(user=user, rsvp=Rsvp.YES, waitlisted=False)
    freed = list(seated.values_list("meeting_id", flat=True))
    Invitation.objects.filter(user=user).delete()
    MeetingHours.objects.filter(user=user).delete()
    for meeting in PrepMeeting.objects.select_for_update().filter(
        pk__in=freed, status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now()
    ):
        _seat_waiting(meeting)
