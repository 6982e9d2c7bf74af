from django.contrib import admin
from i18nfield.admin import I18nModelAdmin

from .models import Invitation, MeetingHours, ParticipantGroup, PrepMeeting


class ParticipantGroupInline(admin.TabularInline):
    model = ParticipantGroup
    extra = 0
    fields = ["kind", "call", "region"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["user", "rsvp", "waitlisted", "attended", "invited_at", "reminded_at"]
    readonly_fields = ["invited_at", "reminded_at"]
    raw_id_fields = ["user"]


@admin.register(PrepMeeting)
class PrepMeetingAdmin(I18nModelAdmin):
    """Meetings are created, changed and cancelled on the coordinators' pages, which send
    the updates; the admin shows them and corrects details that send nothing."""

    list_display = ["title", "conference", "format", "starts_at", "status", "sequence"]
    list_filter = ["status", "format", "conference"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "public_id",
        "sequence",
        "status",
        "starts_at",
        "duration_minutes",
        "format",
        "online_link",
        "room",
        "address",
    ]
    inlines = [ParticipantGroupInline, InvitationInline]


@admin.register(MeetingHours)
class MeetingHoursAdmin(admin.ModelAdmin):
    list_display = ["user", "earliest", "latest"]
    raw_id_fields = ["user"]
