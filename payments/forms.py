from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import PaymentError
from .models import Fund, FundAllocation
from .services import check_allocation, check_fund_amount

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
