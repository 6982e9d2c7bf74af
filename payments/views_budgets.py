"""Finance pages: the dashboard, a call's awards and their budgets, one budget, reports;
and the awardee's own budget. Views parse, check permission, call a service, redirect."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.audit import log_action
from accounts.reauth import reauthenticate_first, recently_authenticated
from scholarships.enums import Outcome
from scholarships.models import Call, Decision
from scholarships.queries import accepted_award, applications_of
from scholarships.views.ranking import spreadsheet_safe

from .budgets import close_budget, create_budget, set_budget_line
from .enums import SPENT, DisbursementStatus
from .errors import PaymentError
from .forms import (
    BudgetCreateForm,
    BudgetLineForm,
    CloseBudgetForm,
    DisbursementRequestForm,
)
from .models import AwardBudget, Disbursement, FundAllocation
from .queries import REPORT_GROUPS, finance_report, fund_balances

finance_required = permission_required("payments.manage_budgets", raise_exception=True)

REPORT_TITLES = {
    "fund": gettext_lazy("Report per fund"),
    "call": gettext_lazy("Report per call"),
    "region": gettext_lazy("Report per region"),
}


@finance_required
def finance_dashboard(request):
    allocations = FundAllocation.objects.select_related("call", "fund").order_by(
        "call__closes_at", "call_id", "fund_id"
    )
    calls = {}
    for allocation in allocations:
        calls.setdefault(allocation.call, []).append(allocation)
    counts = dict(
        Disbursement.objects.order_by()
        .values_list("status")
        .filter(status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED])
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "payments/finance_dashboard.html",
        {
            "balances": fund_balances(),
            "calls": list(calls.items()),
            "to_approve": counts.get(DisbursementStatus.REQUESTED, 0),
            "to_pay": counts.get(DisbursementStatus.APPROVED, 0),
        },
    )


@finance_required
def call_budgets(request, slug):
    call = get_object_or_404(Call.objects.select_related("conference"), slug=slug)
    awards = (
        Decision.objects.filter(application__call=call, outcome=Outcome.AWARD)
        .select_related("application", "budget__fund")
        .order_by("reply", "application__public_id")
    )
    rows = [
        {
            "decision": decision,
            "application": decision.application,
            "budget": getattr(decision, "budget", None),
            "accepted": decision.is_accepted,
        }
        for decision in awards
    ]
    return render(
        request,
        "payments/call_budgets.html",
        {
            "call": call,
            "rows": rows,
            # Listed once: a form's choice field would read the funds again on every row.
            "funds": list(BudgetCreateForm(call=call).fields["fund"].queryset),
            "today": timezone.localdate(),
        },
    )


@require_POST
@finance_required
def budget_create(request, public_id):
    """Fill in the estimate of one accepted award."""
    decision = get_object_or_404(
        Decision.objects.select_related("application__call__conference"),
        application__public_id=public_id,
        outcome=Outcome.AWARD,
    )
    call = decision.application.call
    form = BudgetCreateForm(request.POST, call=call)
    if not form.is_valid():
        messages.error(request, _("Choose a fund that gives to this call and a date."))
        return redirect("payments:call-budgets", slug=call.slug)
    try:
        budget = create_budget(decision, by=request.user, **form.cleaned_data)
    except PaymentError as error:
        messages.error(request, str(error))
        return redirect("payments:call-budgets", slug=call.slug)
    messages.success(request, _("The estimate is filled in: check each line."))
    return redirect(budget)


def budget_for(public_id):
    return get_object_or_404(
        AwardBudget.objects.select_related(
            "fund", "decision__application__call__conference", "created_by"
        ),
        public_id=public_id,
    )


@finance_required
def budget_detail(request, public_id):
    budget = budget_for(public_id)
    disbursements = budget.disbursements.select_related(
        "requested_by", "approved_by", "paid_by"
    ).order_by("requested_at", "pk")
    return render(
        request,
        "payments/budget_detail.html",
        {
            "budget": budget,
            "application": budget.decision.application,
            "lines": budget.lines.all(),
            "disbursements": disbursements,
            "line_form": BudgetLineForm(),
            "close_form": CloseBudgetForm(),
            "request_form": DisbursementRequestForm(),
            "ledger": budget.ledger_entries.select_related("actor").order_by("created_at", "pk"),
        },
    )


@require_POST
@finance_required
def budget_line(request, public_id):
    budget = budget_for(public_id)
    form = BudgetLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an amount, its currency and a reason."))
        return redirect(budget)
    data = form.cleaned_data
    line = budget.lines.filter(pk=data["line"]).first() if data["line"] else None
    if line is None and data["kind"] != "other":
        line = budget.lines.filter(kind=data["kind"]).first()
    try:
        set_budget_line(
            budget,
            kind=data["kind"],
            amount=data["amount"],
            quantity=data["quantity"],
            reason=data["reason"],
            description=data["description"],
            override_reason=data["override_reason"],
            line=line,
            by=request.user,
        )
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The line is saved."))
    return redirect(budget)


@require_POST
@finance_required
def budget_close(request, public_id):
    budget = budget_for(public_id)
    form = CloseBudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the budget closes."))
        return redirect(budget)
    try:
        close_budget(budget, by=request.user, **form.cleaned_data)
    except PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The budget is closed: what was not paid is back in the fund."))
    return redirect(budget)


@finance_required
def report(request, group):
    if group not in REPORT_GROUPS:
        raise Http404
    rows = finance_report(group)
    if request.GET.get("format") == "csv":
        if not recently_authenticated(request):
            return reauthenticate_first(request)
        log_action(actor=request.user, action="finance_report.exported", data={"group": group})
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="finance-{group}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                group,
                "currency",
                "awards",
                "allocated",
                "budgeted",
                "committed",
                "paid",
                "to_pay",
                "free",
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    spreadsheet_safe(value)
                    for value in (
                        row.label,
                        row.currency,
                        row.awards,
                        "" if row.allocated is None else str(row.allocated.amount),
                        str(row.budgeted.amount),
                        str(row.committed.amount),
                        str(row.paid.amount),
                        str(row.to_pay.amount),
                        "" if row.free is None else str(row.free.amount),
                    )
                ]
            )
        return response
    return render(
        request,
        "payments/report.html",
        {"rows": rows, "group": group, "title": REPORT_TITLES[group], "groups": REPORT_TITLES},
    )


def my_budget(request, public_id):
    """The awardee's own budget and what was paid to them, and when. Anyone else's: 404."""
    application = get_object_or_404(
        applications_of(request.user).filter(accepted_award()), public_id=public_id
    )
    budget = AwardBudget.objects.filter(decision__application=application).first()
    paid = (
        budget.disbursements.filter(status__in=SPENT).order_by("paid_on", "pk")
        if budget
        else Disbursement.objects.none()
    )
    return render(
        request,
        "payments/my_budget.html",
        {
            "application": application,
            "budget": budget,
            "lines": budget.lines.all() if budget else [],
            "paid": paid,
        },
    )
