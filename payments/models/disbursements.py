"""Disbursements (requested → approved → paid → reconciled, or cancelled) and the ledger."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.settings import CURRENCY_CHOICES

from ..enums import ClosingReason, DisbursementStatus, LedgerKind, LineKind, PaymentMethod
from ..errors import PaymentError
from .budgets import AwardBudget
from .funds import MONEY, Fund


def receipt_path(disbursement, filename):
    # A random name: the file's own name may say who was paid and where.
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"receipts/{uuid.uuid4().hex}{extension}"


class Disbursement(models.Model):
    """Money paid, or to be paid, to an awardee (or for them: a ticket) from their budget.

    Four eyes: the approver is not the requester (checked by the service and by the
    database). `idempotency_key` comes with the request form: a second submission of
    the same form finds the first disbursement instead of making another.
    """

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    budget = models.ForeignKey(
        AwardBudget,
        verbose_name=_("budget"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    # The budget's fund, kept here so that a fund's sums need no join.
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="disbursements"
    )
    kind = models.CharField(_("for"), max_length=20, choices=LineKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = MoneyField(
        _("amount"), **MONEY, default_currency="USD", currency_choices=CURRENCY_CHOICES
    )
    amount_in_fund = MoneyField(_("in the fund's currency"), **MONEY, default_currency="USD")
    conversion = models.JSONField(_("conversion"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DisbursementStatus.choices,
        default=DisbursementStatus.REQUESTED,
    )
    idempotency_key = models.UUIDField(_("request key"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    method = models.CharField(
        _("paid by"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    reference = models.CharField(_("payment reference"), max_length=200, blank=True)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    # Set when someone let this disbursement go beyond the award's budget or the fund.
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(_("why the limit was overridden"), blank=True)
    # The requester's override above is theirs: an approver who lets it go beyond a limit
    # gives their own reason, and so does a payer when the day's rate takes it further.
    approval_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_override_reason = models.TextField(
        _("why the approver overrode the limit"), blank=True
    )
    payment_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_override_reason = models.TextField(_("why the payer overrode the limit"), blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DisbursementStatus.values),
                name="disbursement_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount_in_fund__gt=0),
                name="disbursement_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("requested_by")),
                name="disbursement_four_eyes",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.CANCELLED]
                )
                | models.Q(approved_by__isnull=False),
                name="disbursement_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    status__in=[DisbursementStatus.PAID, DisbursementStatus.RECONCILED]
                )
                | (models.Q(paid_on__isnull=False) & ~models.Q(method="")),
                name="disbursement_paid_has_date_and_method",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DisbursementStatus.CANCELLED)
                | ~models.Q(cancel_reason=""),
                name="disbursement_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(override_by__isnull=True) | ~models.Q(override_reason=""),
                name="disbursement_override_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(approval_override_by__isnull=True)
                | ~models.Q(approval_override_reason=""),
                name="disbursement_approval_override_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(payment_override_by__isnull=True)
                | ~models.Q(payment_override_reason=""),
                name="disbursement_payment_override_has_reason",
            ),
            # A double click or a replayed form finds the live disbursement of its key.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~models.Q(status=DisbursementStatus.CANCELLED),
                name="disbursement_one_live_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "status"]),
            models.Index(fields=["budget", "status"]),
            models.Index(fields=["status", "requested_at"]),
        ]

    def __str__(self):
        return f"{str(self.public_id)[:8]} {self.amount} ({self.status})"

    def get_absolute_url(self):
        return reverse("payments:disbursement-detail", kwargs={"public_id": self.public_id})


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PaymentError(gettext("Ledger entries cannot be changed."))

    def delete(self):
        raise PaymentError(gettext("Ledger entries cannot be deleted."))


class LedgerEntry(models.Model):
    """One change of money's state, never changed nor deleted afterwards.

    `committed_change` and `paid_change` are what the change did to the fund's
    committed and paid amounts, in the fund's currency: per fund, their sums are
    the fund's committed and paid totals, to the cent (`payments.ledger.check_ledger`).
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=LedgerKind.choices)
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    budget = models.ForeignKey(AwardBudget, on_delete=models.PROTECT, related_name="ledger_entries")
    disbursement = models.ForeignKey(
        Disbursement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    committed_change = MoneyField(_("committed, change"), **MONEY, default_currency="USD")
    paid_change = MoneyField(_("paid, change"), **MONEY, default_currency="USD")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["fund", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.budget_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PaymentError(gettext("Ledger entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaymentError(gettext("Ledger entries cannot be deleted."))

    @property
    def reason_display(self):
        """Why, for a person: a budget's closing reason in their language, or the reason
        someone typed."""
        closing = self.data.get("closing_reason")
        if closing in ClosingReason.values:
            return ClosingReason(closing).label
        return self.data.get("reason", "")
