"""The meetings' emails: each in its recipient's language, the time in their own zone."""

import zoneinfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from conferences.times import utc_offset_label
from notifications.services import queue_email

from . import ics
from .links import rsvp_url


def local_when(meeting, user, language):
    """'Tuesday 24 March 2026, 9:00–10:30 (America/New_York, UTC−04:00)' for `user`."""
    zone_name = user.time_zone or "UTC"
    zone = zoneinfo.ZoneInfo(zone_name)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    with translation.override(language):
        return _("%(day)s %(date)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
            "day": date_format(start, "l"),
            "date": date_format(start, "DATE_FORMAT"),
            "start": time_format(start, "H:i"),
            "end": time_format(end, "H:i"),
            "zone": zone_name,
            "offset": utc_offset_label(start),
        }


def language_names(codes, language):
    with translation.override(language):
        return ", ".join(str(get_language_info(code)["name_translated"]) for code in codes)


def email_context(meeting, invitation, language):
    user = invitation.user
    return {
        "name": user.display_name,
        "title": meeting.title_in(language),
        "when": local_when(meeting, user, language),
        "online": meeting.is_online,
        "link": meeting.online_link,
        "room": meeting.room,
        "address": meeting.address,
        "agenda": meeting.agenda_in(language),
        "languages": language_names(meeting.interpretation_languages, language),
        "rsvp_url": settings.SITE_URL + rsvp_url(invitation),
        "page_url": settings.SITE_URL + meeting.get_absolute_url(),
        "waitlisted": invitation.waitlisted,
        "answer": invitation.rsvp,
    }


def queue_meeting_email(meeting, invitation, template, *, method=None, update=False):
    """Queue `emails/<template>` to the invited person, in their language and time zone,
    with the calendar file when `method` (REQUEST or CANCEL) is given."""
    user = invitation.user
    language = user.preferred_language
    attachments = ()
    if method is not None:
        attachments = [
            ics.calendar_attachment(meeting, language=language, attendee=user, method=method)
        ]
    return queue_email(
        to=user.email,
        template=template,
        context=email_context(meeting, invitation, language) | {"update": update},
        language=language,
        user=user,
        attachments=attachments,
    )
