"""Reads over funds, budgets and disbursements: balances and reports, without ever adding
two currencies."""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _
from djmoney.money import Money

from .enums import RESERVED, SPENT
from .errors import PaymentError
from .models import BudgetTotal, Disbursement, Fund, FundAllocation
from .money import round_money


@dataclass(frozen=True)
class FundBalance:
    """What a fund has and where it stands, all in the fund's currency.

    `committed` is what the awards' budgets hold of it (open budgets their planned
    total, closed ones what was paid), `paid` what left it; `free` is what its calls
    may still commit (allocated − committed: negative when over-committed), and
    `available` what may still be approved for payment (amount − approved or paid).
    """

    fund: Fund
    amount: Money
    allocated: Money
    committed: Money
    paid: Money
    reserved: Money
    budgeted: Money

    @property
    def unallocated(self):
        """What no call has been given yet."""
        return self.amount - self.allocated

    @property
    def free(self):
        return self.allocated - self.committed

    @property
    def available(self):
        return self.amount - self.reserved

    @property
    def remaining(self):
        """What is not paid yet of what was allocated."""
        return self.allocated - self.paid


def _sums(queryset, key, field):
    """{key value: Money} summed in the database per key *and currency*; a key with two
    currencies is an error, not a sum."""
    rows = queryset.order_by().values_list(key, f"{field}_currency").annotate(total=Sum(field))
    sums = {}
    for row_key, currency, total in rows:
        if row_key in sums:
            raise PaymentError(
                _("%(key)s %(value)s has %(field)s in more than one currency.")
                % {"key": key, "value": row_key, "field": field}
            )
        sums[row_key] = Money(total, currency)
    return sums


def _sums_of(queryset, key, **aggregates):
    """One {key value: Money} per aggregate (name=(money field, filter or None)), summed in
    one query grouped by key and by *each* field's own currency column: a total whose
    rows are in two currencies is an error, never a sum."""
    fields = list(aggregates.values())
    currencies = [f"{field}_currency" for field, _filter in fields]
    rows = (
        queryset.order_by()
        .values_list(key, *currencies)
        .annotate(
            **{
                name: Sum(field, filter=condition)
                for name, (field, condition) in aggregates.items()
            }
        )
    )
    results = [{} for _name in aggregates]
    for row in rows:
        row_key, codes, totals = row[0], row[1 : 1 + len(fields)], row[1 + len(fields) :]
        for sums, currency, total in zip(results, codes, totals, strict=True):
            if total is None:
                continue  # no row of this key passed this aggregate's filter
            if row_key in sums:
                if sums[row_key].currency.code != currency:
                    raise PaymentError(
                        _("%(key)s %(value)s has amounts in more than one currency.")
                        % {"key": key, "value": row_key}
                    )
                sums[row_key] += Money(total, currency)
            else:
                sums[row_key] = Money(total, currency)
    return results


def _in_fund_currency(sums, fund):
    currency = fund.amount.currency.code
    money = sums.get(fund.pk, Money(0, currency))
    if money.currency.code != currency:
        raise PaymentError(
            _("Fund %(fund)s has amounts in another currency than its own.") % {"fund": fund.pk}
        )
    return money


def fund_balances(funds=None):
    """A FundBalance for each fund (all funds by default), in four queries whatever their
    number and their awards': what the budgets commit, plan and paid is read from their
    BudgetTotal rows (each budget's paid total is what its paid and reconciled
    disbursements add up to: `check_ledger`), and only the disbursements approved and
    not yet paid are added up one by one. Sums are per fund *and currency*: money in
    another currency than its fund's (which the services refuse) is an error here, not
    a sum."""
    funds = list(Fund.objects.all() if funds is None else funds)
    allocated = _sums(FundAllocation.objects.filter(fund__in=funds), "fund_id", "amount")
    committed, budgeted, paid = _sums_of(
        BudgetTotal.objects.filter(fund__in=funds),
        "fund_id",
        committed=("committed", None),
        budgeted=("planned", None),
        paid=("paid", None),
    )
    approved = _sums(
        Disbursement.objects.filter(fund__in=funds, status__in=RESERVED - SPENT),
        "fund_id",
        "amount_in_fund",
    )
    balances = []
    for fund in funds:
        fund_paid = _in_fund_currency(paid, fund)
        balances.append(
            FundBalance(
                fund=fund,
                amount=fund.amount,
                allocated=_in_fund_currency(allocated, fund),
                committed=_in_fund_currency(committed, fund),
                paid=fund_paid,
                reserved=fund_paid + _in_fund_currency(approved, fund),
                budgeted=_in_fund_currency(budgeted, fund),
            )
        )
    return balances


def fund_balance(fund):
    """The FundBalance of one fund."""
    return fund_balances([fund])[0]


REPORT_GROUPS = {"fund": "fund_id", "call": "call_id", "region": "region"}


@dataclass(frozen=True)
class ReportRow:
    """One fund, call or region in one currency. `allocated` and `free` are None for a
    region: funds are allocated to calls, not to regions."""

    key: object
    label: str
    currency: str
    awards: int
    allocated: Money | None
    budgeted: Money
    committed: Money
    paid: Money

    @property
    def to_pay(self):
        return self.committed - self.paid

    @property
    def free(self):
        return None if self.allocated is None else self.allocated - self.committed


def finance_report(group):
    """Budgeted, committed and paid per fund, call or region (`group`), one row per group
    and currency: a call paid from a USD fund and a EUR fund has two rows, never a sum.
    Three queries at most; it adds up the BudgetTotal of each fund, call and region, not
    the budgets, so its cost does not grow with the number of awards."""
    from conferences.enums import Region
    from scholarships.models import Call

    key = REPORT_GROUPS[group]
    # Grouped by each total's own currency column: a budget whose totals disagree in
    # currency is an error, and a call paid from a USD and a EUR fund has two rows.
    rows = (
        BudgetTotal.objects.order_by()
        .values_list(key, "planned_currency", "committed_currency", "paid_currency")
        .annotate(
            awards=Sum("awards"),
            budgeted=Sum("planned"),
            committed=Sum("committed"),
            paid=Sum("paid"),
        )
    )
    totals = {}
    for row_key, planned_in, committed_in, paid_in, *values in rows:
        if not planned_in == committed_in == paid_in:
            raise PaymentError(
                _("Budgets of %(group)s have totals in several currencies.") % {"group": row_key}
            )
        totals[(row_key, planned_in)] = values
    allocated = {}
    if group in ("fund", "call"):
        allocation_key = "fund_id" if group == "fund" else "call_id"
        for row_key, currency, total in (
            FundAllocation.objects.order_by()
            .values_list(allocation_key, "amount_currency")
            .annotate(total=Sum("amount"))
        ):
            allocated[(row_key, currency)] = round_money(total, currency)
    keys = set(totals) | set(allocated)
    if group == "fund":
        names = {fund.pk: str(fund) for fund in Fund.objects.all()}
    elif group == "call":
        ids = {row_key for row_key, _currency in keys}
        names = {call.pk: str(call.title) for call in Call.objects.filter(pk__in=ids)}
    else:
        names = {value: str(label) for value, label in Region.choices}
    report = []
    for row_key, currency in keys:
        awards, budgeted, committed, paid = totals.get((row_key, currency), (0, 0, 0, 0))
        report.append(
            ReportRow(
                key=row_key,
                label=names.get(row_key, "—") if row_key else "—",
                currency=currency,
                awards=awards,
                allocated=allocated.get((row_key, currency), round_money(0, currency))
                if group != "region"
                else None,
                budgeted=round_money(budgeted or 0, currency),
                committed=round_money(committed or 0, currency),
                paid=round_money(paid or 0, currency),
            )
        )
    return sorted(report, key=lambda row: (row.label, row.currency))
