"""Model fields whose values are encrypted at rest with Fernet keys from the environment.

Keys: `FIELD_ENCRYPTION_KEYS`, a comma-separated list, newest first. Values are
encrypted with the newest and read with any of them (MultiFernet), so a new key can
be added in front and the rows rotated (`manage.py rotate_encryption_keys`) before
the old key is dropped. A value that no key opens raises `DecryptionError`: a field
never returns ciphertext as if it were the value.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """No configured key opens this value: the key is wrong or missing."""


@cache
def _fernet(keys):
    if not keys:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS to encrypt sensitive fields.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text):
    return fernet().encrypt(text.encode()).decode()


def decrypt(token):
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("No configured key opens this encrypted value.") from error


def rotate(token):
    """The same value, encrypted again with the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("No configured key opens this encrypted value.") from error


class EncryptedTextField(models.TextField):
    """Text stored encrypted; empty text is stored as empty (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

    def value_to_string(self, obj):
        # dumpdata shows the ciphertext, never the value.
        return self.get_prep_value(self.value_from_object(obj))

    def get_lookup(self, lookup_name):
        # Ciphertext differs every time: only "is it empty" can be asked of the database.
        if lookup_name not in ("exact", "isnull"):
            return None
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.TextField):
    """A JSON value (dict or list) stored encrypted as one token."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.get_default()
        return json.loads(decrypt(value))

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else self.get_default()
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        # dumpdata shows the ciphertext, never the value.
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        return None
