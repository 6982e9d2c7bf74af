"""The review panel: a call's rubric, its reviewers, their conflicts, assignments and reviews."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from i18nfield.fields import I18nCharField, I18nTextField

from config.fields import EncryptedTextField

from ..enums import Recommendation, ReviewStatus
from .applications import Application
from .calls import Call


class Criterion(models.Model):
    """One line of a call's rubric: scored from 1 to `scale`, counted with `weight`."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = I18nCharField(_("criterion"), max_length=200)
    guidance = I18nTextField(_("guidance"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    scale = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(scale__gte=2), name="criterion_scale_at_least_two"
            ),
        ]

    def __str__(self):
        return str(self.name)


class PanelMember(models.Model):
    """A reviewer on one call's panel, with what decides which applications they read."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="panel"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="panels",
    )
    languages = models.JSONField(
        _("languages read"),
        default=list,
        help_text=_("Language codes of the interface: en, fr, es, ru, zh-hans."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    min_reviews = models.PositiveSmallIntegerField(_("fewest reviews"), default=0)
    max_reviews = models.PositiveSmallIntegerField(_("most reviews"), default=30)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reviewer"], name="one_seat_per_reviewer_per_call"
            ),
            models.CheckConstraint(
                condition=models.Q(max_reviews__gte=models.F("min_reviews")),
                name="panel_member_cap_above_floor",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} ({self.call})"


class Conflict(models.Model):
    """A reviewer's declared conflict: they are never assigned, nor shown, the application."""

    member = models.ForeignKey(
        PanelMember,
        verbose_name=_("panel member"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="one_conflict_per_pair")
        ]

    def __str__(self):
        return f"{self.member} × {self.application}"


class ReviewAssignment(models.Model):
    """One application to be read by one panel member; holds their review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    member = models.ForeignKey(
        PanelMember,
        verbose_name=_("panel member"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # criterion id → score
    comment = EncryptedTextField(_("comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        constraints = [
            # One review per reviewer per application (SECURITY.md, AC-6).
            models.UniqueConstraint(
                fields=["application", "member"], name="one_review_per_reviewer_per_application"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ReviewStatus.DRAFT)
                | models.Q(submitted_at__isnull=False),
                name="submitted_review_has_date",
            ),
        ]
        indexes = [
            # Each reviewer's latest submission, one probe each (queries.ranking_state).
            models.Index(fields=["member", "submitted_at"], name="review_member_submitted"),
        ]

    def __str__(self):
        return f"{self.member.reviewer} → {self.application}"

    @property
    def is_submitted(self):
        return self.status == ReviewStatus.SUBMITTED


def weighted_total(scores, criteria):
    """The weighted mean of the scores, each brought to a 0–10 scale, to two decimals;
    None until every criterion has a score."""
    total = weight = Decimal(0)
    for criterion in criteria:
        score = scores.get(str(criterion.pk))
        if score is None:
            return None
        total += Decimal(criterion.weight) * Decimal(score - 1) / Decimal(criterion.scale - 1) * 10
        weight += criterion.weight
    if not weight:
        return None
    return (total / weight).quantize(Decimal("0.01"))
