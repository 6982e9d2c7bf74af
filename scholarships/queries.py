from django.utils import timezone

from accounts.rules import is_coordinator

from .enums import CallStatus
from .models import Call


def calls_visible_to(user):
    """Calls this person may open: published ones, and every call for coordinators."""
    calls = Call.objects.select_related("conference")
    if is_coordinator(user):
        return calls
    return calls.filter(status=CallStatus.PUBLISHED)


def open_calls(now=None):
    now = now or timezone.now()
    return Call.objects.select_related("conference").filter(
        status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now
    )


def upcoming_calls(now=None):
    now = now or timezone.now()
    return Call.objects.select_related("conference").filter(
        status=CallStatus.PUBLISHED, opens_at__gt=now
    )
