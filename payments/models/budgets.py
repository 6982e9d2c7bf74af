"""Award travel budgets: per-call estimating rules, the budget of an award and its lines."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from djmoney.money import Money
from djmoney.settings import CURRENCY_CHOICES

from conferences.enums import Region
from scholarships.models import Call, Decision

from ..enums import BudgetStatus, ClosingReason, LineKind
from .funds import MONEY, Fund

SHARE = {
    "max_digits": 4,
    "decimal_places": 3,
    "validators": [MinValueValidator(0), MaxValueValidator(1)],
}


def optional_money(label, help_text=""):
    return MoneyField(
        label,
        **MONEY,
        null=True,
        blank=True,
        default_currency="USD",
        currency_choices=CURRENCY_CHOICES,
        help_text=help_text,
    )


class TravelPolicy(models.Model):
    """How a call's budgets are estimated: the per-diem rules and the flat costs.

    Kept as data so that finance can follow each donor's rules (the UN's DSA rules by
    default: 75 % on the travel days, about half of the allowance being for lodging).
    A call without one is estimated with the defaults and no flat costs.
    """

    call = models.OneToOneField(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="travel_policy"
    )
    days_before = models.PositiveSmallIntegerField(
        _("arrival, days before the conference"), default=1
    )
    days_after = models.PositiveSmallIntegerField(
        _("departure, days after the conference"), default=1
    )
    travel_day_share = models.DecimalField(
        _("share of the per diem paid on the first and last day"),
        **SHARE,
        default=Decimal("0.75"),
    )
    accommodation_reduction = models.DecimalField(
        _("per-diem reduction when accommodation is paid"),
        **SHARE,
        default=Decimal("0.50"),
        help_text=_("The share of the daily rate taken off each day when the award pays lodging."),
    )
    meals_reduction = models.DecimalField(
        _("per-diem reduction on days with meals provided"),
        **SHARE,
        default=Decimal("0"),
        help_text=_("The share taken off each conference day when the conference feeds people."),
    )
    nightly_rate = optional_money(_("accommodation, per night"))
    visa_fee = optional_money(_("visa fee"))
    insurance = optional_money(_("travel insurance, per person"))
    local_transport = optional_money(_("local transport, per person"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("travel policy")
        verbose_name_plural = _("travel policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(travel_day_share__gte=0, travel_day_share__lte=1)
                & models.Q(accommodation_reduction__gte=0, accommodation_reduction__lte=1)
                & models.Q(meals_reduction__gte=0, meals_reduction__lte=1),
                name="travel_policy_shares_between_0_and_1",
            ),
        ]

    def __str__(self):
        return str(self.call)


class AirfareEstimate(models.Model):
    """A return fare to a call's conference from a country, or from anywhere in a region."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="airfare_estimates"
    )
    country = CountryField(_("departure country"), blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    amount = MoneyField(
        _("return fare"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )

    class Meta:
        verbose_name = _("airfare estimate")
        verbose_name_plural = _("airfare estimates")
        ordering = ["call", "region", "country"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="airfare_estimate_positive"
            ),
            # A country, or a region: exactly one.
            models.CheckConstraint(
                condition=(models.Q(country="") & ~models.Q(region=""))
                | (~models.Q(country="") & models.Q(region="")),
                name="airfare_estimate_country_or_region",
            ),
            models.UniqueConstraint(
                fields=["call", "country", "region"], name="airfare_estimate_unique"
            ),
        ]

    def __str__(self):
        return f"{self.country.name or self.get_region_display()}: {self.amount}"


class AwardBudget(models.Model):
    """The travel budget of one award, paid from one fund, in that fund's currency.

    `planned_total`, `paid_total` and `committed_total` are kept by the services under
    the budget's row lock, each change with a ledger entry; `check_ledger` recomputes
    them from the lines and disbursements. Committed is the planned total while the
    budget is open (or what was paid, if an override paid more), and only what was
    paid once it is closed: the rest goes back to the fund.
    """

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    decision = models.OneToOneField(
        Decision, verbose_name=_("award"), on_delete=models.PROTECT, related_name="budget"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="budgets"
    )
    # The award's call and region, copied from its application when the budget is made
    # (neither changes once an application is sent, not even when it is anonymised):
    # they name the BudgetTotal that adds this budget up with the others.
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    region = models.CharField(
        _("region"), max_length=30, choices=Region.choices, blank=True, editable=False
    )
    priced_on = models.DateField(
        _("exchange rates of"), help_text=_("Lines in other currencies use the rates of this day.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.OPEN
    )
    closing_reason = models.CharField(
        _("closed because"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    closing_note = models.TextField(_("note on closing"), blank=True)
    accommodation_provided = models.BooleanField(
        _("accommodation provided by the conference"), default=False
    )
    meals_provided = models.BooleanField(_("meals provided on conference days"), default=False)
    planned_total = MoneyField(_("planned"), **MONEY, default_currency="USD")
    paid_total = MoneyField(_("paid"), **MONEY, default_currency="USD")
    committed_total = MoneyField(_("committed"), **MONEY, default_currency="USD")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("award budget")
        verbose_name_plural = _("award budgets")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=BudgetStatus.values), name="budget_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_total__gte=0)
                & models.Q(paid_total__gte=0)
                & models.Q(committed_total__gte=0),
                name="budget_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(status=BudgetStatus.OPEN) | ~models.Q(closing_reason=""),
                name="closed_budget_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["fund", "status"])]

    def __str__(self):
        return str(self.public_id)[:8]

    def get_absolute_url(self):
        return reverse("payments:budget-detail", kwargs={"public_id": self.public_id})

    @property
    def currency(self):
        return self.fund.amount.currency.code

    @property
    def total(self):
        """The planned total in the fund's currency, as Money: the sum of the lines, each
        converted with the rate it records. (For letters and summaries.)"""
        return self.planned_total

    @property
    def is_open(self):
        return self.status == BudgetStatus.OPEN

    def committed_for(self, planned, paid):
        """What this budget holds of its fund for a planned and a paid total."""
        if self.status == BudgetStatus.CLOSED:
            return paid
        return max(planned, paid)

    def zero(self):
        return Money(0, self.currency)


class BudgetLine(models.Model):
    """One line of a budget, in its own currency, with its value in the fund's currency
    and the conversion that gave it (rate, source, date), kept as it was."""

    budget = models.ForeignKey(
        AwardBudget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("for"), max_length=20, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=8, decimal_places=2, default=Decimal(1)
    )
    unit_amount = MoneyField(
        _("unit amount"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    amount = MoneyField(
        _("amount"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    amount_in_fund = MoneyField(_("in the fund's currency"), **MONEY, default_currency="USD")
    conversion = models.JSONField(_("conversion"), default=dict, blank=True)
    calculation = models.CharField(_("how it was worked out"), max_length=300, blank=True)
    estimated = models.BooleanField(_("estimated"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LineKind.values), name="budget_line_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0)
                & models.Q(amount_in_fund__gte=0)
                & models.Q(unit_amount__gte=0)
                & models.Q(quantity__gte=0),
                name="budget_line_not_negative",
            ),
            # One line of each kind; "other" may have several.
            models.UniqueConstraint(
                fields=["budget", "kind"],
                condition=~models.Q(kind=LineKind.OTHER),
                name="budget_line_one_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount}"


class BudgetTotal(models.Model):
    """The award budgets of one fund, call and region added up: how many, and their
    planned, committed and paid totals, in the fund's currency.

    Kept by `payments.ledger.set_totals` in the transaction that changes a budget's own
    totals, under its fund's row lock, so that the finance reports read a few rows
    whatever the number of awards; `payments.ledger.check_ledger` adds the budgets up
    again and reports any difference.
    """

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    awards = models.PositiveIntegerField(_("awards"), default=0)
    planned = MoneyField(_("planned"), **MONEY, default_currency="USD")
    committed = MoneyField(_("committed"), **MONEY, default_currency="USD")
    paid = MoneyField(_("paid"), **MONEY, default_currency="USD")

    class Meta:
        verbose_name = _("budget total")
        verbose_name_plural = _("budget totals")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "call", "region"], name="budget_total_one_per_group"
            ),
        ]

    def __str__(self):
        return f"{self.fund_id}/{self.call_id}/{self.region or '-'}: {self.planned}"
