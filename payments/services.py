"""Every write to funds, allocations and rates: one function per change.

Each checks its precondition and raises PaymentError (translated), changes inside a
transaction with the rows involved locked, saves money fields together with their
currency (`with_currency_fields`), and writes an audit entry.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import log_action

from .errors import MissingExchangeRate, MissingPerDiemRate, PaymentError
from .imports import EXCHANGE, PER_DIEM, parse
from .models import ExchangeRate, Fund, FundAllocation, PerDiemRate
from .money import with_code, with_currency_fields
from .queries import fund_balance

__all__ = [
    "MissingExchangeRate",
    "MissingPerDiemRate",
    "PaymentError",
    "allocate_fund",
    "check_allocation",
    "check_fund_amount",
    "delete_rates",
    "import_rates",
    "remove_allocation",
    "save_fund",
    "save_rate",
]

logger = logging.getLogger(__name__)

FUND_FIELDS = ["donor", "name", "amount", "period_start", "period_end", "restrictions", "notes"]


def check_fund_amount(fund):
    """Raise PaymentError if `fund` (unsaved changes included) could not hold its allocations:
    a smaller amount than is allocated, or another currency than theirs. Reads only."""
    if fund.pk is None:
        return
    balance = fund_balance(Fund.objects.get(pk=fund.pk))
    if not balance.allocated.amount:
        return  # nothing allocated: any amount and currency will do
    if fund.amount.currency.code != balance.allocated.currency.code:
        raise PaymentError(
            _("This fund has allocations in %(currency)s: its currency cannot change.")
            % {"currency": balance.allocated.currency.code}
        )
    if fund.amount < balance.allocated:
        raise PaymentError(
            _("%(allocated)s of this fund is allocated to calls: its amount cannot be less.")
            % {"allocated": balance.allocated}
        )


def save_fund(fund, *, by):
    """Create or change a fund.

    Side effects: the fund row is locked (when it exists) and saved, its currency with
    its amount; an audit entry "fund.created" or "fund.changed" names the fields changed.
    Raises PaymentError when the new amount or currency does not fit its allocations.
    """
    with transaction.atomic():
        if fund.pk is None:
            fund.full_clean()
            fund.save()
            log_action(actor=by, action="fund.created", obj=fund)
            return fund
        before = Fund.objects.select_for_update().get(pk=fund.pk)
        check_fund_amount(fund)
        fund.full_clean()
        changed = [name for name in FUND_FIELDS if getattr(before, name) != getattr(fund, name)]
        fund.save(update_fields=with_currency_fields(Fund, *changed, "updated_at"))
        log_action(actor=by, action="fund.changed", obj=fund, data={"fields": changed})
    return fund


def check_allocation(fund, *, call, amount, allocation=None):
    """Raise PaymentError unless `amount` may be allocated from `fund` to `call`: in the
    fund's currency, more than zero, and within what the fund has not allocated to
    other calls. `allocation` is the one being changed, if any. Reads only."""
    if amount.currency.code != fund.amount.currency.code:
        raise PaymentError(
            _("An allocation is in its fund's currency (%(currency)s), not %(other)s.")
            % {"currency": fund.amount.currency.code, "other": amount.currency.code}
        )
    if amount.amount <= 0:
        raise PaymentError(_("An allocation must be more than zero."))
    others = FundAllocation.objects.filter(fund=fund).exclude(call=call)
    if allocation is not None and allocation.pk:
        others = others.exclude(pk=allocation.pk)
    elsewhere = sum((row.amount for row in others), amount * 0)
    free = fund.amount - elsewhere
    if amount > free:
        raise PaymentError(
            _("%(fund)s has %(free)s not allocated to other calls; %(amount)s is more.")
            % {"fund": fund, "free": free, "amount": amount}
        )


def allocate_fund(fund, *, call, amount, by, notes=None):
    """Set what `call` may spend from `fund` to `amount` (a first allocation or a change).

    Side effects: the fund row is locked, so two allocations at once cannot both take
    its last money; the allocation is created or saved with its currency; an audit
    entry "fund.allocated" records the amount before and after. Raises PaymentError
    (other currency, not positive, more than the fund has free).
    """
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        allocation = FundAllocation.objects.filter(fund=fund, call=call).first()
        check_allocation(fund, call=call, amount=amount, allocation=allocation)
        before = with_code(allocation.amount) if allocation else None
        if allocation is None:
            allocation = FundAllocation(fund=fund, call=call, amount=amount, notes=notes or "")
            allocation.save()
        else:
            allocation.amount = amount
            fields = ["amount", "updated_at"]
            if notes is not None:
                allocation.notes = notes
                fields.append("notes")
            allocation.save(update_fields=with_currency_fields(FundAllocation, *fields))
        log_action(
            actor=by,
            action="fund.allocated",
            obj=allocation,
            data={"fund": fund.pk, "call": call.pk, "from": before, "to": with_code(amount)},
        )
    return allocation


def remove_allocation(allocation, *, by):
    """Take a call's allocation back into its fund.

    Side effects: the fund row is locked, the allocation deleted, an audit entry
    "fund.allocation_removed" written. Once awards commit money from an allocation
    (not built yet), this is where removing it will be refused.
    """
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=allocation.fund_id)
        data = {
            "fund": allocation.fund_id,
            "call": allocation.call_id,
            "amount": with_code(allocation.amount),
        }
        log_action(actor=by, action="fund.allocation_removed", obj=allocation, data=data)
        allocation.delete()


def save_rate(rate, *, by):
    """Create or change one ExchangeRate or PerDiemRate entered by hand.

    Side effects: the row is checked (full_clean) and saved, a money field with its
    currency; an audit entry "exchange_rate.saved" or "per_diem_rate.saved".
    Conversions already made keep the rate they recorded.
    """
    rate.full_clean()
    with transaction.atomic():
        rate.save()
        log_action(actor=by, action=f"{_noun(rate)}.saved", obj=rate, data=_rate_data(rate))
    return rate


def delete_rates(rates, *, by):
    """Delete exchange or per-diem rates. Side effects: one audit entry per rate."""
    with transaction.atomic():
        for rate in rates:
            log_action(actor=by, action=f"{_noun(rate)}.deleted", obj=rate, data=_rate_data(rate))
            rate.delete()


def _noun(rate):
    return "exchange_rate" if isinstance(rate, ExchangeRate) else "per_diem_rate"


def _rate_data(rate):
    if isinstance(rate, ExchangeRate):
        return {
            "from": rate.from_currency,
            "to": rate.to_currency,
            "rate": str(rate.rate),
            "valid_on": rate.valid_on.isoformat(),
            "source": rate.source,
        }
    return {
        "country": rate.country.code,
        "city": rate.city,
        "daily_rate": with_code(rate.daily_rate),
        "valid_from": rate.valid_from.isoformat(),
    }


def import_rates(file, *, kind, by, dry_run=False, filename=""):
    """Import a per-diem (`kind="per-diem"`) or exchange-rate (`kind="exchange"`) CSV file.

    Every row is checked first; if any is bad, nothing is written and the returned
    report lists every bad row with its line number. Otherwise, unless `dry_run`, all
    rows are written in one transaction: new rates added, a rate for the same place
    (or pair of currencies) and date replaced, identical ones left alone; each saved
    one by one so that a money field's currency is always written (never bulk_update).
    Side effects (not on a dry run or a bad file): the rates; one audit entry
    "rates.imported" with the counts. Returns the ImportReport.
    """
    report = parse(file, kind)
    report.dry_run = dry_run
    if not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            existing, changes = _match(row, kind)
            if existing is None:
                report.created += 1
            elif changes:
                report.updated += 1
            else:
                report.unchanged += 1
            if dry_run:
                continue
            if existing is None:
                existing = _new_rate(row, kind)
                existing.save()
            elif changes:
                for name, value in changes.items():
                    setattr(existing, name, value)
                existing.save()
        if not dry_run:
            log_action(
                actor=by,
                action="rates.imported",
                data={
                    "kind": kind,
                    "file": filename[:200],
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
    logger.info("%s rates imported from %r: %s", kind, filename, report.summary())
    return report


def _match(row, kind):
    if kind == PER_DIEM:
        existing = (
            PerDiemRate.objects.select_for_update()
            .filter(country=row.country, city__iexact=row.city, valid_from=row.valid_from)
            .first()
        )
        wanted = {"city": row.city, "daily_rate": row.daily_rate}
    elif kind == EXCHANGE:
        existing = (
            ExchangeRate.objects.select_for_update()
            .filter(
                from_currency=row.from_currency, to_currency=row.to_currency, valid_on=row.valid_on
            )
            .first()
        )
        wanted = {"rate": row.rate, "source": row.source}
    else:
        raise ValueError(kind)
    if existing is None:
        return None, wanted
    changes = {name: value for name, value in wanted.items() if getattr(existing, name) != value}
    # Money compares amount and currency: 100 USD differs from 100 EUR, as it must.
    return existing, changes


def _new_rate(row, kind):
    if kind == PER_DIEM:
        return PerDiemRate(
            country=row.country, city=row.city, valid_from=row.valid_from, daily_rate=row.daily_rate
        )
    return ExchangeRate(
        from_currency=row.from_currency,
        to_currency=row.to_currency,
        rate=row.rate,
        valid_on=row.valid_on,
        source=row.source,
    )
