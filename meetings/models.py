import uuid
from datetime import time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from i18nfield.fields import I18nCharField, I18nTextField
from i18nfield.strings import LazyI18nString

from accounts.validators import validate_time_zone
from conferences.enums import Region
from conferences.models import Conference
from scholarships.models import Call

from .enums import GroupKind, MeetingFormat, MeetingStatus, Rsvp
from .validators import validate_languages

DEFAULT_EARLIEST = time(8)
DEFAULT_LATEST = time(21)


def text_in(value, language):
    """A five-language text in `language` (English when it is missing there)."""
    if not value:
        return ""
    if not isinstance(value, LazyI18nString):
        value = LazyI18nString(value)
    return value.localize(language)


class MeetingHours(models.Model):
    """The local hours in which a person accepts meetings; 08:00–21:00 without a row.

    Kept here rather than on the user: only meetings need it, and `accounts` stays
    below this app.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="meeting_hours",
    )
    earliest = models.TimeField(_("earliest start"), default=DEFAULT_EARLIEST)
    latest = models.TimeField(_("latest end"), default=DEFAULT_LATEST)

    class Meta:
        verbose_name = _("meeting hours")
        verbose_name_plural = _("meeting hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest__gt=models.F("earliest")),
                name="meeting_hours_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.earliest:%H:%M}–{self.latest:%H:%M}"


class PrepMeeting(models.Model):
    """A preparatory meeting of a conference's scholars, online or at the venue.

    The start is stored in UTC with the organiser's time zone beside it (to enter and
    show it); each participant sees it in their own zone. `sequence` is the calendar
    file's SEQUENCE: it grows each time the time or the place changes.
    """

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("conference"),
        on_delete=models.PROTECT,
        related_name="prep_meetings",
    )
    title = I18nCharField(
        _("title"),
        max_length=200,
        help_text=_(
            "It shows in emails and in people's calendars, where others may read it: "
            "word it neutrally."
        ),
    )
    agenda = I18nTextField(_("agenda"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.ONLINE
    )
    online_link = models.URLField(_("link to join"), blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
    )
    time_zone = models.CharField(
        _("organiser's time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The start is entered and shown in this time zone."),
    )
    interpretation_languages = models.JSONField(
        _("languages with interpretation"),
        default=list,
        blank=True,
        validators=[validate_languages],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats for those who answer yes; others wait for a seat. Empty: no limit."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("preparatory meeting")
        verbose_name_plural = _("preparatory meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values),
                name="prep_meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=MeetingFormat.values),
                name="prep_meeting_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="prep_meeting_duration_range",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="prep_meeting_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", kwargs={"public_id": self.public_id})

    @property
    def ends_at(self):
        return self.starts_at + self.duration

    @property
    def duration(self):
        return timedelta(minutes=self.duration_minutes)

    @property
    def is_online(self):
        return self.format == MeetingFormat.ONLINE

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    def title_in(self, language):
        return text_in(self.title, language)

    def agenda_in(self, language):
        return text_in(self.agenda, language)

    def where(self):
        """The place in one line: the link online, the room and address in person."""
        if self.is_online:
            return self.online_link
        return ", ".join(part for part in (self.room, " ".join(self.address.split())) if part)


class ParticipantGroup(models.Model):
    """A group a meeting invites as a whole; its members become invitations when sent."""

    meeting = models.ForeignKey(
        PrepMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="groups"
    )
    kind = models.CharField(_("group"), max_length=30, choices=GroupKind.choices)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("group of participants")
        verbose_name_plural = _("groups of participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=GroupKind.values), name="participant_group_kind_valid"
            ),
        ]

    def __str__(self):
        parts = [self.get_kind_display()]
        if self.call_id:
            parts.append(str(self.call))
        if self.region:
            parts.append(self.get_region_display())
        return " · ".join(parts)


class Invitation(models.Model):
    """One person invited to one meeting: their answer, seat, reminder and attendance.

    `sent_sequence` is the calendar SEQUENCE the person last received (None: nothing
    sent yet), so that an update goes to those who had the earlier version.
    """

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        PrepMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    rsvp = models.CharField(_("answer"), max_length=10, choices=Rsvp.choices, default=Rsvp.NONE)
    waitlisted = models.BooleanField(
        _("waiting for a seat"),
        default=False,
        help_text=_("Answered yes when every seat was taken."),
    )
    waitlisted_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(_("calendar sequence sent"), null=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_person"),
            models.CheckConstraint(
                condition=models.Q(rsvp__in=Rsvp.values), name="invitation_rsvp_valid"
            ),
            # Only someone who said yes can wait for a seat.
            models.CheckConstraint(
                condition=models.Q(waitlisted=False) | models.Q(rsvp=Rsvp.YES),
                name="invitation_waitlisted_said_yes",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "rsvp", "waitlisted"])]

    def __str__(self):
        return f"{self.meeting} · {self.user_id}"

    @property
    def has_seat(self):
        return self.rsvp == Rsvp.YES and not self.waitlisted
