from django.urls import path

from . import views

app_name = "scholarships"

urlpatterns = [
    path("", views.call_list, name="call-list"),
    path("calls/<slug:slug>/", views.call_detail, name="call-detail"),
    path("manage/calls/", views.call_manage_list, name="call-manage-list"),
    path("manage/calls/<slug:slug>/status/", views.call_change_status, name="call-change-status"),
]
