"""Calendar files (RFC 5545, with the iTIP methods of RFC 5546) for prep meetings.

The UID is the meeting's own, so every update and the cancellation replace the same
event in a participant's calendar; SEQUENCE grows with each change of time or place;
DTSTART is in UTC, which every calendar reads. Only the recipient is named as an
attendee: a calendar file never lists the other participants.
"""

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Scholarship portal//Prep meetings//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def uid_for(meeting):
    return f"{meeting.public_id}@prep-meetings"


def organiser_address():
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address or "noreply@localhost"


def meeting_calendar(meeting, *, language, attendee=None, method=REQUEST, now=None):
    """The meeting as an iCalendar file (bytes), texts in `language`.

    `method` is REQUEST for an invitation or an update, CANCEL for a cancellation;
    a cancellation is also written when the meeting itself is cancelled.
    """
    if meeting.is_cancelled:
        method = CANCEL
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid_for(meeting))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title_in(language))
    description = meeting.agenda_in(language)
    if meeting.is_online and meeting.online_link:
        description = f"{meeting.online_link}\n\n{description}".strip()
        event.add("url", meeting.online_link)
    if description:
        event.add("description", description)
    if meeting.where():
        event.add("location", meeting.where())
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organiser = vCalAddress(f"mailto:{organiser_address()}")
    event.add("organizer", organiser)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["cn"] = vText(attendee.display_name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_attachment(meeting, *, language, attendee=None, method=REQUEST):
    """(filename, text, mimetype) for `queue_email(attachments=...)`."""
    content = meeting_calendar(meeting, language=language, attendee=attendee, method=method)
    method = CANCEL if meeting.is_cancelled else method
    return (
        "meeting.ics" if method == REQUEST else "cancelled.ics",
        content.decode("utf-8"),
        f"text/calendar; method={method}",
    )
