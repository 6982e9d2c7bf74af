from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        user_logged_in.connect(audit_login, dispatch_uid="audit_login")
        user_logged_in.connect(remember_login, dispatch_uid="remember_login")
        user_login_failed.connect(audit_login_failure, dispatch_uid="audit_login_failed")


def audit_login(sender, request, user, **kwargs):
    from .audit import log_action

    log_action(actor=user, action="login.succeeded", request=request)


def remember_login(sender, request, user, **kwargs):
    from .reauth import mark_authenticated

    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


def audit_login_failure(sender, credentials, request=None, **kwargs):
    from .audit import log_action

    # Never the address that was tried: it may be nobody's, or somebody's secret.
    log_action(actor=None, action="login.failed", request=request)
