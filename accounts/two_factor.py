"""Second factors: a TOTP app, and single-use recovery codes.

django-otp's own TOTP and static-token plugins keep the TOTP seed and the recovery
codes in plain text; these keep the seed encrypted (config/fields.py) and only a
hash of each recovery code.
"""

import hashlib
import hmac
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from config.fields import EncryptedTextField

RECOVERY_CODES = 10


def default_key():
    return random_hex(20)


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app. A token is accepted once (`last_t`), and failures slow
    further tries down (ThrottlingMixin)."""

    key = EncryptedTextField(_("secret"), default=default_key)
    step = 30
    digits = 6
    tolerance = 1
    last_t = models.BigIntegerField(_("last time step used"), default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self):
        return unhexlify(self.key.encode())

    def totp(self):
        totp = TOTP(self.bin_key, self.step, 0, self.digits, 0)
        totp.time = time.time()
        return totp

    def current_token(self):
        return f"{self.totp().token():0{self.digits}d}"

    def verify_token(self, token):
        """Check a code on the locked row: the throttle, the last time step used and the
        failure count are read and written there, so that parallel tries cannot replay a
        code or lose a failure."""
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            allowed, _details = locked.verify_is_allowed()
            if not allowed:
                return False
            try:
                number = int(str(token).strip())
            except ValueError:
                number = None
            totp = locked.totp()
            verified = number is not None and totp.verify(
                number, locked.tolerance, locked.last_t + 1
            )
            if verified:
                locked.last_t = totp.t()
                locked.throttle_reset(commit=False)
                locked.set_last_used_timestamp(commit=False)
            else:
                locked.throttle_increment(commit=False)
            locked.save(
                update_fields=[
                    "last_t",
                    "throttling_failure_count",
                    "throttling_failure_timestamp",
                    "last_used_at",
                ]
            )
        for name in ("last_t", "throttling_failure_count", "throttling_failure_timestamp"):
            setattr(self, name, getattr(locked, name))
        return verified

    def get_throttle_factor(self):
        return 1

    @property
    def config_url(self):
        issuer = settings.OTP_ISSUER
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode(
            {
                "secret": b32encode(self.bin_key).decode(),
                "digits": self.digits,
                "period": self.step,
                "issuer": issuer,
            }
        )
        return f"otpauth://totp/{label}?{params}"

    @property
    def secret_for_typing(self):
        secret = b32encode(self.bin_key).decode()
        return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def hash_code(code):
    normalised = code.replace(" ", "").replace("-", "").lower()
    return hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """Ten single-use codes for a lost phone; only their hashes are stored."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def regenerate(self):
        """Replace every code; return the new ones, to be shown once."""
        codes = [
            "-".join(secrets.token_hex(2) for _part in range(2)) for _index in range(RECOVERY_CODES)
        ]
        with transaction.atomic():
            self.codes.all().delete()
            RecoveryCode.objects.bulk_create(
                [RecoveryCode(device=self, code_hash=hash_code(code)) for code in codes]
            )
        return codes

    def verify_token(self, token):
        with transaction.atomic():
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            allowed, _details = locked.verify_is_allowed()
            if not allowed:
                return False
            code = (
                locked.codes.select_for_update()
                .filter(code_hash=hash_code(str(token)), used_at__isnull=True)
                .first()
            )
            if code is not None:
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                locked.throttle_reset(commit=False)
            else:
                locked.throttle_increment(commit=False)
            locked.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
        return code is not None

    def get_throttle_factor(self):
        return 1

    def remaining(self):
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self):
        return f"{self.device_id}: {'used' if self.used_at else 'unused'}"


def start_two_factor(user):
    """The person's unconfirmed authenticator, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def confirm_two_factor(device, *, code):
    """Confirm an authenticator with its first code; return fresh recovery codes, or
    None when the code is wrong. Side effects: any older authenticator of the person
    is removed; their recovery codes are replaced."""
    if not device.verify_token(code):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # New recovery codes on a new device: a session verified by an old one is not
        # carried over.
        RecoveryCodeDevice.objects.filter(user=device.user).delete()
        recovery = RecoveryCodeDevice.objects.create(
            user=device.user, name="recovery", confirmed=True
        )
        return recovery.regenerate()
