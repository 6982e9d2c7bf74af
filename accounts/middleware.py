import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .rules import needs_second_factor
from .two_factor import TOTPDevice
from .validators import time_zone_names

TIME_ZONE_COOKIE = "tz"


class UserPreferencesMiddleware:
    """Show pages in the signed-in person's language and time zone.

    A signed-in person's preferred language wins over the language cookie, so the
    pages and the emails they get agree. A visitor's time zone comes from a cookie
    that a small script sets from the browser; without it times show in UTC.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every page needs the person (their language), so it is loaded here; the page
        # then reads them without the lazy wrappers the authentication and OTP middleware
        # put around them, a few hundred attribute look-ups a page.
        request.user = user = loaded(request.user)
        if user.is_authenticated:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
            zone = user.time_zone
        else:
            zone = request.COOKIES.get(TIME_ZONE_COOKIE, "")
        if zone in time_zone_names():
            timezone.activate(zoneinfo.ZoneInfo(zone))
            request.time_zone_known = True
        else:
            timezone.deactivate()
            request.time_zone_known = False
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def loaded(user):
    """The user object behind `request.user`'s lazy wrappers, loading it if need be."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


# What a signed-in person may open before giving their second factor.
TWO_FACTOR_EXEMPT = {
    "accounts:logout",
    "accounts:set-language",
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "health",
}


class TwoFactorMiddleware:
    """Staff give a second factor before any page; so do applicants who turned it on.

    A staff account without a device is sent to set one up; an account with a device
    whose session is not yet verified is sent to enter a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = (
            f"{match.namespace}:{match.url_name}"
            if match and match.namespace
            else (match.url_name if match else None)
        )
        if name in TWO_FACTOR_EXEMPT or request.path.startswith(settings.STATIC_URL):
            return None
        if has_confirmed_device(user):
            return redirect_to("accounts:two-factor-verify", request)
        if needs_second_factor(user):
            return redirect_to("accounts:two-factor-setup", request)
        return None


def has_confirmed_device(user):
    """Whether the person has an authenticator app (recovery codes only ever exist beside
    one). The sign-in backend loads the answer with the user (accounts.backends); a user
    loaded otherwise costs one query."""
    loaded = getattr(user, "confirmed_device_loaded", None)
    if loaded is not None:
        return loaded
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def redirect_to(name, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class PrivatePagesMiddleware:
    """Pages for a signed-in person are never cached: a shared phone keeps no copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class SessionTimeoutMiddleware:
    """Log out after a while without activity, and in any case some hours after login.

    A phone left on a table, or shared, should not stay signed in: staff after
    SESSION_IDLE_STAFF seconds idle, applicants after SESSION_IDLE_APPLICANT, everyone
    SESSION_ABSOLUTE seconds after logging in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("login_at", now)
            last_seen = session.get("last_seen", now)
            idle = (
                settings.SESSION_IDLE_STAFF
                if needs_second_factor(user)
                else settings.SESSION_IDLE_APPLICANT
            )
            if now - last_seen > idle or now - started > settings.SESSION_ABSOLUTE:
                logout(request)
                messages.info(request, _("You were logged out after a while without activity."))
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= 60:  # one write a minute at most
                session["last_seen"] = now
            session.setdefault("last_seen", now)
        return self.get_response(request)
