from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from i18nfield.fields import I18nTextField

from accounts.validators import validate_time_zone

from .enums import ConferenceKind, Region


class CountryRegion(models.Model):
    """Which of the network's regions a country belongs to; editable by staff."""

    country = CountryField(_("country"), unique=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices)

    class Meta:
        verbose_name = _("country's region")
        verbose_name_plural = _("countries' regions")
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__in=Region.values), name="country_region_region_valid"
            ),
        ]

    def __str__(self):
        return f"{self.country.name} → {self.get_region_display()}"


class Conference(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=ConferenceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The IANA time zone of the venue, for example Africa/Johannesburg."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    registration_fee = MoneyField(
        _("registration fee"),
        max_digits=12,
        decimal_places=2,
        default_currency="USD",
        validators=[MinMoneyValidator(0)],
    )
    website = models.URLField(_("website"), blank=True)
    travel_safety_notes = I18nTextField(
        _("travel-safety notes"),
        blank=True,
        help_text=_(
            "Entry rules and legal risks in the host country, read by applicants before "
            "they apply and by awardees before they travel."
        ),
    )

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="conference_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ConferenceKind.values), name="conference_kind_valid"
            ),
        ]

    def __str__(self):
        return self.acronym or self.name
