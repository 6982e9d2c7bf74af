"""Donors' funds, their allocations to calls, exchange rates and per-diem rates.

Every amount is django-money (Decimal and an explicit currency). Writes go through
`payments.services`; these models hold fields, constraints and small checks only.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from djmoney.settings import CURRENCY_CHOICES

from scholarships.models import Call

MONEY = {"max_digits": 14, "decimal_places": 2}
# A rate of 1 unit of one currency in another: 655.957 XOF per EUR, 0.0015 EUR per XOF.
RATE = {"max_digits": 20, "decimal_places": 10}


class Fund(models.Model):
    """A donor's grant: what it gives, in which currency, for which period and on which terms."""

    donor = models.CharField(_("donor"), max_length=200)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The grant's name or reference at the donor.")
    )
    amount = MoneyField(
        _("amount"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    restrictions = models.TextField(
        _("restrictions"),
        blank=True,
        help_text=_("What the donor allows the money to be spent on, and what not."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-period_start", "donor", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="fund_period_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.donor}: {self.name}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class FundAllocation(models.Model):
    """The part of a fund that a call may spend, in the fund's currency."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="fund_allocations"
    )
    amount = MoneyField(
        _("amount"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["fund", "call"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="fund_allocation_amount_positive"
            ),
            # One allocation per fund and call: a top-up changes its amount.
            models.UniqueConstraint(fields=["fund", "call"], name="fund_allocation_unique"),
        ]

    def __str__(self):
        return f"{self.fund} → {self.call}: {self.amount}"

    def clean(self):
        super().clean()
        # The database cannot compare two tables' currencies; the service and this check do.
        currency = self.fund.amount.currency.code if self.fund_id else None
        if currency and self.amount is not None and self.amount.currency.code != currency:
            raise ValidationError(
                {
                    "amount": _("An allocation is in its fund's currency (%(currency)s).")
                    % {"currency": currency}
                }
            )


class ExchangeRate(models.Model):
    """On `valid_on` and after (until a newer rate), 1 `from_currency` = `rate` `to_currency`.

    The same rate read the other way converts back (1 / rate), so one row per pair
    and date is enough.
    """

    from_currency = models.CharField(_("from currency"), max_length=3, choices=CURRENCY_CHOICES)
    to_currency = models.CharField(_("to currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(
        _("rate"),
        **RATE,
        help_text=_("How much of the second currency one unit of the first buys."),
    )
    valid_on = models.DateField(_("valid from"))
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Where the rate comes from, for example “Central bank reference rate”."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-valid_on", "from_currency", "to_currency"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~models.Q(from_currency=models.F("to_currency")),
                name="exchange_rate_two_currencies",
            ),
            models.UniqueConstraint(
                fields=["from_currency", "to_currency", "valid_on"],
                name="exchange_rate_unique_per_day",
            ),
        ]
        indexes = [models.Index(fields=["from_currency", "to_currency", "-valid_on"])]

    def __str__(self):
        rate = f"{self.rate.normalize():f}"
        return f"1 {self.from_currency} = {rate} {self.to_currency} ({self.valid_on})"


class PerDiemRate(models.Model):
    """A daily subsistence rate for a country, or for one city in it, from a date on."""

    country = CountryField(_("country"))
    city = models.CharField(
        _("city"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the rate for the rest of the country."),
    )
    daily_rate = MoneyField(
        _("daily rate"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    valid_from = models.DateField(_("valid from"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("per-diem rate")
        verbose_name_plural = _("per-diem rates")
        ordering = ["country", "city", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_rate__gt=0), name="per_diem_rate_positive"
            ),
            # "Cape Town" and "cape town " are one city.
            models.UniqueConstraint(
                "country", Lower("city"), "valid_from", name="per_diem_rate_unique"
            ),
        ]

    def __str__(self):
        place = f"{self.city}, {self.country.name}" if self.city else str(self.country.name)
        return f"{place} {self.valid_from}: {self.daily_rate}"

    def clean(self):
        super().clean()
        self.city = " ".join(self.city.split())
