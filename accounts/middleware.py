import zoneinfo

from django.utils import timezone, translation

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
        user = request.user
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
