"""The disbursement queue and each step: request, approve, pay, reconcile, cancel (POST)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.audit import log_action
from accounts.reauth import recent_authentication_required

from .disbursements import (
    approve_disbursement,
    cancel_disbursement,
    pay_disbursement,
    reconcile_disbursement,
    request_disbursement,
)
from .enums import DisbursementStatus
from .errors import PaymentError
from .forms import ApproveForm, CancelForm, DisbursementRequestForm, PayForm, ReconcileForm
from .models import AwardBudget, Disbursement

disburse_required = permission_required("payments.disburse", raise_exception=True)
PAGE_SIZE = 50


def form_error(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@disburse_required
def disbursement_queue(request):
    status = request.GET.get("status", DisbursementStatus.REQUESTED)
    if status not in DisbursementStatus.values:
        status = DisbursementStatus.REQUESTED
    disbursements = (
        Disbursement.objects.filter(status=status)
        .select_related("budget__decision__application", "fund", "requested_by", "approved_by")
        .order_by("requested_at", "pk")
    )
    page = Paginator(disbursements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/disbursement_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": DisbursementStatus.choices,
            "pay_form": PayForm(),
            "approve_form": ApproveForm(),
        },
    )


def disbursement_for(public_id):
    return get_object_or_404(
        Disbursement.objects.select_related(
            "budget__decision__application",
            "fund",
            "requested_by",
            "approved_by",
            "paid_by",
            "reconciled_by",
            "cancelled_by",
            "override_by",
            "approval_override_by",
            "payment_override_by",
        ),
        public_id=public_id,
    )


@disburse_required
def disbursement_detail(request, public_id):
    disbursement = disbursement_for(public_id)
    return render(
        request,
        "payments/disbursement_detail.html",
        {
            "disbursement": disbursement,
            "ledger": disbursement.ledger_entries.select_related("actor").order_by(
                "created_at", "pk"
            ),
            "approve_form": ApproveForm(),
            "pay_form": PayForm(),
            "reconcile_form": ReconcileForm(),
            "cancel_form": CancelForm(),
            "may_approve": disbursement.requested_by_id != request.user.pk,
        },
    )


@require_POST
@disburse_required
def disbursement_request(request, public_id):
    budget = get_object_or_404(AwardBudget.objects.select_related("fund"), public_id=public_id)
    form = DisbursementRequestForm(request.POST)
    if not form.is_valid():
        form_error(request, form)
        return redirect(budget)
    try:
        disbursement = request_disbursement(budget, by=request.user, **form.cleaned_data)
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect(budget)
    messages.success(request, _("Requested: another finance administrator approves it."))
    return redirect(disbursement)


def step(request, public_id, form_class, action, success):
    disbursement = disbursement_for(public_id)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        form_error(request, form)
        return redirect(disbursement)
    try:
        action(disbursement, by=request.user, **form.cleaned_data)
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    next_url = request.POST.get("next")
    if next_url == "queue":
        return redirect("payments:disbursement-queue")
    return redirect(disbursement)


@require_POST
@disburse_required
@recent_authentication_required
def disbursement_approve(request, public_id):
    return step(request, public_id, ApproveForm, approve_disbursement, _("Approved."))


@require_POST
@disburse_required
@recent_authentication_required
def disbursement_pay(request, public_id):
    return step(request, public_id, PayForm, pay_disbursement, _("Recorded as paid."))


@require_POST
@disburse_required
def disbursement_reconcile(request, public_id):
    return step(
        request, public_id, ReconcileForm, reconcile_disbursement, _("Reconciled with its receipt.")
    )


@require_POST
@disburse_required
def disbursement_cancel(request, public_id):
    return step(request, public_id, CancelForm, cancel_disbursement, _("Cancelled."))


@disburse_required
@never_cache
def disbursement_receipt(request, public_id):
    """The receipt, to finance only, as a download with a neutral name."""
    disbursement = disbursement_for(public_id)
    if not disbursement.receipt:
        raise Http404
    log_action(actor=request.user, action="disbursement.receipt_downloaded", obj=disbursement)
    extension = disbursement.receipt.name.rsplit(".", 1)[-1]
    return FileResponse(
        disbursement.receipt.open("rb"), as_attachment=True, filename=f"receipt.{extension}"
    )
