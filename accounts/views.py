import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .audit import AuditEntry, log_action
from .forms import (
    ConfirmPasswordForm,
    LocalisedPasswordResetForm,
    ProfileForm,
    SignupForm,
    ThrottledLoginForm,
)
from .middleware import has_confirmed_device
from .models import User
from .personal_data import erase_account, erasure_blockers, export_personal_data
from .reauth import reauthenticate_first, recently_authenticated
from .rules import needs_second_factor


@login_not_required
@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("scholarships:call-list")
    if request.method == "POST":
        form = SignupForm(request.POST, request=request)
        if form.is_valid():
            user = form.save(commit=False)
            user.set_password(form.cleaned_data["password1"])
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                # A double click: the first click made the account.
                form.add_error("email", SignupForm.UNAVAILABLE)
                return render(request, "accounts/signup.html", {"form": form})
            login(request, user, backend="accounts.backends.UserBackend")
            with translation.override(user.preferred_language):
                messages.success(request, _("Welcome! Your account is ready."))
            return redirect("scholarships:call-list")
    else:
        form = SignupForm(
            initial={
                "preferred_language": translation.get_language(),
                # The browser's zone when its script told us, else UTC.
                "time_zone": timezone.get_current_timezone_name(),
            }
        )
    return render(request, "accounts/signup.html", {"form": form})


def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save()
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "two_factor_on": has_confirmed_device(request.user),
            "must_keep_two_factor": needs_second_factor(request.user),
        },
    )


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, remembered on the account of a signed-in person."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=ThrottledLoginForm,
    redirect_authenticated_user=True,
)
logout_view = auth_views.LogoutView.as_view()

# Django marks its password-reset views as open to visitors already.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=LocalisedPasswordResetForm,
    template_name="accounts/password_reset_form.html",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


@permission_required("accounts.read_audit_log", raise_exception=True)
def audit_log(request):
    """Coordinators read who saw or changed what; filtered by action or object."""
    # Logged first, so that the page shows its own reading too.
    log_action(actor=request.user, action="audit.read", request=request)
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    reference = request.GET.get("object", "").strip()
    if reference:
        entries = entries.filter(object_id=reference)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": list(actions), "action": action, "reference": reference},
    )


def my_data(request):
    """Everything held about the person, readable; and a JSON download of it."""
    data = export_personal_data(request.user)
    if request.GET.get("format") == "json":
        if not recently_authenticated(request):
            return reauthenticate_first(request)
        log_action(actor=request.user, action="personal_data.exported", request=request)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response
    log_action(actor=request.user, action="personal_data.viewed", request=request)
    account_rows = [
        (
            _("Roles") if key == "roles" else User._meta.get_field(key).verbose_name,
            ", ".join(value) if isinstance(value, list) else value,
        )
        for key, value in data["account"].items()
    ]
    return render(request, "accounts/my_data.html", {"data": data, "account_rows": account_rows})


@sensitive_post_parameters("password")
def delete_account(request):
    """Erase the account after the person confirms with their password."""
    form = ConfirmPasswordForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        reasons = erasure_blockers(user)
        if reasons:  # before logging out: nothing is changed
            for reason in reasons:
                messages.error(request, reason)
            return redirect("accounts:delete-account")
        logout(request)
        erase_account(user)
        messages.success(request, _("Your account and your personal data are erased."))
        return redirect("scholarships:call-list")
    return render(request, "accounts/delete_account.html", {"form": form})
