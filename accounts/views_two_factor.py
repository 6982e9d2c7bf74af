"""Setting up and giving a second factor."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from .audit import log_action
from .forms import WRONG_CODE, ConfirmPasswordForm, ReauthenticateForm, TokenForm
from .middleware import has_confirmed_device
from .reauth import mark_authenticated, recent_authentication_required, safe_page
from .rules import needs_second_factor
from .two_factor import RecoveryCodeDevice, TOTPDevice, confirm_two_factor, start_two_factor


def next_url(request, default="scholarships:call-list"):
    """Where to go next: a safe `next` address, else the `default` page (a URL name)."""
    target = safe_page(request, request.POST.get("next") or request.GET.get("next"))
    return target or (reverse(default) if default else "")


def qr_svg(text):
    # Drawn here as SVG from our own data: no image service, nothing leaves the server.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated, not user input


@never_cache
@sensitive_post_parameters("code")
@recent_authentication_required
def two_factor_setup(request):
    """Step 1 (GET): explain. Step 2 (POST "start"): a new secret, shown as a QR code.
    Step 3 (POST a code): confirm it, and show the recovery codes once."""
    user = request.user
    if has_confirmed_device(user):
        if not user.is_verified():
            return redirect("accounts:two-factor-verify")
        return redirect("accounts:profile")
    context = {"required": needs_second_factor(user), "next": next_url(request, default="")}
    if request.method != "POST":
        return render(request, "accounts/two_factor_setup.html", context)
    device = start_two_factor(user)
    form = TokenForm(request.POST if "code" in request.POST else None)
    if form.is_bound and form.is_valid():
        codes = confirm_two_factor(device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            otp_login(request, device)
            log_action(actor=user, action="two_factor.enabled", request=request)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": next_url(request)},
            )
        form.add_error("code", _("This code is not right. Check the time on your phone."))
    context.update(form=form, qr=qr_svg(device.config_url), secret=device.secret_for_typing)
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@sensitive_post_parameters("code")
def two_factor_verify(request):
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not has_confirmed_device(user):
        return redirect("accounts:two-factor-setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in (
            *TOTPDevice.objects.filter(user=user, confirmed=True),
            *RecoveryCodeDevice.objects.filter(user=user, confirmed=True),
        ):
            if device.verify_token(code):
                # A new session key once the second step is passed (session fixation).
                request.session.cycle_key()
                otp_login(request, device)
                mark_authenticated(request)
                log_action(actor=user, action="two_factor.verified", request=request)
                return redirect(next_url(request))
        log_action(actor=user, action="two_factor.failed", request=request)
        form.add_error("code", WRONG_CODE)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url(request, "")}
    )


@never_cache
@sensitive_post_parameters("password")
@recent_authentication_required
def two_factor_disable(request):
    """Applicants may turn the second factor off again, after typing their password;
    staff may not."""
    user = request.user
    if needs_second_factor(user):
        messages.error(request, _("Staff accounts must keep a second factor."))
        return redirect("accounts:profile")
    form = ConfirmPasswordForm(user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()
        log_action(actor=user, action="two_factor.disabled", request=request)
        messages.success(request, _("Two-step login is off."))
        return redirect("accounts:profile")
    return render(request, "accounts/two_factor_disable.html", {"form": form})


@never_cache
@sensitive_post_parameters("password", "code")
def reauthenticate(request):
    """Confirm it is you: the password, and a code when a second factor is set up."""
    user = request.user
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *RecoveryCodeDevice.objects.filter(user=user, confirmed=True),
    ]
    form = ReauthenticateForm(user, request.POST or None, request=request, devices=devices)
    back = safe_page(request, request.POST.get("next") or request.GET.get("next")) or "/"
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request)
        log_action(actor=user, action="account.reauthenticated", request=request)
        return redirect(back)
    return render(
        request,
        "accounts/reauthenticate.html",
        {"form": form, "next": back},
        status=400 if form.is_bound else 200,
    )
