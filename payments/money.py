"""The one rounding rule, and the helpers that keep django-money's traps shut.

Rounding: ROUND_HALF_UP (0.005 → 0.01, −0.005 → −0.01) to the currency's smallest unit
as ISO 4217 defines it (cents for USD and EUR, whole francs for XOF), at most two
decimals because every money field here stores two. Half-up is the rule donors,
auditors and spreadsheets (ROUND) use, so a figure checked by hand agrees with ours.
Each amount is rounded once, at the end of a calculation, never on the way.
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_precision
from django.db.models import Sum
from djmoney.models.fields import MoneyField
from djmoney.money import Money
from djmoney.utils import get_currency_field_name

STORED_DECIMAL_PLACES = 2
ROUNDING = ROUND_HALF_UP


def currency_code(currency):
    return getattr(currency, "code", currency)


def decimal_places(currency):
    """How many decimals an amount in `currency` is rounded to (0 for XOF and JPY)."""
    return min(get_currency_precision(currency_code(currency)), STORED_DECIMAL_PLACES)


def round_money(amount, currency=None):
    """`amount` (a Money, or a Decimal with `currency`) rounded to the currency's smallest
    unit with ROUND_HALF_UP. Floats are refused: they cannot hold cents exactly."""
    if isinstance(amount, Money):
        amount, currency = amount.amount, amount.currency
    if isinstance(amount, float):
        raise TypeError("Money is never a float: pass a Decimal or a string.")
    code = currency_code(currency)
    quantum = Decimal(1).scaleb(-decimal_places(code))
    return Money(Decimal(amount).quantize(quantum, rounding=ROUNDING), code)


def with_code(money):
    """“182.45 ZAR”: the ISO code, never a symbol that several currencies share ($)."""
    return f"{money.amount} {currency_code(money.currency)}"


def with_currency_fields(model, *field_names):
    """`update_fields` for a save that changes money fields.

    django-money stores a money field in two columns; `save(update_fields=["amount"])`
    writes the number but keeps the old currency, so the row silently changes from
    100 USD to 100 of the old currency. Always save through this helper.
    (`bulk_update` has the same trap and is not used on money fields here.)
    """
    names = []
    for name in field_names:
        names.append(name)
        field = model._meta.get_field(name)
        if isinstance(field, MoneyField):
            names.append(get_currency_field_name(name, field))
    return names


def totals_by_currency(queryset, field_name):
    """{currency code: Money} summed in the database, one total per currency.

    `Sum("amount")` over rows in several currencies adds the numbers (100 USD + 100 EUR
    = 200): grouping by the currency column keeps them apart. Adding them up is a
    conversion, with a dated rate (`payments.rates.convert`), never a sum.
    """
    field = queryset.model._meta.get_field(field_name)
    currency_field = get_currency_field_name(field_name, field)
    rows = (
        queryset.order_by()
        .values_list(currency_field)
        .annotate(total=Sum(field_name))
        .values_list(currency_field, "total")
    )
    return {code: Money(total, code) for code, total in rows}
