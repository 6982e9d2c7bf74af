import pytest
from django.db import connection
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.errors import PaymentError
from payments.models import Fund
from payments.queries import fund_balance, fund_balances
from payments.services import allocate_fund, remove_allocation, save_fund
from tests.factories import CallFactory, UserFactory
from tests.helpers import race
from tests.payments.factories import FundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    return UserFactory(finance=True)


def test_allocations_add_up_in_the_fund_balance(finance):
    fund = FundFactory(amount=Money("10000.00", "USD"))
    first, second = CallFactory(), CallFactory()

    allocate_fund(fund, call=first, amount=Money("6000.00", "USD"), by=finance)
    allocate_fund(fund, call=second, amount=Money("2500.50", "USD"), by=finance)

    balance = fund_balance(fund)
    assert balance.allocated == Money("8500.50", "USD")
    assert balance.unallocated == Money("1499.50", "USD")
    # No award budget yet: nothing committed, nothing paid.
    assert (balance.committed, balance.paid) == (Money("0.00", "USD"), Money("0.00", "USD"))


def test_changing_an_allocation_sets_its_amount_and_is_logged(finance):
    fund = FundFactory(amount=Money("10000.00", "USD"))
    call = CallFactory()
    allocate_fund(fund, call=call, amount=Money("6000.00", "USD"), by=finance)

    allocation = allocate_fund(fund, call=call, amount=Money("9000.00", "USD"), by=finance)

    assert fund.allocations.get().amount == Money("9000.00", "USD")
    entry = AuditEntry.objects.filter(action="fund.allocated").first()
    assert entry.object_id == str(allocation.pk)
    assert entry.data == {
        "fund": fund.pk,
        "call": call.pk,
        "from": "6000.00 USD",
        "to": "9000.00 USD",
    }
    assert entry.actor == finance


def test_an_allocation_beyond_what_the_fund_has_free_is_refused(finance):
    fund = FundFactory(amount=Money("10000.00", "USD"), name="Grant A", donor="Donor")
    allocate_fund(fund, call=CallFactory(), amount=Money("7000.00", "USD"), by=finance)

    with pytest.raises(PaymentError) as refused:
        allocate_fund(fund, call=CallFactory(), amount=Money("3000.01", "USD"), by=finance)

    assert str(refused.value) == (
        "Donor: Grant A has $3,000.00 not allocated to other calls; $3,000.01 is more."
    )
    allocate_fund(fund, call=CallFactory(), amount=Money("3000.00", "USD"), by=finance)
    assert fund_balance(fund).unallocated == Money("0.00", "USD")


def test_an_allocation_in_another_currency_is_refused(finance):
    fund = FundFactory(amount=Money("10000.00", "EUR"))

    with pytest.raises(PaymentError, match="fund's currency \\(EUR\\), not USD"):
        allocate_fund(fund, call=CallFactory(), amount=Money("100.00", "USD"), by=finance)
    with pytest.raises(PaymentError, match="more than zero"):
        allocate_fund(fund, call=CallFactory(), amount=Money("0.00", "EUR"), by=finance)
    assert not fund.allocations.exists()


def test_removing_an_allocation_frees_its_money(finance):
    fund = FundFactory(amount=Money("10000.00", "USD"))
    allocation = allocate_fund(fund, call=CallFactory(), amount=Money("4000.00", "USD"), by=finance)

    remove_allocation(allocation, by=finance)

    assert fund_balance(fund).unallocated == Money("10000.00", "USD")
    assert AuditEntry.objects.filter(action="fund.allocation_removed").count() == 1


def test_changing_a_fund_currency_saves_the_currency_too(finance):
    fund = FundFactory(amount=Money("5000.00", "USD"))

    fund.amount = Money("5000.00", "EUR")
    save_fund(fund, by=finance)

    assert Fund.objects.get(pk=fund.pk).amount == Money("5000.00", "EUR")
    entry = AuditEntry.objects.get(action="fund.changed")
    assert entry.data == {"fields": ["amount"]}


def test_a_fund_cannot_shrink_below_or_leave_the_currency_of_its_allocations(finance):
    fund = FundFactory(amount=Money("5000.00", "USD"))
    allocate_fund(fund, call=CallFactory(), amount=Money("4000.00", "USD"), by=finance)

    fund.amount = Money("3999.99", "USD")
    with pytest.raises(PaymentError, match="cannot be less"):
        save_fund(fund, by=finance)
    fund.amount = Money("5000.00", "EUR")
    with pytest.raises(PaymentError, match="currency cannot change"):
        save_fund(fund, by=finance)

    assert Fund.objects.get(pk=fund.pk).amount == Money("5000.00", "USD")


def test_fund_balances_take_four_queries_whatever_the_number_of_funds(
    finance, django_assert_num_queries
):
    for currency in ["USD", "EUR", "USD"]:
        fund = FundFactory(amount=Money("1000.00", currency))
        allocate_fund(fund, call=CallFactory(), amount=Money("100.00", currency), by=finance)

    # funds, allocations, budgets, disbursements
    with django_assert_num_queries(4):
        balances = fund_balances()

    assert sorted(str(balance.unallocated) for balance in balances) == [
        "$900.00",
        "$900.00",
        "€900.00",
    ]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_allocations_cannot_take_more_than_the_fund_has():
    """Real concurrent connections, on PostgreSQL: the fund's row lock decides."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    finance = UserFactory(finance=True)
    fund = FundFactory(amount=Money("10000.00", "USD"))
    calls = [CallFactory() for _ in range(6)]

    allocated, refused = race(
        6,
        lambda index: allocate_fund(
            fund, call=calls[index], amount=Money("4000.00", "USD"), by=finance
        ),
        refused=PaymentError,
    )

    assert (len(allocated), len(refused)) == (2, 4)
    assert fund_balance(fund).unallocated == Money("2000.00", "USD")
