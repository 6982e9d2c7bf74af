from django.urls import path

from . import views_budgets, views_disbursements, views_letters

app_name = "payments"

urlpatterns = [
    # Letters and sheets (PDF). "letters/" rather than "applications/<id>/…", which the
    # application wizard's step pattern would catch first.
    path("letters/<uuid:public_id>/award/", views_letters.award_letter, name="award-letter"),
    path("letters/<uuid:public_id>/visa/", views_letters.visa_letter, name="visa-letter"),
    path(
        "manage/calls/<slug:slug>/per-diem-sheet/",
        views_letters.per_diem_sheet,
        name="per-diem-sheet",
    ),
    path(
        "manage/calls/<slug:slug>/budget-summary/",
        views_letters.budget_summary,
        name="budget-summary",
    ),
    # Finance: funds, award budgets, disbursements, reports.
    path("manage/finance/", views_budgets.finance_dashboard, name="finance-dashboard"),
    path(
        "manage/finance/calls/<slug:slug>/",
        views_budgets.call_budgets,
        name="call-budgets",
    ),
    path(
        "manage/finance/awards/<uuid:public_id>/budget/",
        views_budgets.budget_create,
        name="budget-create",
    ),
    path(
        "manage/finance/budgets/<uuid:public_id>/",
        views_budgets.budget_detail,
        name="budget-detail",
    ),
    path(
        "manage/finance/budgets/<uuid:public_id>/lines/",
        views_budgets.budget_line,
        name="budget-line",
    ),
    path(
        "manage/finance/budgets/<uuid:public_id>/close/",
        views_budgets.budget_close,
        name="budget-close",
    ),
    path(
        "manage/finance/budgets/<uuid:public_id>/disbursements/",
        views_disbursements.disbursement_request,
        name="disbursement-request",
    ),
    path(
        "manage/finance/disbursements/",
        views_disbursements.disbursement_queue,
        name="disbursement-queue",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/",
        views_disbursements.disbursement_detail,
        name="disbursement-detail",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/approve/",
        views_disbursements.disbursement_approve,
        name="disbursement-approve",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/pay/",
        views_disbursements.disbursement_pay,
        name="disbursement-pay",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/reconcile/",
        views_disbursements.disbursement_reconcile,
        name="disbursement-reconcile",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/cancel/",
        views_disbursements.disbursement_cancel,
        name="disbursement-cancel",
    ),
    path(
        "manage/finance/disbursements/<uuid:public_id>/receipt/",
        views_disbursements.disbursement_receipt,
        name="disbursement-receipt",
    ),
    path("manage/finance/reports/<str:group>/", views_budgets.report, name="finance-report"),
    # The awardee's own budget and payments ("my/" keeps clear of the wizard's patterns).
    path("my/budgets/<uuid:public_id>/", views_budgets.my_budget, name="my-budget"),
]
