"""Slowing down password guessing, by network and by account, without saying which
accounts exist: every address is throttled alike, known or not."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .audit import client_ip, truncate_ip


class AuthFailure(models.Model):
    """A failed login or a password-reset request, under a hashed key."""

    key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "accounts"

    def __str__(self):
        return f"{self.key[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


def _hash(kind, value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value}".encode()).hexdigest()


def keys_for(request, email):
    """One key for the client's network, one for the account (known or not)."""
    return {
        "network": _hash("network", truncate_ip(client_ip(request))),
        "account": _hash("account", (email or "").strip().lower()),
    }


def is_throttled(keys, *, limits=None):
    limits = limits or settings.LOGIN_THROTTLE_LIMITS
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    for kind, key in keys.items():
        if AuthFailure.objects.filter(key=key, created_at__gte=since).count() >= limits[kind]:
            return True
    return False


def record_failure(keys):
    AuthFailure.objects.bulk_create([AuthFailure(key=key) for key in keys.values()])


def claim_attempt(keys, *, limits=None):
    """Count this attempt first, then check: parallel requests cannot all slip under
    the limit. Returns (allowed, attempt ids); release the ids when the attempt
    succeeds."""
    limits = limits or settings.LOGIN_THROTTLE_LIMITS
    created = AuthFailure.objects.bulk_create([AuthFailure(key=key) for key in keys.values()])
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    allowed = all(
        AuthFailure.objects.filter(key=key, created_at__gte=since).count() <= limits[kind]
        for kind, key in keys.items()
    )
    return allowed, [attempt.pk for attempt in created]


def release_attempt(attempt_ids):
    AuthFailure.objects.filter(pk__in=attempt_ids).delete()


def forget_failures(keys):
    AuthFailure.objects.filter(key=keys["account"]).delete()


def prune_failures():
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    return AuthFailure.objects.filter(created_at__lt=since).delete()[0]
