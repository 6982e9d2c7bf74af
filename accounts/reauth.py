"""Re-authentication before what a stolen, still-open session must not be able to do
(SECURITY.md, AU-8 and MO-7): approving or paying money, changing the second factor,
bulk exports. The moment of the last password or code is kept in the session."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SESSION_KEY = "authenticated_at"  # set at login (AccountsConfig) and at each code


def mark_authenticated(request):
    request.session[SESSION_KEY] = time.time()


def recently_authenticated(request):
    moment = request.session.get(SESSION_KEY, 0)
    return time.time() - moment <= settings.REAUTHENTICATE_AFTER_SECONDS


def safe_page(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def reauthenticate_first(request):
    """The redirect to the confirmation page. A GET comes back to itself afterwards; a
    POST is not replayed: the person comes back to the page they sent it from."""
    if request.method == "GET":
        back = request.get_full_path()
    else:
        back = safe_page(request, request.headers.get("referer")) or "/"
        messages.info(request, _("For your safety, confirm it is you, then do it again."))
    return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")


def recent_authentication_required(view):
    """Send the person to confirm their password (and code) first when their last one
    is older than REAUTHENTICATE_AFTER_SECONDS."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if recently_authenticated(request):
            return view(request, *args, **kwargs)
        return reauthenticate_first(request)

    return wrapper
