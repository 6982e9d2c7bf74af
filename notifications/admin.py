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
    # The body stays out of the admin: it can hold a password-reset link.
    fields = readonly_fields = [
        "recipient",
        "template",
        "language",
        "subject",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Send the selected emails again"), permissions=["resend"])
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
