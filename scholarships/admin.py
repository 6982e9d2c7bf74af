from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from i18nfield.admin import I18nModelAdmin

from .enums import CallStatus
from .forms import CallForm
from .models import Call
from .services import ScholarshipError, change_call_status


@admin.register(Call)
class CallAdmin(I18nModelAdmin):
    form = CallForm
    list_display = ["__str__", "conference", "status", "opens_at", "closes_at", "number_of_awards"]
    list_filter = ["status", "conference"]
    search_fields = ["slug", "title"]
    list_select_related = ["conference"]
    readonly_fields = ["status"]
    date_hierarchy = "closes_at"
    actions = ["publish", "unpublish", "archive"]

    def _change_status(self, request, queryset, target):
        for call in queryset:
            try:
                change_call_status(call, to=target, by=request.user)
            except ScholarshipError as error:
                self.message_user(request, f"{call}: {error}", messages.ERROR)

    @admin.action(description=_("Publish the selected calls"))
    def publish(self, request, queryset):
        self._change_status(request, queryset, CallStatus.PUBLISHED)

    @admin.action(description=_("Return the selected calls to draft"))
    def unpublish(self, request, queryset):
        self._change_status(request, queryset, CallStatus.DRAFT)

    @admin.action(description=_("Archive the selected calls"))
    def archive(self, request, queryset):
        self._change_status(request, queryset, CallStatus.ARCHIVED)
