"""Funds, allocations and rates in the admin site: finance administrators only.

The admin site lets in staff accounts (`is_staff`); of those, only finance
administrators see these models (`payments.manage_funds`, `payments.manage_rates`),
a superuser included only if they hold the finance role. Every save and delete goes
through `payments.services`, which checks, locks and writes the audit log.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from accounts.audit import log_action

from .forms import FundAdminForm, FundAllocationAdminForm, RateImportForm
from .imports import COLUMNS, EXCHANGE, PER_DIEM
from .models import AirfareEstimate, ExchangeRate, Fund, FundAllocation, PerDiemRate, TravelPolicy
from .queries import fund_balance
from .services import (
    allocate_fund,
    delete_rates,
    import_rates,
    remove_allocation,
    save_fund,
    save_rate,
)


class FinanceOnlyAdmin(admin.ModelAdmin):
    permission = "payments.manage_funds"

    def allowed(self, request):
        return request.user.has_perm(self.permission)

    def has_module_permission(self, request):
        return self.allowed(request)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request)

    def has_add_permission(self, request):
        return self.allowed(request)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self.allowed(request)


class AllocationInline(admin.TabularInline):
    """Shown on the fund's page; allocations are changed on their own page (checked there)."""

    model = FundAllocation
    extra = 0
    fields = ["call", "amount", "notes"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("payments.manage_funds")


@admin.register(Fund)
class FundAdmin(FinanceOnlyAdmin):
    form = FundAdminForm
    inlines = [AllocationInline]
    list_display = ["name", "donor", "amount", "allocated", "period_start", "period_end"]
    list_filter = ["amount_currency", "donor"]
    search_fields = ["name", "donor"]
    date_hierarchy = "period_start"
    readonly_fields = ["balance"]
    fields = [
        "donor",
        "name",
        "amount",
        "period_start",
        "period_end",
        "restrictions",
        "notes",
        "balance",
    ]

    def get_queryset(self, request):
        # One currency per fund (the service sees to it), so this sum is in the fund's.
        return super().get_queryset(request).annotate(allocated_total=Sum("allocations__amount"))

    @admin.display(description=_("allocated"))
    def allocated(self, fund):
        return Money(fund.allocated_total or 0, fund.amount.currency)

    @admin.display(description=_("balance"))
    def balance(self, fund):
        if fund.pk is None:
            return "—"
        balance = fund_balance(fund)
        return _(
            "%(allocated)s allocated to calls, %(unallocated)s not allocated; "
            "%(committed)s committed to awards, %(paid)s paid."
        ) % {
            "allocated": balance.allocated,
            "unallocated": balance.unallocated,
            "committed": balance.committed,
            "paid": balance.paid,
        }

    def has_delete_permission(self, request, obj=None):
        return False  # a donor's grant stays on record

    def save_model(self, request, obj, form, change):
        save_fund(obj, by=request.user)


@admin.register(FundAllocation)
class FundAllocationAdmin(FinanceOnlyAdmin):
    form = FundAllocationAdminForm
    list_display = ["fund", "call", "amount"]
    list_filter = ["fund", "call"]
    list_select_related = ["fund", "call"]
    autocomplete_fields = ["fund"]

    def get_readonly_fields(self, request, obj=None):
        return ["fund", "call"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        allocation = allocate_fund(
            obj.fund, call=obj.call, amount=obj.amount, by=request.user, notes=obj.notes
        )
        obj.pk = allocation.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        remove_allocation(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for allocation in queryset:
            remove_allocation(allocation, by=request.user)


class RateAdmin(FinanceOnlyAdmin):
    """Rates entered one by one, or imported from a CSV file with a dry run first."""

    permission = "payments.manage_rates"
    change_list_template = "admin/payments/rate_change_list.html"
    kind = None

    def save_model(self, request, obj, form, change):
        save_rate(obj, by=request.user)

    def delete_model(self, request, obj):
        delete_rates([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        delete_rates(list(queryset), by=request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        info = self.opts.app_label, self.opts.model_name
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:{}_{}_import".format(*info)),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = RateImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_rates(
                upload,
                kind=self.kind,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
                filename=upload.name,
            )
            if report.ok and not report.dry_run:
                self.message_user(request, report.summary(), messages.SUCCESS)
                return redirect("admin:{}_{}_changelist".format(*self.opts_info()))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(things)s from a CSV file")
            % {"things": self.opts.verbose_name_plural},
            "form": form,
            "report": report,
            "columns": ",".join(COLUMNS[self.kind]),
            "example": self.example,
        }
        return TemplateResponse(request, "admin/payments/rate_import.html", context)

    def opts_info(self):
        return self.opts.app_label, self.opts.model_name


@admin.register(ExchangeRate)
class ExchangeRateAdmin(RateAdmin):
    kind = EXCHANGE
    example = (
        "from_currency,to_currency,rate,valid_on,source\nUSD,ZAR,18.2500,2028-07-01,Reserve Bank"
    )
    list_display = ["from_currency", "to_currency", "rate", "valid_on", "source"]
    list_filter = ["from_currency", "to_currency"]
    date_hierarchy = "valid_on"
    fields = ["from_currency", "to_currency", "rate", "valid_on", "source"]


@admin.register(PerDiemRate)
class PerDiemRateAdmin(RateAdmin):
    kind = PER_DIEM
    example = "country,city,valid_from,daily_rate,currency\nZA,Cape Town,2028-01-01,285.00,USD"
    list_display = ["country", "city", "daily_rate", "valid_from"]
    list_filter = ["country", "daily_rate_currency"]
    search_fields = ["city"]
    date_hierarchy = "valid_from"
    fields = ["country", "city", "daily_rate", "valid_from"]


@admin.register(TravelPolicy)
class TravelPolicyAdmin(FinanceOnlyAdmin):
    """How a call's budgets are estimated. Budgets already filled in keep their lines."""

    permission = "payments.manage_budgets"
    list_display = ["call", "travel_day_share", "accommodation_reduction", "nightly_rate"]
    list_select_related = ["call"]
    fields = [
        "call",
        "days_before",
        "days_after",
        "travel_day_share",
        "accommodation_reduction",
        "meals_reduction",
        "nightly_rate",
        "visa_fee",
        "insurance",
        "local_transport",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(actor=request.user, action="travel_policy.saved", obj=obj)


@admin.register(AirfareEstimate)
class AirfareEstimateAdmin(FinanceOnlyAdmin):
    permission = "payments.manage_budgets"
    list_display = ["call", "country", "region", "amount"]
    list_filter = ["call", "region"]
    list_select_related = ["call"]
    fields = ["call", "country", "region", "amount"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(actor=request.user, action="airfare_estimate.saved", obj=obj)
