"""Rules the database itself keeps, whatever code writes the rows; and django-money's traps."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from djmoney.money import Money

from payments.models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from payments.money import totals_by_currency, with_currency_fields
from tests.payments.factories import (
    ExchangeRateFactory,
    FundAllocationFactory,
    FundFactory,
    PerDiemRateFactory,
)

pytestmark = pytest.mark.django_db


def refused_by_the_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.parametrize("amount", ["0.00", "-0.01", "-500.00"])
def test_amounts_must_be_positive_in_the_database(amount):
    allocation = FundAllocationFactory()
    rate = PerDiemRateFactory()
    fund = FundFactory()

    # update() goes straight to SQL: no form, no service, no clean().
    refused_by_the_database(lambda: Fund.objects.filter(pk=fund.pk).update(amount=Decimal(amount)))
    refused_by_the_database(
        lambda: FundAllocation.objects.filter(pk=allocation.pk).update(amount=Decimal(amount))
    )
    refused_by_the_database(
        lambda: PerDiemRate.objects.filter(pk=rate.pk).update(daily_rate=Decimal(amount))
    )
    refused_by_the_database(lambda: FundFactory(amount=Money(amount, "USD")))
    refused_by_the_database(lambda: FundAllocationFactory(fund=fund, amount=Money(amount, "USD")))


def test_an_exchange_rate_is_positive_between_two_currencies_once_a_day():
    ExchangeRateFactory(from_currency="USD", to_currency="EUR", valid_on=date(2028, 7, 1))

    refused_by_the_database(lambda: ExchangeRateFactory(rate=Decimal("0")))
    refused_by_the_database(lambda: ExchangeRateFactory(rate=Decimal("-1.5")))
    refused_by_the_database(lambda: ExchangeRateFactory(from_currency="EUR", to_currency="EUR"))
    refused_by_the_database(
        lambda: ExchangeRateFactory(
            from_currency="USD", to_currency="EUR", valid_on=date(2028, 7, 1)
        )
    )
    ExchangeRateFactory(from_currency="USD", to_currency="EUR", valid_on=date(2028, 7, 2))
    assert ExchangeRate.objects.count() == 2


def test_one_per_diem_rate_per_place_and_date_whatever_the_city_is_capitalised():
    PerDiemRateFactory(country="ZA", city="Cape Town", valid_from=date(2028, 1, 1))

    refused_by_the_database(
        lambda: PerDiemRateFactory(country="ZA", city="cape town", valid_from=date(2028, 1, 1))
    )
    PerDiemRateFactory(country="ZA", city="", valid_from=date(2028, 1, 1))
    PerDiemRateFactory(country="ZA", city="Cape Town", valid_from=date(2028, 7, 1))


def test_a_fund_period_cannot_end_before_it_starts():
    refused_by_the_database(
        lambda: FundFactory(period_start=date(2028, 12, 31), period_end=date(2028, 1, 1))
    )


def test_one_allocation_per_fund_and_call():
    allocation = FundAllocationFactory()

    refused_by_the_database(
        lambda: FundAllocationFactory(fund=allocation.fund, call=allocation.call)
    )


def test_saving_with_update_fields_of_the_amount_alone_keeps_a_stale_currency():
    # The trap itself, pinned so that the helper below stays needed and understood.
    fund = FundFactory(amount=Money("100.00", "USD"))
    fund.amount = Money("100.00", "EUR")
    fund.save(update_fields=["amount"])

    fund.refresh_from_db()
    assert fund.amount == Money("100.00", "USD")


def test_update_fields_with_the_currency_saves_both():
    fund = FundFactory(amount=Money("100.00", "USD"))
    fund.amount = Money("100.00", "EUR")

    fund.save(update_fields=with_currency_fields(Fund, "amount"))

    fund.refresh_from_db()
    assert fund.amount == Money("100.00", "EUR")
    assert with_currency_fields(Fund, "amount", "notes") == ["amount", "amount_currency", "notes"]


def test_totals_are_kept_apart_by_currency():
    FundFactory(amount=Money("100.00", "USD"))
    FundFactory(amount=Money("250.50", "USD"))
    FundFactory(amount=Money("100.00", "EUR"))

    assert totals_by_currency(Fund.objects.all(), "amount") == {
        "USD": Money("350.50", "USD"),
        "EUR": Money("100.00", "EUR"),
    }


def test_budget_lines_are_not_negative_and_one_per_kind():
    from payments.budgets import create_budget
    from payments.models import BudgetLine
    from tests.factories import UserFactory
    from tests.payments.factories import accepted_award

    allocation = FundAllocationFactory()
    award = accepted_award(allocation.call, covers=["registration"])
    budget = create_budget(
        award, fund=allocation.fund, by=UserFactory(finance=True), priced_on=date(2028, 6, 1)
    )
    line = budget.lines.get()

    refused_by_the_database(
        lambda: BudgetLine.objects.filter(pk=line.pk).update(amount=Decimal("-1"))
    )
    refused_by_the_database(
        lambda: BudgetLine.objects.create(
            budget=budget,
            kind="registration",
            unit_amount=Money("1", "USD"),
            amount=Money("1", "USD"),
            amount_in_fund=Money("1", "USD"),
        )
    )
    refused_by_the_database(
        lambda: type(budget).objects.filter(pk=budget.pk).update(status="closed")
    )
