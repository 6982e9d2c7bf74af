from datetime import date

import pytest
from djmoney.money import Money

from payments.demo import load_demo_payments
from payments.models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from payments.queries import fund_balances
from payments.rates import convert, per_diem_rate
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_calls():
    UserFactory(email="finance@demo.example", finance=True)
    return CallFactory(slug="aids-2028"), CallFactory(slug="aids-2028-youth", draft=True)


def counts():
    return [model.objects.count() for model in (Fund, FundAllocation, ExchangeRate, PerDiemRate)]


def test_demo_payments_are_loaded_once_however_often_it_runs(demo_calls):
    load_demo_payments()
    first = counts()
    load_demo_payments()

    assert counts() == first == [2, 3, 81, 10]
    assert sorted((str(balance.amount), str(balance.allocated)) for balance in fund_balances()) == [
        ("$180,000.00", "$120,000.00"),
        ("€95,000.00", "€75,000.00"),
    ]


def test_demo_rates_cover_the_conference_in_cape_town(demo_calls):
    load_demo_payments()
    first_day, last_day = date(2028, 7, 23), date(2028, 7, 28)

    for day in (first_day, last_day):
        assert per_diem_rate("ZA", "Cape Town", day).daily_rate == Money("285.00", "USD")
        assert convert(Money("100.00", "USD"), "ZAR", day).exchange_rate is not None
        assert convert(Money("1000.00", "ZAR"), "EUR", day).inverted is True
    assert per_diem_rate("ZA", "Johannesburg", first_day).daily_rate == Money("190.00", "USD")
