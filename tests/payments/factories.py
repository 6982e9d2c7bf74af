from datetime import date
from decimal import Decimal

import factory
from djmoney.money import Money

from payments.models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from tests.factories import CallFactory


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


def accepted_award(call=None, *, covers=None, **application_fields):
    """An award its awardee accepted (released, replied), on a new application."""
    from django.utils import timezone

    from scholarships.enums import ApplicationStatus, Coverage, Outcome, Reply
    from scholarships.models import Decision
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(
        call=call or CallFactory(), status=ApplicationStatus.AWARDED, **application_fields
    )
    now = timezone.now()
    return Decision.objects.create(
        application=application,
        outcome=Outcome.AWARD,
        coverage=Coverage.FULL,
        covers=list(application.support_requested if covers is None else covers),
        reply_by=now.date(),
        reply=Reply.ACCEPTED,
        replied_at=now,
        released_at=now,
    )
