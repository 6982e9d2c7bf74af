from datetime import date

import pytest
from djmoney.money import Money

from accounts.models import User
from payments.demo import load_demo_payments
from payments.models import (
    AwardBudget,
    Disbursement,
    ExchangeRate,
    Fund,
    FundAllocation,
    PerDiemRate,
)
from payments.queries import fund_balances
from payments.rates import convert, per_diem_rate
from tests.factories import CallFactory, UserFactory
from tests.payments.factories import accepted_award

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

    assert counts() == first == [2, 3, 150, 10]
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


def test_demo_budgets_and_disbursements_in_every_state_and_several_currencies(demo_calls):
    call = demo_calls[0]
    call.conference.city, call.conference.country = "Cape Town", "ZA"
    call.conference.save()
    for region in ["africa", "europe", "asia_pacific"]:
        accepted_award(
            call, covers=["airfare", "per_diem", "visa"], region=region, departure_country=""
        )

    load_demo_payments()
    load_demo_payments()

    assert AwardBudget.objects.count() == 3
    assert sorted(Disbursement.objects.values_list("status", "amount_currency")) == [
        ("approved", "KES"),
        ("cancelled", "USD"),
        ("paid", "ZAR"),
        ("reconciled", "USD"),
        ("requested", "XOF"),
    ]
    assert {budget.fund.amount.currency.code for budget in AwardBudget.objects.all()} == {
        "USD",
        "EUR",
    }
    assert User.objects.filter(is_finance=True).count() == 2
