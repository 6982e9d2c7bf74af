import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djmoney.forms.fields import MoneyField

from .enums import ClosingReason, LineKind, PaymentMethod
from .errors import PaymentError
from .models import Fund, FundAllocation
from .services import check_allocation, check_fund_amount

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def override_reason_field():
    return forms.CharField(
        label=_("Reason to go beyond the award's budget or the fund (only if needed)"),
        max_length=500,
        required=False,
    )


class FundAdminForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["donor", "name", "amount", "period_start", "period_end", "restrictions", "notes"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                check_fund_amount(self.instance)
            except PaymentError as error:
                raise ValidationError(str(error)) from error
        return cleaned


class FundAllocationAdminForm(forms.ModelForm):
    class Meta:
        model = FundAllocation
        fields = ["fund", "call", "amount", "notes"]

    def clean(self):
        cleaned = super().clean()
        # On a change, fund and call are read-only: they come from the instance.
        fund = cleaned.get("fund") or (self.instance.fund if self.instance.fund_id else None)
        call = cleaned.get("call") or (self.instance.call if self.instance.call_id else None)
        amount = cleaned.get("amount")
        if fund and call and amount is not None and not self.errors:
            try:
                check_allocation(fund, call=call, amount=amount, allocation=self.instance)
            except PaymentError as error:
                raise ValidationError(str(error)) from error
        return cleaned


class RateImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8, comma-separated, with the columns named below.")
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and say what would change, without saving"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def money_field(label, **kwargs):
    return MoneyField(
        label=label,
        max_digits=14,
        decimal_places=2,
        currency_choices=[(code, code) for code in settings.CURRENCIES],
        **kwargs,
    )


class BudgetCreateForm(forms.Form):
    """Fill in the estimate of an accepted award: which fund pays, and the rates' day."""

    fund = forms.ModelChoiceField(label=_("Paid from"), queryset=Fund.objects.none())
    priced_on = forms.DateField(
        label=_("Exchange rates of"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lines in other currencies are converted with the rates of this day."),
    )
    accommodation_provided = forms.BooleanField(
        label=_("Accommodation provided by the conference"), required=False
    )
    meals_provided = forms.BooleanField(
        label=_("Meals provided on conference days"), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason to go beyond the call's allocation (only if needed)"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(allocations__call=call).distinct()
        self.fields["priced_on"].initial = timezone.localdate()


class BudgetLineForm(forms.Form):
    """Change a line's amount, or add one, with the reason kept in the audit log."""

    line = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("For"), choices=LineKind.choices)
    amount = money_field(_("Amount"))
    quantity = forms.DecimalField(
        label=_("Quantity (nights, days)"),
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    reason = forms.CharField(label=_("Why"), max_length=500)
    override_reason = forms.CharField(
        label=_("Reason to go beyond the call's allocation (only if needed)"),
        max_length=500,
        required=False,
    )


class CloseBudgetForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the budget closes"), choices=ClosingReason.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DisbursementRequestForm(forms.Form):
    """The request carries a key made when the form is shown: sent twice, it pays once."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("For"), choices=LineKind.choices)
    amount = money_field(_("Amount"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    override_reason = override_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()


class ApproveForm(forms.Form):
    override_reason = override_reason_field()


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    override_reason = override_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ReconcileForm(forms.Form):
    receipt = forms.FileField(
        label=_("Receipt"), help_text=_("A PDF, JPEG or PNG file of at most 5 MB.")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=500)
