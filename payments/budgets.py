"""Every write to award budgets: fill in the estimate, change a line with a reason, close.

Each checks its precondition and raises PaymentError (translated); changes inside a
transaction with the fund's and then the budget's row locked (always in that order,
as the disbursement services do, so that two of them cannot wait on each other);
writes the ledger entry of the money it moves and an audit entry.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from accounts.audit import log_action

from .enums import (
    DISBURSEMENT_TRANSITIONS,
    BudgetStatus,
    ClosingReason,
    DisbursementStatus,
    LedgerKind,
    LineKind,
)
from .errors import MissingExchangeRate, PaymentError
from .estimates import estimate_lines
from .ledger import in_currency, record, set_totals
from .models import AwardBudget, BudgetLine, Disbursement, Fund, FundAllocation
from .money import round_money, totals_by_currency, with_code, with_currency_fields
from .rates import convert

PERMISSION = "payments.manage_budgets"


def check_permission(user, permission=PERMISSION):
    if not user.has_perm(permission):
        raise PaymentError(_("Only finance administrators may do this."))


def check_award(decision):
    """Raise PaymentError unless `decision` is an award its awardee accepted."""
    if not decision.is_accepted:
        raise PaymentError(_("Only an accepted award has a travel budget."))


def allocation_left(fund, call_id, *, excluding=None):
    """What `fund` allocated to the call `call_id` minus what the call's budgets paid from
    this fund commit (leaving out the budget `excluding`), in the fund's currency:
    negative when over-committed. The caller holds the fund's row lock. Reads only."""
    currency = fund.amount.currency.code
    allocated = in_currency(
        totals_by_currency(FundAllocation.objects.filter(fund=fund, call_id=call_id), "amount"),
        currency,
        _("The allocation"),
    )
    budgets = AwardBudget.objects.filter(fund=fund, call_id=call_id)
    if excluding is not None:
        budgets = budgets.exclude(pk=excluding.pk)
    committed = in_currency(
        totals_by_currency(budgets, "committed_total"), currency, _("The call's budgets")
    )
    return round_money(allocated - committed)


def check_allocation_headroom(fund, call_id, committed, *, override_reason, excluding=None):
    """Refuse a budget that would commit `committed` (Money, in the fund's currency) when
    that is more than the call has left of its allocation from `fund`, unless
    `override_reason` says why. Returns the reason given (stripped) if an override was
    needed, else "". The caller holds the fund's lock and records who overrode."""
    left = allocation_left(fund, call_id, excluding=excluding)
    if committed <= left:
        return ""
    reason = (override_reason or "").strip()
    if not reason:
        raise PaymentError(
            _(
                "%(amount)s is more than this call has left of its allocation from %(fund)s "
                "(%(left)s). Give a reason to override."
            )
            % {"amount": with_code(committed), "fund": fund, "left": with_code(left)}
        )
    return reason


def convert_line(amount, budget, cache=None):
    """`amount` in the budget's fund currency at the budget's rates day, as (Money, the
    conversion's record). A missing rate is a PaymentError naming the pair and day."""
    conversion = convert(round_money(amount), budget.currency, budget.priced_on, cache=cache)
    return conversion.money, conversion.as_record()


def create_budget(
    decision,
    *,
    fund,
    by,
    priced_on=None,
    accommodation_provided=False,
    meals_provided=False,
    override_reason="",
):
    """Fill in the estimate: create the travel budget of an accepted award, paid from
    `fund`, with a line for each kind of support the award pays for, estimated from the
    call's travel policy, the conference's dates and city, and the rates.

    Side effects: the fund row is locked; the budget and its lines, each converted to the
    fund's currency with the rate of `priced_on` (default today) recorded on the line; a
    ledger entry committing the planned total; an audit entry "budget.created". Raises
    PaymentError when the award is not accepted, already has a budget, the fund gives
    nothing to its call, an exchange rate is missing, or the planned total is more than
    the call has left of its allocation from the fund and no `override_reason` says why
    (kept in the ledger entry and the audit entry, with who overrode: the actor).
    """
    check_permission(by)
    check_award(decision)
    call = decision.application.call
    priced_on = priced_on or timezone.localdate()
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        if not FundAllocation.objects.filter(fund=fund, call=call).exists():
            raise PaymentError(
                _("%(fund)s gives nothing to this call: allocate it first.") % {"fund": fund}
            )
        if AwardBudget.objects.filter(decision=decision).exists():
            raise PaymentError(_("This award has a budget already."))
        currency = fund.amount.currency.code
        zero = Money(0, currency)
        application = decision.application
        budget = AwardBudget(
            decision=decision,
            fund=fund,
            call=call,
            region=application.region,
            priced_on=priced_on,
            accommodation_provided=accommodation_provided,
            meals_provided=meals_provided,
            planned_total=zero,
            paid_total=zero,
            committed_total=zero,
            created_by=by,
        )
        estimates = estimate_lines(
            call,
            covers=decision.covers,
            departure_country=application.departure_country,
            region=application.region,
            visa_needed=application.visa_needed,
            accommodation_provided=accommodation_provided,
            meals_provided=meals_provided,
        )
        lines, cache = [], {}
        for estimate in estimates:
            amount = estimate.amount if estimate.amount is not None else zero
            try:
                in_fund, conversion = convert_line(amount, budget, cache)
            except MissingExchangeRate as error:
                raise PaymentError(str(error)) from error
            lines.append(
                BudgetLine(
                    kind=estimate.kind,
                    quantity=estimate.quantity,
                    unit_amount=estimate.unit_amount or amount,
                    amount=amount,
                    amount_in_fund=in_fund,
                    conversion=conversion,
                    calculation=estimate.calculation,
                )
            )
        planned = sum((line.amount_in_fund for line in lines), zero)
        overridden = check_allocation_headroom(
            fund, call.pk, planned, override_reason=override_reason
        )
        try:
            with transaction.atomic():
                budget.save()
        except IntegrityError as error:
            raise PaymentError(_("This award has a budget already.")) from error
        for line in lines:
            line.budget = budget
            line.save()
        data = {"planned": with_code(planned), "priced_on": priced_on.isoformat()}
        audit = {"fund": fund.pk, "award": decision.pk, "planned": with_code(planned)}
        if overridden:
            data["override_reason"] = audit["override_reason"] = overridden
        set_totals(budget, kind=LedgerKind.BUDGET_CREATED, actor=by, planned=planned, data=data)
        log_action(actor=by, action="budget.created", obj=budget, data=audit)
    return budget


def set_budget_line(
    budget,
    *,
    kind,
    amount,
    reason,
    by,
    quantity=None,
    line=None,
    description="",
    override_reason="",
):
    """Change a line's amount (or add a line of `kind`) with a reason.

    `amount` is Money in any of the portal's currencies; it is converted to the fund's
    currency with the rate of the budget's day. Side effects: the fund and budget rows
    locked; the line saved with its currency and conversion; the budget's totals and a
    ledger entry with the change of commitment; an audit entry "budget.line_changed"
    with the amounts before and after and the reason. Raises PaymentError when the
    kind is not a LineKind, the budget is closed, no reason is given, the amount is
    negative, a rate is missing, or the budget would commit more than its call has left
    of its allocation from the fund and no `override_reason` says why (kept in the
    ledger entry and the audit entry, with who overrode: the actor).
    """
    check_permission(by)
    if kind not in LineKind.values:
        raise PaymentError(_("Choose what the line pays for."))
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Say why the amount changes: the reason is kept in the audit log."))
    if amount.amount < 0:
        raise PaymentError(_("An amount cannot be negative."))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=budget.fund_id)
        budget = (
            AwardBudget.objects.select_related("fund")
            .select_for_update(of=("self",))
            .get(pk=budget.pk)
        )
        if not budget.is_open:
            raise PaymentError(_("This budget is closed: its amounts no longer change."))
        try:
            in_fund, conversion = convert_line(amount, budget)
        except MissingExchangeRate as error:
            raise PaymentError(str(error)) from error
        if line is None:
            line = BudgetLine(budget=budget, kind=kind)
            before = None
        else:
            line = BudgetLine.objects.get(pk=line.pk, budget=budget)
            before = with_code(line.amount)
        if quantity is not None:
            line.quantity = quantity
        line.amount = round_money(amount)
        line.unit_amount = (
            round_money(amount.amount / line.quantity, amount.currency)
            if line.quantity
            else line.amount
        )
        line.amount_in_fund, line.conversion = in_fund, conversion
        line.estimated = False
        line.calculation = reason[:300]
        if description:
            line.description = description[:200]
        try:
            with transaction.atomic():
                if line.pk is None:
                    line.save()
                else:
                    line.save(
                        update_fields=with_currency_fields(
                            BudgetLine,
                            "quantity",
                            "unit_amount",
                            "amount",
                            "amount_in_fund",
                            "conversion",
                            "estimated",
                            "calculation",
                            "description",
                            "updated_at",
                        )
                    )
        except IntegrityError as error:
            raise PaymentError(_("This budget has a line of this kind already.")) from error
        planned = sum((row.amount_in_fund for row in budget.lines.all()), Money(0, budget.currency))
        committed = budget.committed_for(planned, budget.paid_total)
        overridden = ""
        if committed > budget.committed_total:
            overridden = check_allocation_headroom(
                budget.fund,
                budget.call_id,
                committed,
                override_reason=override_reason,
                excluding=budget,
            )
        data = {
            "line": line.pk,
            "kind": line.kind,
            "from": before,
            "to": with_code(line.amount),
            "in_fund": with_code(in_fund),
            "reason": reason,
        }
        if overridden:
            data["override_reason"] = overridden
        set_totals(budget, kind=LedgerKind.BUDGET_CHANGED, actor=by, planned=planned, data=data)
        log_action(actor=by, action="budget.line_changed", obj=budget, data=data)
    return line


def close_budget(budget, *, reason, note="", by):
    """Close a budget: the awardee travelled and the rest is not needed, did not travel,
    was refused a visa, or the award ended. What was paid stays spent (a ticket bought
    is bought); what was not is released to the fund.

    Side effects: the fund and budget rows locked; requested and approved disbursements
    cancelled (each with a ledger entry); the budget closed, its commitment reduced to
    what was paid, with a ledger entry; an audit entry "budget.closed".
    """
    check_permission(by)
    if reason not in ClosingReason.values:
        raise PaymentError(_("Choose why the budget closes."))
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=budget.fund_id)
        budget = (
            AwardBudget.objects.select_related("fund")
            .select_for_update(of=("self",))
            .get(pk=budget.pk)
        )
        if not budget.is_open:
            raise PaymentError(_("This budget is closed already."))
        pending = Disbursement.objects.select_for_update().filter(
            budget=budget,
            status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED],
        )
        now = timezone.now()
        for disbursement in pending:
            assert DisbursementStatus.CANCELLED in DISBURSEMENT_TRANSITIONS[disbursement.status]
            disbursement.status = DisbursementStatus.CANCELLED
            disbursement.cancelled_by, disbursement.cancelled_at = by, now
            disbursement.cancel_reason = _("The budget was closed.")
            disbursement.save(
                update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"]
            )
            record(
                kind=LedgerKind.CANCELLED,
                budget=budget,
                actor=by,
                disbursement=disbursement,
                data={"closing_reason": reason},
            )
        released = budget.committed_total - budget.paid_total
        budget.status = BudgetStatus.CLOSED
        budget.closing_reason, budget.closing_note = reason, note
        set_totals(
            budget,
            kind=LedgerKind.BUDGET_CLOSED,
            actor=by,
            data={"closing_reason": reason, "released": with_code(released)},
        )
        log_action(
            actor=by,
            action="budget.closed",
            obj=budget,
            data={"reason": reason, "released": with_code(released)},
        )
    return budget
