from django.urls import path

from . import views_letters

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
]
