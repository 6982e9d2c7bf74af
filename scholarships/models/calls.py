import zoneinfo
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from i18nfield.fields import I18nCharField, I18nTextField

from conferences.models import Conference

from ..enums import CallStatus
from ..validators import validate_support_kinds


class Call(models.Model):
    """A call for scholarship applications to one conference.

    Texts are stored in the five languages; a missing translation falls back to
    English. Opening and closing are stored in UTC and entered and shown in the
    conference's time zone.
    """

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.PROTECT, related_name="calls"
    )
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title = I18nCharField(_("title"), max_length=200)
    public_name = I18nCharField(
        _("name in emails and letters"),
        max_length=200,
        blank=True,
        help_text=_(
            "Neutral wording that a family member, an employer or a border officer may "
            "read. Empty: the title is used."
        ),
    )
    summary = I18nTextField(
        _("summary"), help_text=_("One or two sentences for the list of calls.")
    )
    description = I18nTextField(_("description"))
    eligibility = I18nTextField(_("who may apply"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    number_of_awards = models.PositiveSmallIntegerField(
        _("number of awards"), validators=[MinValueValidator(1)]
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    support_offered = models.JSONField(
        _("kinds of support offered"), default=list, validators=[validate_support_kinds]
    )
    retention_days = models.PositiveIntegerField(
        _("days personal data is kept after the conference"),
        default=730,
        validators=[MinValueValidator(30)],
        help_text=_(
            "After this many days from the conference's last day, applications are "
            "anonymised: personal answers and letters erased, totals kept."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["closes_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CallStatus.values), name="call_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(number_of_awards__gte=1), name="call_awards_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(reviewers_per_application__gte=1),
                name="call_reviewers_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "opens_at", "closes_at"])]

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("scholarships:call-detail", kwargs={"slug": self.slug})

    def public_name_in(self, language):
        """What emails and letters call this call, in `language`."""
        return (self.public_name or self.title).localize(language)

    @property
    def time_zone(self):
        return zoneinfo.ZoneInfo(self.conference.time_zone)

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at

    @property
    def retention_ends_on(self):
        return self.conference.end_date + timedelta(days=self.retention_days)

    def has_opened(self, now=None):
        return (now or timezone.now()) >= self.opens_at


class EligibilityQuestion(models.Model):
    """A yes/no question that screens applicants before they start."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    text = I18nCharField(_("question"), max_length=300)
    required_answer = models.BooleanField(
        _("answer needed to be eligible"), help_text=_("Ticked: “yes” is needed; not ticked: “no”.")
    )
    explanation = I18nTextField(
        _("explanation when not eligible"),
        blank=True,
        help_text=_("Shown kindly to a person whose answer makes them ineligible."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return str(self.text)


class MotivationQuestion(models.Model):
    """An open question of a call, answered in at most `word_limit` words."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="motivation_questions"
    )
    text = I18nCharField(_("question"), max_length=300)
    help_text = I18nTextField(_("guidance"), blank=True)
    word_limit = models.PositiveSmallIntegerField(
        _("word limit"), default=250, validators=[MinValueValidator(10), MaxValueValidator(2000)]
    )
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("motivation question")
        verbose_name_plural = _("motivation questions")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return str(self.text)
