"""A call's balance policy and the record of each proposed selection."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from conferences.enums import Region

from ..enums import Gender
from .calls import Call

SHARE = [MinValueValidator(0), MaxValueValidator(1)]


class BalancePolicy(models.Model):
    """What a selection must respect: the budget, and the regional and gender balance."""

    call = models.OneToOneField(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="balance_policy"
    )
    budget = MoneyField(
        _("budget"), max_digits=12, decimal_places=2, default_currency="USD", null=True, blank=True
    )
    # The coordinator's pins: application public ids kept in, or kept out, of any proposal.
    pinned_in = models.JSONField(_("pinned in"), default=list, blank=True)
    pinned_out = models.JSONField(_("pinned out"), default=list, blank=True)
    first_time_min_share = models.DecimalField(
        _("first-time attendees, smallest share"),
        max_digits=3,
        decimal_places=2,
        default=0,
        validators=SHARE,
    )

    class Meta:
        verbose_name = _("balance policy")
        verbose_name_plural = _("balance policies")

    def __str__(self):
        return str(self.call)


class RegionTarget(models.Model):
    policy = models.ForeignKey(
        BalancePolicy, on_delete=models.CASCADE, related_name="region_targets"
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)
    min_count = models.PositiveSmallIntegerField(_("fewest awards"), default=0)
    min_share = models.DecimalField(
        _("smallest share"), max_digits=3, decimal_places=2, default=0, validators=SHARE
    )
    max_share = models.DecimalField(
        _("largest share"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SHARE
    )
    estimated_cost = models.DecimalField(
        _("estimated cost of one award"),
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text=_("In the budget's currency, until travel budgets give each person's cost."),
    )

    class Meta:
        verbose_name = _("regional target")
        verbose_name_plural = _("regional targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "region"], name="one_target_per_region")
        ]

    def __str__(self):
        return self.get_region_display()


class GenderTarget(models.Model):
    policy = models.ForeignKey(
        BalancePolicy, on_delete=models.CASCADE, related_name="gender_targets"
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    min_share = models.DecimalField(
        _("smallest share"), max_digits=3, decimal_places=2, default=0, validators=SHARE
    )

    class Meta:
        verbose_name = _("gender target")
        verbose_name_plural = _("gender targets")
        constraints = [
            models.UniqueConstraint(fields=["policy", "gender"], name="one_target_per_gender")
        ]

    def __str__(self):
        return self.get_gender_display()


class SelectionRun(models.Model):
    """One run of the optimiser, kept for audit: what went in, what came out, how sure."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="selection_runs"
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective = models.CharField(_("objective"), max_length=20)
    inputs_hash = models.CharField(_("inputs"), max_length=64)
    policy = models.JSONField(_("policy"), default=dict)
    status = models.CharField(_("status"), max_length=20)
    chosen = models.JSONField(_("proposed"), default=list)  # application public ids
    greedy = models.JSONField(_("score order"), default=list)
    total_merit = models.FloatField(_("total merit"), default=0)
    greedy_merit = models.FloatField(_("score-order merit"), default=0)
    greedy_breaks = models.JSONField(_("rules score order breaks"), default=list)
    total_cost = models.DecimalField(_("total cost"), max_digits=14, decimal_places=2, default=0)
    price_of_balance = models.JSONField(_("price of balance"), default=dict)
    conflicts = models.JSONField(_("conflicts"), default=list)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    solver = models.CharField(_("solver"), max_length=50, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.call} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def has_selection(self):
        """Whether the run proposes people: proven optimal, or the best found in time."""
        return self.status in ("optimal", "time_limit")
