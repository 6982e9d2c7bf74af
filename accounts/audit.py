"""The append-only audit log: who saw or changed what, when, from which network.

`log_action` is the one way to write it. Entries hold opaque references (ids), never
names, emails or answers, and the IP address truncated to its network.
"""

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

current_ip = ContextVar("current_ip", default="")


class AuditLogError(Exception):
    """The audit log is append-only."""


def client_ip(request):
    """The client's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT), the N-th
    address from the right of X-Forwarded-For; anything further left is the client's
    to invent and is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def truncate_ip(address):
    """The network, not the device: 203.0.113.0 for 203.0.113.54, a /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogError("Audit entries cannot be changed.")

    def delete(self):
        raise AuditLogError("Audit entries cannot be deleted.")

    def redact(self):
        """The one sanctioned change: strip who, where and what from entries about an
        anonymised object, keeping that something happened and when."""
        return models.QuerySet.update(
            self, actor=None, ip_network="", object_id="", data={}, redacted=True
        )


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        # An erased account leaves its entries, without identity.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    ip_network = models.CharField(_("network"), max_length=45, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    redacted = models.BooleanField(_("redacted"), default=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        app_label = "accounts"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogError("Audit entries cannot be deleted.")


def log_action(*, actor, action, obj=None, request=None, data=None):
    """Append one entry. `obj` is named by its public id when it has one, else its pk."""
    ip = truncate_ip(client_ip(request)) if request is not None else current_ip.get()
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(getattr(obj, "public_id", None) or obj.pk)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        ip_network=ip,
        data=data or {},
    )


class AuditContextMiddleware:
    """Lets services deep below a view know the request's network for the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(truncate_ip(client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
