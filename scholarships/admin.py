from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from i18nfield.admin import I18nModelAdmin

from .enums import CallStatus, ReviewStatus
from .forms import CallForm
from .models import (
    Application,
    BalancePolicy,
    Call,
    Criterion,
    Decision,
    EligibilityQuestion,
    GenderTarget,
    MotivationQuestion,
    PanelMember,
    RegionTarget,
    ReviewAssignment,
    SelectionRun,
)
from .services import ScholarshipError, assign_reviewers, change_call_status


class EligibilityQuestionInline(admin.StackedInline):
    model = EligibilityQuestion
    extra = 0
    fields = ["position", "text", "required_answer", "explanation"]
    formfield_overrides = I18nModelAdmin.formfield_overrides_defaults


class MotivationQuestionInline(EligibilityQuestionInline):
    model = MotivationQuestion
    fields = ["position", "text", "help_text", "word_limit", "required"]


class CriterionInline(EligibilityQuestionInline):
    """The rubric is frozen once a review is submitted: changing a weight or a scale
    afterwards would silently change, or drop, the scores already given."""

    model = Criterion
    fields = ["position", "name", "guidance", "weight", "scale"]

    def frozen(self, call):
        return (
            call is not None
            and ReviewAssignment.objects.filter(
                application__call=call, status=ReviewStatus.SUBMITTED
            ).exists()
        )

    def has_add_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.frozen(obj) and super().has_delete_permission(request, obj)


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    fields = ["reviewer", "languages", "organisation", "min_reviews", "max_reviews"]
    autocomplete_fields = ["reviewer"]


@admin.register(Call)
class CallAdmin(I18nModelAdmin):
    form = CallForm
    inlines = [
        EligibilityQuestionInline,
        MotivationQuestionInline,
        CriterionInline,
        PanelMemberInline,
    ]
    list_display = ["__str__", "conference", "status", "opens_at", "closes_at", "number_of_awards"]
    list_filter = ["status", "conference"]
    search_fields = ["slug", "title"]
    list_select_related = ["conference"]
    readonly_fields = ["status"]
    date_hierarchy = "closes_at"
    actions = ["publish", "unpublish", "archive", "assign", "preview_retention"]

    def _change_status(self, request, queryset, target):
        for call in queryset:
            try:
                change_call_status(call, to=target, by=request.user)
            except ScholarshipError as error:
                self.message_user(request, f"{call}: {error}", messages.ERROR)

    def has_manage_permission(self, request):
        return request.user.has_perm("scholarships.manage_calls")

    @admin.action(description=_("Publish the selected calls"), permissions=["manage"])
    def publish(self, request, queryset):
        self._change_status(request, queryset, CallStatus.PUBLISHED)

    @admin.action(description=_("Return the selected calls to draft"), permissions=["manage"])
    def unpublish(self, request, queryset):
        self._change_status(request, queryset, CallStatus.DRAFT)

    @admin.action(description=_("Archive the selected calls"), permissions=["manage"])
    def archive(self, request, queryset):
        self._change_status(request, queryset, CallStatus.ARCHIVED)

    @admin.action(description=_("Assign reviewers to the applications"), permissions=["manage"])
    def assign(self, request, queryset):
        for call in queryset:
            try:
                count = assign_reviewers(call, by=request.user)
            except ScholarshipError as error:
                self.message_user(request, f"{call}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(call)s: %(count)d new review(s) assigned.")
                    % {"call": call, "count": count},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Preview what retention will erase"), permissions=["manage"])
    def preview_retention(self, request, queryset):
        today = timezone.localdate()
        for call in queryset.select_related("conference"):
            live = call.applications.filter(anonymised_at__isnull=True)
            self.message_user(
                request,
                _(
                    "%(call)s: personal data is kept until %(date)s%(due)s. "
                    "%(applications)d application(s) and %(letters)d letter(s) will be erased."
                )
                % {
                    "call": call,
                    "date": date_format(call.retention_ends_on),
                    "due": _(" (due now)") if call.retention_ends_on < today else "",
                    "applications": live.count(),
                    "letters": live.exclude(support_letter="").count(),
                },
                messages.INFO,
            )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: answers are read through the coordinators' pages, changes go through
    the services."""

    list_display = ["__str__", "call", "status", "region", "gender", "submitted_at"]
    list_filter = ["status", "call", "region", "gender"]
    list_select_related = ["call"]
    fields = ["public_id", "call", "status", "region", "gender", "submitted_at", "withdrawn_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    """Read only: reviews are written by reviewers on their own pages."""

    list_display = ["application", "member", "status", "submitted_at"]
    list_filter = ["status", "application__call"]
    list_select_related = ["application", "member__reviewer", "member__call"]
    fields = ["application", "member", "status", "submitted_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegionTargetInline(admin.TabularInline):
    model = RegionTarget
    extra = 0
    fields = ["region", "min_count", "min_share", "max_share", "estimated_cost"]


class GenderTargetInline(admin.TabularInline):
    model = GenderTarget
    extra = 0
    fields = ["gender", "min_share"]


@admin.register(BalancePolicy)
class BalancePolicyAdmin(admin.ModelAdmin):
    list_display = ["call", "budget", "first_time_min_share"]
    inlines = [RegionTargetInline, GenderTargetInline]


@admin.register(SelectionRun)
class SelectionRunAdmin(admin.ModelAdmin):
    """Read only: the record of each proposal, for audit."""

    list_display = ["call", "created_at", "objective", "status", "total_merit", "solver"]
    list_filter = ["call", "status"]
    readonly_fields = [field.name for field in SelectionRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are confirmed, released and replied to through the portal's
    pages, which lock rows and send the emails."""

    list_display = ["application", "outcome", "coverage", "waitlist_rank", "reply", "released_at"]
    list_filter = ["outcome", "reply", "application__call"]
    list_select_related = ["application"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
