from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "template", "language", "status", "attempts"]
    list_filter = ["status", "template", "language"]
    search_fields = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected emails again"), permissions=["view"])
    def resend(self, request, queryset):
        for email in queryset:
            services.resend_email(email)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d email queued.", "%(count)d emails queued.", count)
            % {"count": count},
            messages.SUCCESS,
        )
