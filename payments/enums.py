"""Kinds of budget line, the states of a budget and of a disbursement, and their transitions.

A leaf module: it imports nothing from the app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scholarships.enums import SupportKind

# What a budget line pays for: each kind of support a call offers, and "other".
LineKind = models.TextChoices(
    "LineKind",
    [(kind.name, (kind.value, kind.label)) for kind in SupportKind]
    + [("OTHER", ("other", pgettext_lazy("budget line", "Other")))],
)


class BudgetStatus(models.TextChoices):
    """An open budget commits its planned total (or what was paid, if more); a closed one
    commits only what was paid: the rest went back to the fund."""

    OPEN = "open", pgettext_lazy("budget status", "Open")
    CLOSED = "closed", pgettext_lazy("budget status", "Closed")


class ClosingReason(models.TextChoices):
    TRAVELLED = "travelled", _("Travelled: the rest was not needed")
    NO_SHOW = "no_show", _("Did not travel")
    VISA_REFUSED = "visa_refused", _("Visa refused")
    WITHDRAWN = "withdrawn", _("Award declined or withdrawn")


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("disbursement status", "Requested")
    APPROVED = "approved", pgettext_lazy("disbursement status", "Approved")
    PAID = "paid", pgettext_lazy("disbursement status", "Paid")
    RECONCILED = "reconciled", pgettext_lazy("disbursement status", "Reconciled")
    CANCELLED = "cancelled", pgettext_lazy("disbursement status", "Cancelled")


DISBURSEMENT_TRANSITIONS = {
    DisbursementStatus.REQUESTED: frozenset(
        {DisbursementStatus.APPROVED, DisbursementStatus.CANCELLED}
    ),
    DisbursementStatus.APPROVED: frozenset({DisbursementStatus.PAID, DisbursementStatus.CANCELLED}),
    # Money that has left is not "cancelled": a refund would be a new entry, not an undo.
    DisbursementStatus.PAID: frozenset({DisbursementStatus.RECONCILED}),
    DisbursementStatus.RECONCILED: frozenset(),
    DisbursementStatus.CANCELLED: frozenset(),
}

# Statuses that hold money: the award's and the fund's remaining amounts exclude them.
LIVE = frozenset(
    {
        DisbursementStatus.REQUESTED,
        DisbursementStatus.APPROVED,
        DisbursementStatus.PAID,
        DisbursementStatus.RECONCILED,
    }
)
# Statuses whose money has left the fund.
SPENT = frozenset({DisbursementStatus.PAID, DisbursementStatus.RECONCILED})
# Statuses that take money from the fund's balance before it is paid.
RESERVED = frozenset({DisbursementStatus.APPROVED, *SPENT})


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    CASH_ON_SITE = "cash_on_site", _("Cash on site")
    PURCHASED = "purchased", _("Purchased directly (for example a ticket)")


class LedgerKind(models.TextChoices):
    BUDGET_CREATED = "budget_created", _("Budget filled in")
    BUDGET_CHANGED = "budget_changed", _("Budget changed")
    BUDGET_CLOSED = "budget_closed", _("Budget closed")
    REQUESTED = "requested", pgettext_lazy("ledger", "Disbursement requested")
    APPROVED = "approved", pgettext_lazy("ledger", "Disbursement approved")
    PAID = "paid", pgettext_lazy("ledger", "Disbursement paid")
    RECONCILED = "reconciled", pgettext_lazy("ledger", "Disbursement reconciled")
    CANCELLED = "cancelled", pgettext_lazy("ledger", "Disbursement cancelled")
