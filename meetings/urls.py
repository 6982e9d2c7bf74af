from django.urls import path

from .views import manage, participants

app_name = "meetings"

urlpatterns = [
    path("meetings/", participants.my_meetings, name="my-meetings"),
    path("meetings/hours/", participants.meeting_hours, name="meeting-hours"),
    path("meetings/answer/<str:token>/", participants.rsvp_link, name="rsvp-link"),
    path("meetings/<uuid:public_id>/", participants.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<uuid:public_id>/answer/",
        participants.meeting_answer,
        name="meeting-answer",
    ),
    path(
        "meetings/<uuid:public_id>/calendar.ics",
        participants.meeting_calendar,
        name="meeting-calendar",
    ),
    path("manage/meetings/", manage.meeting_manage_list, name="meeting-manage-list"),
    path("manage/meetings/new/", manage.meeting_create, name="meeting-create"),
    path(
        "manage/meetings/<uuid:public_id>/",
        manage.meeting_manage_detail,
        name="meeting-manage-detail",
    ),
    path("manage/meetings/<uuid:public_id>/edit/", manage.meeting_edit, name="meeting-edit"),
    path("manage/meetings/<uuid:public_id>/times/", manage.meeting_slots, name="meeting-slots"),
    path("manage/meetings/<uuid:public_id>/send/", manage.meeting_send, name="meeting-send"),
    path("manage/meetings/<uuid:public_id>/cancel/", manage.meeting_cancel, name="meeting-cancel"),
    path(
        "manage/meetings/<uuid:public_id>/attendance/",
        manage.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "manage/meetings/<uuid:public_id>/export.csv",
        manage.meeting_export,
        name="meeting-export",
    ),
]
