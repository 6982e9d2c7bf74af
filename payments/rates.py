"""Reading rates: converting money on a date, and the per-diem rate of a place.

Both read the rate valid on the day asked for: the newest one whose date is on or
before it. Neither guesses: a missing rate is an error that names what is missing.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries.fields import Country
from djmoney.money import Money

from .errors import MissingExchangeRate, MissingPerDiemRate
from .models import ExchangeRate, PerDiemRate
from .money import currency_code, round_money, with_code


@dataclass(frozen=True)
class Conversion:
    """A converted amount and what it was converted with, for the caller to record and show.

    `rate` is what one unit of the original currency was worth: the stored rate, or
    its inverse (computed in Decimal, not rounded) when the stored pair runs the other
    way. `exchange_rate` is None only when nothing needed converting.
    """

    original: Money
    money: Money
    rate: Decimal
    inverted: bool
    exchange_rate: ExchangeRate | None

    @property
    def source(self):
        return self.exchange_rate.source if self.exchange_rate else ""

    @property
    def valid_on(self):
        return self.exchange_rate.valid_on if self.exchange_rate else None

    def as_record(self):
        """A JSON-ready record of the conversion, to keep beside the converted amount."""
        record = self.exchange_rate
        return {
            "from": {
                "amount": str(self.original.amount),
                "currency": currency_code(self.original.currency),
            },
            "to": {
                "amount": str(self.money.amount),
                "currency": currency_code(self.money.currency),
            },
            "rate": str(self.rate),
            "inverted": self.inverted,
            "exchange_rate_id": record.pk if record else None,
            "stored_rate": str(record.rate) if record else None,
            "source": self.source,
            "valid_on": self.valid_on.isoformat() if record else None,
        }

    def __str__(self):
        if self.exchange_rate is None:
            return str(self.money)
        return _("%(original)s = %(money)s at %(rate)s (%(source)s, %(date)s)") % {
            "original": with_code(self.original),
            "money": with_code(self.money),
            "rate": f"{self.rate.normalize():f}",
            "source": self.source,
            "date": date_format(self.valid_on),
        }


def rate_on(from_currency, to_currency, on_date):
    """The ExchangeRate to use between two currencies on `on_date`, and whether it runs
    the other way (to → from, to be inverted); raises MissingExchangeRate.

    The newest rate dated on or before the day wins, whichever way it was entered; on
    the same day a rate entered in the direction asked for wins over an inverse one.
    """
    from_code, to_code = currency_code(from_currency), currency_code(to_currency)
    candidates = ExchangeRate.objects.filter(
        Q(from_currency=from_code, to_currency=to_code)
        | Q(from_currency=to_code, to_currency=from_code),
        valid_on__lte=on_date,
    ).order_by("-valid_on")[:2]
    candidates = list(candidates)
    if not candidates:
        raise MissingExchangeRate(
            _(
                "There is no exchange rate between %(from)s and %(to)s valid on %(date)s. "
                "Enter or import one dated on or before that day."
            )
            % {"from": from_code, "to": to_code, "date": date_format(on_date)}
        )
    newest = [rate for rate in candidates if rate.valid_on == candidates[0].valid_on]
    direct = [rate for rate in newest if rate.from_currency == from_code]
    chosen = direct[0] if direct else newest[0]
    return chosen, chosen.from_currency != from_code


def convert(money, to_currency, on_date, *, cache=None):
    """`money` in `to_currency` with the rate valid on `on_date`, rounded once to the
    currency's smallest unit (ROUND_HALF_UP, see `payments.money`).

    Returns a Conversion (the converted Money, the rate applied, its record, source and
    date). Raises MissingExchangeRate when no rate is valid on that day. Reads only.
    `cache`, a dict, keeps the rates looked up across many conversions of one day.
    """
    if not isinstance(money, Money):
        raise TypeError("convert() takes a Money, with its currency.")
    if isinstance(on_date, datetime) or not isinstance(on_date, date):
        raise TypeError("convert() takes the date whose rate applies.")
    to_code = currency_code(to_currency)
    if currency_code(money.currency) == to_code:
        return Conversion(money, round_money(money), Decimal(1), False, None)
    key = (currency_code(money.currency), to_code, on_date)
    if cache is None or key not in cache:
        try:
            found = rate_on(money.currency, to_code, on_date)
        except MissingExchangeRate as error:
            found = error  # remembered too: a missing rate is not looked up again
        if cache is not None:
            cache[key] = found
    else:
        found = cache[key]
    if isinstance(found, MissingExchangeRate):
        raise found
    record, inverted = found
    if inverted:
        # Divide rather than multiply by a rounded inverse: one rounding, at the end.
        amount = money.amount / record.rate
        rate = Decimal(1) / record.rate
    else:
        amount = money.amount * record.rate
        rate = record.rate
    return Conversion(money, round_money(amount, to_code), rate, inverted, record)


def normalise_city(city):
    return " ".join((city or "").split())


def per_diem_rate(country, city, on_date):
    """The PerDiemRate for `city` in `country` on `on_date`: the city's own rate when one is
    valid that day, else the country's rate (entered without a city). Raises
    MissingPerDiemRate naming the place and the day. Reads only.
    """
    code = country.code if isinstance(country, Country) else str(country).upper()
    city = normalise_city(city)
    valid = PerDiemRate.objects.filter(country=code, valid_from__lte=on_date).order_by(
        "-valid_from"
    )
    if city:
        rate = valid.filter(city__iexact=city).first()
        if rate is not None:
            return rate
    rate = valid.filter(city="").first()
    if rate is not None:
        return rate
    raise MissingPerDiemRate(
        _("There is no per-diem rate for %(place)s valid on %(date)s.")
        % {
            "place": f"{city}, {Country(code).name}" if city else Country(code).name,
            "date": date_format(on_date),
        }
    )
