"""Every write to disbursements: request, approve (four eyes), pay, reconcile, cancel.

The rows are always locked in the same order: the fund, then the budget, then the
disbursement. Approving and paying take those locks before they read what they check,
so two finance users acting at once queue: the second sees what the first did (the
last money gone, the disbursement already paid) and is refused.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from djmoney.money import Money

from accounts.audit import log_action
from scholarships.uploads import validate_document

from .budgets import allocation_left, check_permission
from .enums import (
    DISBURSEMENT_TRANSITIONS,
    LIVE,
    RESERVED,
    SPENT,
    DisbursementStatus,
    LedgerKind,
    LineKind,
    PaymentMethod,
)
from .errors import MissingExchangeRate, PaymentError
from .ledger import in_currency, record, set_totals
from .models import AwardBudget, Disbursement, Fund
from .money import round_money, totals_by_currency, with_code, with_currency_fields
from .rates import convert

PERMISSION = "payments.disburse"


def _lock(disbursement):
    """The fund, budget and disbursement rows of `disbursement`, locked in that order."""
    fund = Fund.objects.select_for_update().get(pk=disbursement.fund_id)
    budget = AwardBudget.objects.select_for_update().get(pk=disbursement.budget_id)
    budget.fund = fund
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    locked.fund, locked.budget = fund, budget
    return fund, budget, locked


def _move(disbursement, to):
    """Check that DISBURSEMENT_TRANSITIONS lets `disbursement` go to `to`, and set it."""
    if to not in DISBURSEMENT_TRANSITIONS[disbursement.status]:
        if disbursement.status == to:
            message = {
                DisbursementStatus.APPROVED: _("This disbursement is approved already."),
                DisbursementStatus.PAID: _("This disbursement is paid already."),
                DisbursementStatus.RECONCILED: _("This disbursement is reconciled already."),
                DisbursementStatus.CANCELLED: _("This disbursement is cancelled already."),
            }[to]
        else:
            message = _("A disbursement that is %(status)s cannot become %(to)s.") % {
                "status": disbursement.get_status_display().lower(),
                "to": DisbursementStatus(to).label.lower(),
            }
        raise PaymentError(message)
    disbursement.status = to


def _held(queryset, currency, what):
    return in_currency(totals_by_currency(queryset, "amount_in_fund"), currency, what)


def limits_exceeded(budget, fund, amount_in_fund, *, excluding=None):
    """The limits that `amount_in_fund` more would break, as translated sentences: the
    award's remaining budget (planned − live disbursements), the fund's available
    money (amount − approved and paid) and, beyond the award's budget (which then
    commits more), what its call has left of its allocation from the fund. The caller
    holds the locks. Reads only."""
    currency = budget.currency
    live = Disbursement.objects.filter(budget=budget, status__in=LIVE)
    reserved = Disbursement.objects.filter(fund=fund, status__in=RESERVED)
    if excluding is not None:
        live, reserved = live.exclude(pk=excluding.pk), reserved.exclude(pk=excluding.pk)
    held = _held(live, currency, _("The award"))
    left_in_budget = budget.planned_total - held
    left_in_fund = fund.amount - _held(reserved, currency, _("The fund"))
    broken = []
    if amount_in_fund > left_in_budget:
        broken.append(
            _("the award has %(left)s left in its budget") % {"left": with_code(left_in_budget)}
        )
        left_in_call = allocation_left(fund, budget.call_id, excluding=budget) - held
        if amount_in_fund > left_in_call:
            broken.append(
                _("the call has %(left)s left of its allocation from this fund")
                % {"left": with_code(left_in_call)}
            )
    if amount_in_fund > left_in_fund:
        broken.append(
            _("the fund has %(left)s left to pay out") % {"left": with_code(left_in_fund)}
        )
    return broken


def _beyond_limits(amount, broken):
    return _("%(amount)s is more than allowed: %(limits)s. Give a reason to override.") % {
        "amount": with_code(amount),
        "limits": "; ".join(broken),
    }


def request_disbursement(
    budget,
    *,
    amount,
    kind,
    by,
    idempotency_key,
    description="",
    override_reason="",
    on=None,
):
    """Ask for `amount` (Money, in any of the portal's currencies) to be paid from an
    award's budget, for `kind` of cost.

    `idempotency_key` comes with the form: the same key again (a double click, a
    replayed request) returns the disbursement it made, unchanged. The amount is
    converted to the fund's currency with the rate of `on` (default today) and the
    conversion recorded. Beyond the award's remaining budget or the fund's available
    money it is refused unless `override_reason` says why (kept with who overrode).
    Side effects: the fund and budget rows locked; the disbursement; a ledger entry
    "requested"; an audit entry. Raises PaymentError.
    """
    check_permission(by, PERMISSION)
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise PaymentError(_("A disbursement must be more than zero."))
    if kind not in LineKind.values:
        raise PaymentError(_("Choose what the disbursement pays for."))
    key = uuid.UUID(str(idempotency_key))
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=budget.fund_id)
        budget = AwardBudget.objects.select_for_update().get(pk=budget.pk)
        budget.fund = fund
        existing = Disbursement.objects.filter(idempotency_key=key).exclude(
            status=DisbursementStatus.CANCELLED
        )
        existing = existing.first()
        if existing is not None:
            if existing.budget_id != budget.pk:
                raise PaymentError(_("This form was used for another award: reload the page."))
            return existing
        if not budget.is_open:
            raise PaymentError(_("This budget is closed: nothing more is paid from it."))
        try:
            conversion = convert(round_money(amount), budget.currency, on or timezone.localdate())
        except MissingExchangeRate as error:
            raise PaymentError(str(error)) from error
        disbursement = Disbursement(
            budget=budget,
            fund=fund,
            kind=kind,
            description=description[:200],
            amount=round_money(amount),
            amount_in_fund=conversion.money,
            conversion=conversion.as_record(),
            idempotency_key=key,
            requested_by=by,
        )
        if conversion.money.amount <= 0:
            raise PaymentError(_("A disbursement must be more than zero."))
        broken = limits_exceeded(budget, fund, disbursement.amount_in_fund)
        reason = (override_reason or "").strip()
        if broken:
            if not reason:
                raise PaymentError(_beyond_limits(disbursement.amount_in_fund, broken))
            disbursement.override_by, disbursement.override_reason = by, reason
        overridden = bool(broken)
        try:
            with transaction.atomic():
                disbursement.save()
        except IntegrityError:
            # The same key, saved by a request that did not wait for our locks.
            return Disbursement.objects.exclude(status=DisbursementStatus.CANCELLED).get(
                idempotency_key=key
            )
        data = {
            "amount": with_code(disbursement.amount),
            "in_fund": with_code(disbursement.amount_in_fund),
            "kind": kind,
            "override": overridden,
        }
        record(
            kind=LedgerKind.REQUESTED, budget=budget, actor=by, disbursement=disbursement, data=data
        )
        log_action(actor=by, action="disbursement.requested", obj=disbursement, data=data)
    return disbursement


def approve_disbursement(disbursement, *, by, override_reason=""):
    """Approve a requested disbursement: by another finance user than the requester.

    Checks again, under the fund's lock, that it fits the award's remaining budget, its
    call's allocation and the fund's available money: of two approvals racing for a
    fund's last money, one passes. Beyond a limit the approver gives their own
    `override_reason` (the requester's does not count for them: four eyes), recorded
    apart from the requester's (`approval_override_by`/`_reason`), in the ledger entry
    and in the audit entry. Side effects: the rows locked; approver and time saved; a
    ledger entry "approved"; an audit entry. Raises PaymentError (own request, not
    requested, beyond the limits without the approver's reason).
    """
    check_permission(by, PERMISSION)
    with transaction.atomic():
        fund, budget, disbursement = _lock(disbursement)
        if disbursement.requested_by_id == by.pk:
            raise PaymentError(
                _("You requested this disbursement: another finance administrator approves it.")
            )
        _move(disbursement, DisbursementStatus.APPROVED)
        broken = limits_exceeded(budget, fund, disbursement.amount_in_fund, excluding=disbursement)
        reason = (override_reason or "").strip()
        if broken and not reason:
            message = _beyond_limits(disbursement.amount_in_fund, broken)
            if disbursement.override_reason:
                message = " ".join(
                    [message, _("The requester's reason is theirs: the approver gives their own.")]
                )
            raise PaymentError(message)
        if broken:
            disbursement.approval_override_by = by
            disbursement.approval_override_reason = reason
        disbursement.approved_by, disbursement.approved_at = by, timezone.now()
        disbursement.save(
            update_fields=[
                "status",
                "approved_by",
                "approved_at",
                "approval_override_by",
                "approval_override_reason",
            ]
        )
        data = {"in_fund": with_code(disbursement.amount_in_fund), "override": bool(broken)}
        if broken:
            data["override_reason"] = reason
        record(
            kind=LedgerKind.APPROVED, budget=budget, actor=by, disbursement=disbursement, data=data
        )
        log_action(actor=by, action="disbursement.approved", obj=disbursement, data=data)
    return disbursement


def pay_disbursement(disbursement, *, by, paid_on, method, reference="", override_reason=""):
    """Record that an approved disbursement was paid: on `paid_on`, by `method`
    (a PaymentMethod), with the bank's, the operator's or the ticket's `reference`.

    Paid once: of twenty clicks or twenty people at once, the first pays and the others
    are told it is paid already. The amount is converted again with the rate of the day
    it was paid (recorded), since that is what left the fund, and the limits are checked
    again with that amount: beyond the award's budget, its call's allocation or the
    fund's available money, the payer gives an `override_reason` (recorded as
    `payment_override_by`/`_reason`, in the ledger and audit entries), unless the
    approver overrode for this disbursement and the amount did not grow since.
    Side effects: the rows locked; the disbursement saved with its amount in the fund's
    currency; the budget's paid total (and its commitment, if an override paid beyond
    the plan) with a ledger entry "paid"; an audit entry.
    """
    check_permission(by, PERMISSION)
    if method not in PaymentMethod.values:
        raise PaymentError(_("Choose how it was paid."))
    if paid_on > timezone.localdate():
        raise PaymentError(_("A payment cannot be recorded before the day it is made."))
    with transaction.atomic():
        fund, budget, disbursement = _lock(disbursement)
        _move(disbursement, DisbursementStatus.PAID)
        try:
            conversion = convert(disbursement.amount, budget.currency, paid_on)
        except MissingExchangeRate as error:
            raise PaymentError(str(error)) from error
        broken = limits_exceeded(budget, fund, conversion.money, excluding=disbursement)
        reason = (override_reason or "").strip()
        # The approver's override covers what they approved, not what a rate added since.
        approved_beyond = (
            disbursement.approval_override_by_id is not None
            and conversion.money <= disbursement.amount_in_fund
        )
        if broken and not reason and not approved_beyond:
            raise PaymentError(
                _(
                    "Paid on %(date)s, %(amount)s is more than allowed: %(limits)s. "
                    "Give a reason to override."
                )
                % {
                    "date": date_format(paid_on),
                    "amount": with_code(conversion.money),
                    "limits": "; ".join(broken),
                }
            )
        overridden = bool(broken and reason)
        if overridden:
            disbursement.payment_override_by = by
            disbursement.payment_override_reason = reason
        disbursement.amount_in_fund = conversion.money
        disbursement.conversion = conversion.as_record()
        disbursement.paid_by, disbursement.paid_on = by, paid_on
        disbursement.method, disbursement.reference = method, reference[:200]
        disbursement.save(
            update_fields=with_currency_fields(
                Disbursement,
                "status",
                "amount_in_fund",
                "conversion",
                "paid_by",
                "paid_on",
                "method",
                "reference",
                "payment_override_by",
                "payment_override_reason",
            )
        )
        paid = _held(
            Disbursement.objects.filter(budget=budget, status__in=SPENT),
            budget.currency,
            _("The award"),
        )
        data = {
            "amount": with_code(disbursement.amount),
            "in_fund": with_code(disbursement.amount_in_fund),
            "method": method,
            "paid_on": paid_on.isoformat(),
            "override": overridden,
        }
        if overridden:
            data["override_reason"] = reason
        set_totals(
            budget,
            kind=LedgerKind.PAID,
            actor=by,
            paid=paid,
            disbursement=disbursement,
            data=data,
        )
        log_action(actor=by, action="disbursement.paid", obj=disbursement, data=data)
    return disbursement


def reconcile_disbursement(disbursement, *, receipt, by):
    """Reconcile a paid disbursement with its receipt (a PDF, JPEG or PNG, checked by its
    content, images stripped of metadata, stored privately under a random name).

    Side effects: the rows locked; the receipt stored; the disbursement reconciled; a
    ledger entry "reconciled"; an audit entry. Raises PaymentError.
    """
    check_permission(by, PERMISSION)
    from django.core.exceptions import ValidationError

    try:
        receipt = validate_document(receipt)
    except ValidationError as error:
        raise PaymentError(" ".join(error.messages)) from error
    with transaction.atomic():
        _fund, budget, disbursement = _lock(disbursement)
        _move(disbursement, DisbursementStatus.RECONCILED)
        disbursement.receipt.save(receipt.name or "receipt", receipt, save=False)
        disbursement.reconciled_by, disbursement.reconciled_at = by, timezone.now()
        disbursement.save(update_fields=["status", "receipt", "reconciled_by", "reconciled_at"])
        record(kind=LedgerKind.RECONCILED, budget=budget, actor=by, disbursement=disbursement)
        log_action(actor=by, action="disbursement.reconciled", obj=disbursement)
    return disbursement


def cancel_disbursement(disbursement, *, reason, by):
    """Cancel a disbursement not yet paid, with a reason (paid money is not undone).

    Side effects: the rows locked; the disbursement cancelled, which frees its
    request key and its part of the award's budget; a ledger entry "cancelled"; an
    audit entry with the reason.
    """
    check_permission(by, PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError(_("Say why the disbursement is cancelled."))
    with transaction.atomic():
        _fund, budget, disbursement = _lock(disbursement)
        _move(disbursement, DisbursementStatus.CANCELLED)
        disbursement.cancelled_by, disbursement.cancelled_at = by, timezone.now()
        disbursement.cancel_reason = reason
        disbursement.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        record(
            kind=LedgerKind.CANCELLED,
            budget=budget,
            actor=by,
            disbursement=disbursement,
            data={"reason": reason},
        )
        log_action(
            actor=by, action="disbursement.cancelled", obj=disbursement, data={"reason": reason}
        )
    return disbursement
