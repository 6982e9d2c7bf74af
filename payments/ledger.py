"""The ledger: every change of a budget's or a disbursement's money writes one entry, and
`check_ledger` proves that the entries, the budgets' totals, their lines and the
disbursements still agree to the cent.

Only the services in `payments.budgets` and `payments.disbursements` write here, inside
their transactions, with the fund and budget rows locked.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _
from djmoney.money import Money

from .enums import SPENT, LedgerKind
from .errors import PaymentError
from .models import AwardBudget, BudgetLine, BudgetTotal, Disbursement, Fund, LedgerEntry
from .money import currency_code, round_money, with_code, with_currency_fields


def in_currency(totals, currency, what):
    """The one total of `totals` ({code: Money}) in `currency`, zero if none; any total in
    another currency is an error, never added. `what` names the whole, translated
    ("The award"), for the message."""
    others = sorted(code for code in totals if code != currency)
    if others:
        raise PaymentError(
            _("%(what)s has amounts in %(others)s, not only in the fund's %(currency)s.")
            % {"what": what, "others": ", ".join(others), "currency": currency}
        )
    return totals.get(currency, Money(0, currency))


def set_totals(budget, *, kind, actor, planned=None, paid=None, disbursement=None, data=None):
    """Save `budget`'s planned and paid totals (None: unchanged), work out what it now
    commits, add the changes to its fund, call and region's BudgetTotal, and write the
    ledger entry of the change. The caller holds the fund's and the budget's row locks
    and has saved whatever changed the totals. Returns the entry."""
    currency = budget.currency
    for money in (planned, paid):
        if money is not None and currency_code(money.currency) != currency:
            raise PaymentError(
                _("A budget's totals are in its fund's currency (%(currency)s).")
                % {"currency": currency}
            )
    before_planned = budget.planned_total
    before_committed, before_paid = budget.committed_total, budget.paid_total
    if planned is not None:
        budget.planned_total = planned
    if paid is not None:
        budget.paid_total = paid
    budget.committed_total = budget.committed_for(budget.planned_total, budget.paid_total)
    budget.save(
        update_fields=with_currency_fields(
            AwardBudget,
            "planned_total",
            "paid_total",
            "committed_total",
            "status",
            "closing_reason",
            "closing_note",
            "updated_at",
        )
    )
    committed_change = budget.committed_total - before_committed
    paid_change = budget.paid_total - before_paid
    add_to_total(
        budget,
        awards=1 if kind == LedgerKind.BUDGET_CREATED else 0,
        planned=budget.planned_total - before_planned,
        committed=committed_change,
        paid=paid_change,
    )
    return LedgerEntry.objects.create(
        kind=kind,
        fund_id=budget.fund_id,
        budget=budget,
        disbursement=disbursement,
        committed_change=committed_change,
        paid_change=paid_change,
        actor=actor,
        data=data or {},
    )


def add_to_total(budget, *, awards, planned, committed, paid):
    """Add a budget's changes (Money in its fund's currency) to the BudgetTotal of its
    fund, call and region, made by its first budget. The caller holds the fund's row
    lock, so no other transaction makes or changes that row meanwhile."""
    group = {"fund_id": budget.fund_id, "call_id": budget.call_id, "region": budget.region}
    changed = BudgetTotal.objects.filter(**group).update(
        awards=F("awards") + awards,
        planned=F("planned") + planned.amount,
        committed=F("committed") + committed.amount,
        paid=F("paid") + paid.amount,
    )
    if not changed:
        BudgetTotal.objects.create(
            **group, awards=awards, planned=planned, committed=committed, paid=paid
        )


def add_up_budgets():
    """Make every BudgetTotal anew from the budgets, under every fund's row lock, for
    budgets written outside the services: the benchmarks' seeds, written in bulk.
    (Migration payments/0006 does the same with the models of its time.)"""
    with transaction.atomic():
        list(Fund.objects.select_for_update().order_by("pk").values_list("pk"))
        groups = (
            AwardBudget.objects.order_by()
            .values_list("fund", "call", "region", "planned_total_currency")
            .annotate(
                awards=Count("pk"),
                planned=Sum("planned_total"),
                committed=Sum("committed_total"),
                paid=Sum("paid_total"),
            )
        )
        BudgetTotal.objects.all().delete()
        BudgetTotal.objects.bulk_create(
            BudgetTotal(
                fund_id=fund,
                call_id=call,
                region=region,
                awards=awards,
                planned=Money(planned, currency),
                committed=Money(committed, currency),
                paid=Money(paid, currency),
            )
            for fund, call, region, currency, awards, planned, committed, paid in groups
        )


def record(*, kind, budget, actor, disbursement=None, data=None):
    """A ledger entry for a change that moves no committed or paid money (a request, an
    approval, a reconciliation, a cancellation before payment)."""
    zero = budget.zero()
    return LedgerEntry.objects.create(
        kind=kind,
        fund_id=budget.fund_id,
        budget=budget,
        disbursement=disbursement,
        committed_change=zero,
        paid_change=zero,
        actor=actor,
        data=data or {},
    )


def _grouped(queryset, key, field):
    """{(key value, currency): Decimal} summed in the database."""
    currency_field = f"{field}_currency"
    rows = queryset.order_by().values_list(key, currency_field).annotate(total=Sum(field))
    return {(row_key, currency): total for row_key, currency, total in rows}


def check_ledger(funds=None):
    """Every disagreement between the ledger, the budgets' recorded totals, their lines,
    the disbursements and the fund balances, as a list of sentences (empty: all agree).

    Per budget: planned = the sum of its lines, paid = the sum of its paid and reconciled
    disbursements, committed = what its status commits. Per fund: the ledger's committed
    and paid changes add up to the budgets' committed and paid totals; allocated =
    committed + free. Per fund, call and region: the BudgetTotal holds the number of its
    budgets and their totals added up. All in the fund's currency; anything in another is
    reported.
    A fixed number of queries, whatever the number of budgets, read from one snapshot of
    the database (on PostgreSQL, a REPEATABLE READ transaction unless the caller's
    transaction is already open): money that moves during the check, a payment between
    reading the budgets and their totals say, is not reported as a difference.
    """
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _problems(funds)


def _problems(funds):
    funds = list(Fund.objects.all() if funds is None else funds)
    fund_ids = [fund.pk for fund in funds]
    problems = []
    lines = _grouped(
        BudgetLine.objects.filter(budget__fund__in=fund_ids), "budget_id", "amount_in_fund"
    )
    spent = _grouped(
        Disbursement.objects.filter(fund__in=fund_ids, status__in=SPENT),
        "budget_id",
        "amount_in_fund",
    )
    added_up = {}  # (fund, call, region): (awards, planned, committed, paid), amounts
    for budget in AwardBudget.objects.filter(fund__in=fund_ids).select_related("fund"):
        problems += _budget_problems(budget, lines, spent)
        group = (budget.fund_id, budget.call_id, budget.region)
        count, *sums = added_up.get(group, (0, 0, 0, 0))
        amounts = (budget.planned_total, budget.committed_total, budget.paid_total)
        added_up[group] = (
            count + 1,
            *(total + money.amount for total, money in zip(sums, amounts, strict=True)),
        )
    for (budget_id, currency), _total in {**lines, **spent}.items():
        problems.append(f"Budget {budget_id}: amounts in {currency}, not its fund's currency.")
    problems += _total_problems(funds, added_up)
    problems += _fund_problems(funds, added_up)
    return problems


def _budget_problems(budget, lines, spent):
    """`budget`'s totals against its lines and its spent disbursements (`lines` and
    `spent`: {(budget, currency): sum}, from which its own sums are taken)."""
    problems = []
    currency = budget.currency
    for field in ("planned_total", "paid_total", "committed_total"):
        money = getattr(budget, field)
        if money.currency.code != currency:
            problems.append(f"Budget {budget.pk}: {field} is in {money.currency.code}.")
    planned = round_money(lines.pop((budget.pk, currency), 0), currency)
    paid = round_money(spent.pop((budget.pk, currency), 0), currency)
    if planned != budget.planned_total:
        problems.append(
            f"Budget {budget.pk}: lines add up to {with_code(planned)}, "
            f"recorded {with_code(budget.planned_total)}."
        )
    if paid != budget.paid_total:
        problems.append(
            f"Budget {budget.pk}: disbursements paid {with_code(paid)}, "
            f"recorded {with_code(budget.paid_total)}."
        )
    if budget.committed_total != budget.committed_for(planned, paid):
        problems.append(
            f"Budget {budget.pk}: committed {with_code(budget.committed_total)} is wrong."
        )
    return problems


def _total_problems(funds, added_up):
    """Each BudgetTotal of `funds` against its budgets added up (`added_up`: {(fund, call,
    region): (awards, planned, committed, paid)}), in its fund's currency."""
    problems, added_up = [], dict(added_up)
    currencies = {fund.pk: fund.amount.currency.code for fund in funds}
    for total in BudgetTotal.objects.filter(fund__in=funds):
        group = (total.fund_id, total.call_id, total.region)
        sums = (total.planned, total.committed, total.paid)
        kept = (total.awards, *(money.amount for money in sums))
        in_fund_currency = {money.currency.code for money in sums} == {currencies[total.fund_id]}
        if kept != added_up.pop(group, None) or not in_fund_currency:
            problems.append(
                f"Fund {total.fund_id}, call {total.call_id}, region {total.region or '-'}: "
                "the budgets do not add up to their total (awards, planned, committed, paid)."
            )
    for fund_id, call_id, region in added_up:
        problems.append(
            f"Fund {fund_id}, call {call_id}, region {region or '-'}: budgets without a total."
        )
    return problems


def _fund_problems(funds, added_up):
    """Each fund's ledger and balance against its budgets' committed and paid totals
    (from `added_up`, as _total_problems takes it)."""
    from .queries import fund_balances

    recorded = defaultdict(lambda: {"committed": 0, "paid": 0})  # amounts, per fund
    for (fund_id, *_group), (_awards, _planned, committed, paid) in added_up.items():
        recorded[fund_id]["committed"] += committed
        recorded[fund_id]["paid"] += paid
    problems = []
    ledger = {}
    for field, name in (("committed_change", "committed"), ("paid_change", "paid")):
        for (fund_id, currency), total in _grouped(
            LedgerEntry.objects.filter(fund__in=funds), "fund_id", field
        ).items():
            if (fund_id, name) in ledger:
                problems.append(f"Fund {fund_id}: ledger entries in more than one currency.")
            ledger[(fund_id, name)] = round_money(total, currency)
    try:
        balances = fund_balances(funds)
    except PaymentError as error:  # money in another currency than its fund's
        problems.append(str(error))
        balances = []
    for balance in balances:
        fund = balance.fund
        currency = fund.amount.currency.code
        for name in ("committed", "paid"):
            booked = ledger.get((fund.pk, name), Money(0, currency))
            budgets = round_money(recorded[fund.pk][name], currency)
            if booked != budgets:
                problems.append(
                    f"Fund {fund.pk}: the ledger's {name} is {with_code(booked)}, "
                    f"the budgets' {with_code(budgets)}."
                )
            if getattr(balance, name) != budgets:
                problems.append(f"Fund {fund.pk}: the balance's {name} disagrees.")
        if balance.allocated != balance.committed + balance.free:
            problems.append(f"Fund {fund.pk}: allocated is not committed + free.")
    return problems
