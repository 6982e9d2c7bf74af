"""What payments holds about a person, for accounts' export and erasure registry.

An awardee gets a copy of their award budgets' lines and of what was paid to them
(amounts, dates, methods: nothing about the finance staff who handled it). On erasure
their money records stay, to the cent, without what could say who they were: the
free-text descriptions, payment references and closing notes are emptied and the
receipts deleted. A finance user who requested, approved, paid, reconciled or
cancelled a disbursement, overrode a limit, filled in a budget or wrote a ledger entry
cannot be erased: the donors' records must keep who moved their money. The erasure is
refused before anything changes (`erasure_blockers`).
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _

from .enums import SPENT
from .models import AwardBudget, BudgetLine, Disbursement, LedgerEntry
from .money import with_code


def _staff_references():
    """(model, field name) of every payments column that keeps a user and PROTECTs it."""
    return [
        (model, field.name)
        for model in (AwardBudget, Disbursement, LedgerEntry)
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model._meta.label == settings.AUTH_USER_MODEL
        and field.remote_field.on_delete is models.PROTECT
    ]


def erasure_blockers(user):
    """Why `user`'s account cannot be erased, as translated sentences (empty: it can).
    Reads only."""
    for model, field in _staff_references():
        if model.objects.filter(**{field: user}).exists():
            return [
                _(
                    "You handled donors' money in the portal (budgets, disbursements or the "
                    "ledger), and the finance records must keep who did what: this account "
                    "cannot be erased. Ask the portal's administrators to close it."
                )
            ]
    return []


def export_payments(user):
    """The person's award budgets: their lines and what was paid to them."""
    budgets = (
        AwardBudget.objects.filter(decision__application__applicant=user)
        .select_related("decision__application__call")
        .prefetch_related("lines", "disbursements")
        .order_by("pk")
    )
    return [
        {
            "award": str(budget.decision.application.public_id),
            "call": str(budget.decision.application.call.title),
            "status": budget.status,
            "planned": with_code(budget.planned_total),
            "paid": with_code(budget.paid_total),
            "lines": [
                {
                    "for": str(line.get_kind_display()),
                    "description": line.description,
                    "quantity": str(line.quantity),
                    "amount": with_code(line.amount),
                    "in_fund_currency": with_code(line.amount_in_fund),
                }
                for line in budget.lines.all()
            ],
            "payments": [
                {
                    "for": str(disbursement.get_kind_display()),
                    "amount": with_code(disbursement.amount),
                    "in_fund_currency": with_code(disbursement.amount_in_fund),
                    "paid_on": disbursement.paid_on.isoformat(),
                    "method": str(disbursement.get_method_display()),
                }
                for disbursement in sorted(
                    (d for d in budget.disbursements.all() if d.status in SPENT),
                    key=lambda d: (d.paid_on, d.pk),
                )
            ],
        }
        for budget in budgets
    ]


def erase_payments(user):
    """For an account being erased (before its applications are anonymised): the free
    text of its award budgets and disbursements emptied, their receipts deleted once
    the transaction commits; every amount, date and ledger entry kept."""
    budgets = AwardBudget.objects.filter(decision__application__applicant=user)
    disbursements = Disbursement.objects.filter(budget__in=budgets)
    receipts = list(disbursements.exclude(receipt="").values_list("receipt", flat=True))
    disbursements.update(description="", reference="", receipt="")
    BudgetLine.objects.filter(budget__in=budgets).update(description="")
    budgets.update(closing_note="")
    transaction.on_commit(lambda: [default_storage.delete(name) for name in receipts])
