"""What the coordinator decided for each application, and what the awardee replied."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.fields import EncryptedTextField

from ..enums import ApplicationStatus, Coverage, Outcome, Reply
from ..validators import validate_support_kinds
from .applications import Application
from .selection import SelectionRun

# A reply-by date holds until the day has ended everywhere on earth (UTC−12).
ANYWHERE_ON_EARTH = zoneinfo.ZoneInfo("Etc/GMT+12")


class Decision(models.Model):
    """An award, a place on the waitlist or a regret, from the moment it is confirmed.

    The applicant learns of it only once `released_at` is set: the coordinator reads
    the emails before they go. An award waits for the awardee's reply until the end of
    `reply_by`, anywhere on earth.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    run = models.ForeignKey(
        SelectionRun,
        verbose_name=_("selection run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    coverage = models.CharField(_("award"), max_length=10, choices=Coverage.choices, blank=True)
    # What a partial award pays for; a full award pays for what was asked.
    covers = models.JSONField(
        _("pays for"), default=list, blank=True, validators=[validate_support_kinds]
    )
    waitlist_rank = models.PositiveIntegerField(_("place on the waitlist"), null=True, blank=True)
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    reply = models.CharField(
        _("reply"), max_length=10, choices=Reply.choices, default=Reply.PENDING, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    released_at = models.DateTimeField(_("email sent at"), null=True, blank=True)
    # Set when a waitlisted person was offered a place that someone else gave up.
    offered_from_waitlist_at = models.DateTimeField(
        _("offered from the waitlist at"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["outcome", "waitlist_rank", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.AWARD)
                | (
                    models.Q(coverage__in=Coverage.values)
                    & models.Q(reply_by__isnull=False)
                    & models.Q(waitlist_rank__isnull=True)
                ),
                name="award_has_coverage_and_reply_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.WAITLIST)
                | models.Q(waitlist_rank__isnull=False),
                name="waitlist_has_rank",
            ),
            models.CheckConstraint(
                condition=models.Q(reply=Reply.PENDING) | models.Q(outcome=Outcome.AWARD),
                name="only_awards_get_replies",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "reply", "reply_by"])]

    def __str__(self):
        return f"{self.application} {self.outcome}"

    @property
    def reply_deadline(self):
        """The first moment at which the reply-by day has ended everywhere."""
        if self.reply_by is None:
            return None
        return datetime.datetime.combine(
            self.reply_by + datetime.timedelta(days=1), datetime.time(), tzinfo=ANYWHERE_ON_EARTH
        )

    @property
    def is_accepted(self):
        """An award its awardee accepted and still holds: what budgets, letters and prep
        meetings are for. Reads the application (select_related it)."""
        return (
            self.outcome == Outcome.AWARD
            and self.released_at is not None
            and self.reply == Reply.ACCEPTED
            and self.application.status == ApplicationStatus.AWARDED
        )

    @property
    def awaits_reply(self):
        return (
            self.outcome == Outcome.AWARD
            and self.released_at is not None
            and self.reply == Reply.PENDING
        )


class TravellerDetails(models.Model):
    """What a visa letter and a ticket need, asked only once an award is accepted.

    Everything here is encrypted: a passport number is the most dangerous thing the
    portal holds. Dates are kept as ISO text inside the encryption.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="traveller",
    )
    legal_name = EncryptedTextField(_("name as in the passport"))
    nationality = EncryptedTextField(_("nationality"))
    date_of_birth = EncryptedTextField(_("date of birth"))
    passport_number = EncryptedTextField(_("passport number"))
    passport_expires_on = EncryptedTextField(_("passport valid until"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("traveller's details")
        verbose_name_plural = _("travellers' details")

    def __str__(self):
        return str(self.application)
