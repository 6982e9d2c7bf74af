from datetime import date
from decimal import Decimal

import factory
from djmoney.money import Money

from payments.models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from tests.factories import CallFactory, accepted_award  # noqa: F401 - accepted_award is re-exported


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    donor = "Open Horizons Foundation"
    name = factory.Sequence(lambda n: f"Grant {n}")
    amount = Money("10000.00", "USD")
    period_start = date(2028, 1, 1)
    period_end = date(2028, 12, 31)


class FundAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundAllocation

    fund = factory.SubFactory(FundFactory)
    call = factory.SubFactory(CallFactory)
    amount = factory.LazyAttribute(lambda o: Money("1000.00", o.fund.amount.currency))


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    from_currency = "USD"
    to_currency = "EUR"
    rate = Decimal("0.9200")
    valid_on = date(2028, 7, 1)
    source = "Test reference rate"


class PerDiemRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerDiemRate

    country = "ZA"
    city = ""
    daily_rate = Money("190.00", "USD")
    valid_from = date(2028, 1, 1)
