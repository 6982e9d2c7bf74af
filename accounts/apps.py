from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .audit import log_action

        def logged_in(sender, request, user, **kwargs):
            log_action(actor=user, action="login.succeeded", request=request)

        def login_failed(sender, credentials, request=None, **kwargs):
            # Never the address that was tried: it may not be anyone's.
            log_action(actor=None, action="login.failed", request=request)

        user_logged_in.connect(logged_in, dispatch_uid="audit_login")
        user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
