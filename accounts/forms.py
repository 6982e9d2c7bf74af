from functools import cache

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from config.widgets import CountryChoiceField, QuickSelect
from notifications.services import queue_email

from .models import User
from .throttle import (
    claim_attempt,
    forget_failures,
    is_throttled,
    keys_for,
    record_failure,
    release_attempt,
)
from .validators import time_zone_names


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


class TimeZoneSelect(QuickSelect):
    """Some 600 time zones, named alike in every language: their markup built once."""

    def option_parts(self):
        return time_zone_option_parts()


@cache
def time_zone_option_parts():
    return QuickSelect(choices=time_zone_choices()).option_parts()


class ProfileForm(forms.ModelForm):
    # Some 600 time zones and 250 countries: built in Python, not one template each
    # (the sign-up and profile pages took 40 ms of CPU; now 4 ms).
    country = User._meta.get_field("country").formfield(choices_form_class=CountryChoiceField)
    time_zone = forms.TypedChoiceField(
        label=_("Time zone"), choices=time_zone_choices, widget=TimeZoneSelect
    )

    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "country", "time_zone"]


THROTTLED = _("Too many attempts. Please wait a few minutes and try again.")


class SignupForm(ProfileForm):
    UNAVAILABLE = _("This address cannot be used. If it is yours, log in or reset your password.")

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A few unrelated words make a strong password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta(ProfileForm.Meta):
        fields = ["email", "display_name", "preferred_language", "country", "time_zone"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        # "Already used" answers tell who has an account: they count against the
        # network like failed logins, so that nobody can test a list of addresses.
        network = {"network": keys_for(self.request, email)["network"]}
        if is_throttled(network):
            raise forms.ValidationError(THROTTLED, code="throttled")
        if User.objects.filter(email__iexact=email).exists():
            record_failure(network)
            raise forms.ValidationError(self.UNAVAILABLE, code="email_unavailable")
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing to check passwords after too many failures from
    one network or for one address, whether or not that address has an account."""

    def clean(self):
        keys = keys_for(self.request, self.cleaned_data.get("username"))
        allowed, attempt = claim_attempt(keys)
        if not allowed:
            raise forms.ValidationError(THROTTLED, code="throttled")
        cleaned = super().clean()  # a failure leaves the attempt counted
        release_attempt(attempt)
        forget_failures(keys)
        return cleaned


class LocalisedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through the outbox in the account's own language.

    An unknown address gets the same answer and no email, so the form does not
    reveal who has an account.
    """

    def save(self, *args, request=None, **kwargs):
        # Too many requests for one address or from one network: the same answer, no email.
        keys = {
            kind: f"reset-{key}"[:64]
            for kind, key in keys_for(request, self.cleaned_data["email"]).items()
        }
        if is_throttled(keys):
            return
        record_failure(keys)
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        queue_email(
            to=to_email,
            template="password_reset",
            context=context,
            language=user.preferred_language,
            user=user,
        )


WRONG_CODE = _("This code is not right, or was used already. Wait for a new code and try again.")


class TokenForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits your app shows, or one of your recovery codes."),
    )


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        # Counted as login failures: this is no back door for guessing passwords.
        keys = keys_for(self.request, self.user.email)
        if is_throttled(keys):
            raise forms.ValidationError(THROTTLED, code="throttled")
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            record_failure(keys)
            raise forms.ValidationError(_("This password is not right."), code="wrong_password")
        return password


class ReauthenticateForm(ConfirmPasswordForm):
    """The password, and a code from the second factor when the person has one."""

    code = TokenForm.base_fields["code"]

    def __init__(self, user, *args, devices=(), **kwargs):
        super().__init__(user, *args, **kwargs)
        self.devices = devices
        if not devices:
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        # The code is tried only after the right password: a guess burns no code.
        if (
            self.devices
            and "password" in cleaned
            and code
            and not any(device.verify_token(code) for device in self.devices)
        ):
            self.add_error("code", WRONG_CODE)
        return cleaned
