"""Reads over funds: balances, without ever adding two currencies."""

from dataclasses import dataclass

from django.db.models import Sum
from djmoney.money import Money

from .errors import PaymentError
from .models import Fund, FundAllocation


@dataclass(frozen=True)
class FundBalance:
    """What a fund has and where it stands, all in the fund's currency.

    `committed` (the travel budgets of confirmed awards) and `paid` (disbursements
    paid) come with awards and disbursements, which are not built yet: they are None,
    not zero, until then, so nothing can mistake "unknown" for "nothing spent". When
    they exist, `committed_for_fund` and `paid_for_fund` below fill them in.
    """

    fund: Fund
    amount: Money
    allocated: Money
    committed: Money | None = None
    paid: Money | None = None

    @property
    def unallocated(self):
        """What no call has been given yet."""
        return self.amount - self.allocated


def committed_for_fund(fund):
    """Hook: the sum of the travel budgets of awards paid from `fund`. Awards' budgets do not
    exist yet, so there is nothing to sum: None."""
    return None


def paid_for_fund(fund):
    """Hook: the sum of the disbursements paid from `fund`. Disbursements do not exist yet,
    so there is nothing to sum: None."""
    return None


def fund_balances(funds=None):
    """A FundBalance for each fund (all funds by default), in two queries whatever their
    number. Allocations are summed per fund *and currency*: an allocation in another
    currency than its fund's (which the service refuses) is an error here, not a sum."""
    funds = list(Fund.objects.all() if funds is None else funds)
    sums = (
        FundAllocation.objects.filter(fund__in=funds)
        .order_by()
        .values_list("fund_id", "amount_currency")
        .annotate(total=Sum("amount"))
    )
    allocated = {}
    for fund_id, currency, total in sums:
        if fund_id in allocated:
            raise PaymentError(f"Fund {fund_id} has allocations in more than one currency.")
        allocated[fund_id] = Money(total, currency)
    balances = []
    for fund in funds:
        currency = fund.amount.currency.code
        spent = allocated.get(fund.pk, Money(0, currency))
        if spent.currency.code != currency:
            raise PaymentError(f"Fund {fund.pk} has allocations in another currency.")
        balances.append(
            FundBalance(
                fund=fund,
                amount=fund.amount,
                allocated=spent,
                committed=committed_for_fund(fund),
                paid=paid_for_fund(fund),
            )
        )
    return balances


def fund_balance(fund):
    """The FundBalance of one fund."""
    return fund_balances([fund])[0]
