from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .audit import AuditEntry
from .models import User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = [
            "email",
            "password",
            "display_name",
            "preferred_language",
            "country",
            "time_zone",
            "is_reviewer",
            "is_coordinator",
            "is_finance",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "preferred_language",
        "country",
        "is_reviewer",
        "is_coordinator",
        "is_finance",
        "is_staff",
        "is_active",
    ]
    list_filter = [
        "is_reviewer",
        "is_coordinator",
        "is_finance",
        "is_staff",
        "is_active",
        "preferred_language",
    ]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "preferred_language", "country", "time_zone"]}),
        (_("Roles"), {"fields": ["is_reviewer", "is_coordinator", "is_finance"]}),
        (
            _("Administration"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "usable_password", "password1", "password2"],
            },
        ),
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the log is append-only, through `accounts.audit.log_action`."""

    list_display = ["created_at", "action", "actor", "object_type", "object_id", "ip_network"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
