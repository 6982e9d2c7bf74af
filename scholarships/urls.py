from django.urls import path

from .views import applications, calls, decisions, ranking, reviews, selection, wizard

app_name = "scholarships"

urlpatterns = [
    path("", calls.call_list, name="call-list"),
    path("calls/<slug:slug>/", calls.call_detail, name="call-detail"),
    path("calls/<slug:slug>/apply/", wizard.application_start, name="application-start"),
    path("applications/", applications.my_applications, name="my-applications"),
    path(
        "applications/<uuid:public_id>/",
        applications.application_detail,
        name="application-detail",
    ),
    path(
        "applications/<uuid:public_id>/withdraw/",
        applications.application_withdraw,
        name="application-withdraw",
    ),
    path(
        "applications/<uuid:public_id>/letter/",
        applications.application_letter,
        name="application-letter",
    ),
    path(
        "applications/<uuid:public_id>/reply/",
        decisions.application_reply,
        name="application-reply",
    ),
    path(
        "applications/<uuid:public_id>/traveller/",
        decisions.application_traveller,
        name="application-traveller",
    ),
    path(
        "applications/<uuid:public_id>/<str:step>/",
        wizard.ApplicationWizard.as_view(url_name="scholarships:application-step"),
        name="application-step",
    ),
    path("review/", reviews.review_queue, name="review-queue"),
    path("review/<uuid:public_id>/", reviews.review_detail, name="review-detail"),
    path("review/<uuid:public_id>/conflict/", reviews.review_conflict, name="review-conflict"),
    path("manage/calls/", calls.call_manage_list, name="call-manage-list"),
    path(
        "manage/calls/<slug:slug>/status/",
        calls.call_change_status,
        name="call-change-status",
    ),
    path(
        "manage/calls/<slug:slug>/applications/",
        applications.call_applications,
        name="call-applications",
    ),
    path("manage/calls/<slug:slug>/ranking/", ranking.call_ranking, name="call-ranking"),
    path("manage/calls/<slug:slug>/selection/", selection.call_selection, name="call-selection"),
    path(
        "manage/calls/<slug:slug>/selection/pin/",
        selection.call_selection_pin,
        name="call-selection-pin",
    ),
    path(
        "manage/calls/<slug:slug>/selection/run/",
        selection.call_selection_run,
        name="call-selection-run",
    ),
    path("manage/calls/<slug:slug>/decisions/", decisions.call_decisions, name="call-decisions"),
    path(
        "manage/calls/<slug:slug>/decisions/confirm/",
        decisions.call_decisions_confirm,
        name="call-decisions-confirm",
    ),
    path(
        "manage/calls/<slug:slug>/decisions/release/",
        decisions.call_decisions_release,
        name="call-decisions-release",
    ),
    path(
        "manage/calls/<slug:slug>/decisions/offer/",
        decisions.call_decisions_offer,
        name="call-decisions-offer",
    ),
    path(
        "manage/applications/<uuid:public_id>/",
        applications.application_manage_detail,
        name="application-manage-detail",
    ),
]
