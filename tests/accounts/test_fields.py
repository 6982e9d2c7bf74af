"""Sensitive fields are encrypted at rest, fail closed, and survive key rotation."""

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core import serializers
from django.db import connection

from config.fields import DecryptionError, _fernet, rotate
from scholarships.models import Application
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

SENTINEL = "SENTINEL-needs-a-quiet-room-Ω"


def raw_row(application):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_needs, gender_self_description, motivation, draft "
            "FROM scholarships_application WHERE id = %s",
            [application.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def sensitive_application():
    return ApplicationFactory(
        access_needs=SENTINEL,
        gender_self_description=SENTINEL,
        motivation={"1": SENTINEL},
        draft={"step_data": {"about": {"about-access_needs": [SENTINEL]}}},
    )


def test_the_database_holds_no_plaintext(sensitive_application):
    row = raw_row(sensitive_application)

    assert all(SENTINEL not in value for value in row)
    assert all(value.startswith("gAAAAA") for value in row)  # Fernet tokens


def test_values_read_back_as_written(sensitive_application):
    application = Application.objects.get(pk=sensitive_application.pk)

    assert application.access_needs == SENTINEL
    assert application.motivation == {"1": SENTINEL}
    assert application.draft["step_data"]["about"]["about-access_needs"] == [SENTINEL]


def test_dumpdata_shows_no_plaintext(sensitive_application):
    dumped = serializers.serialize("json", Application.objects.all())

    assert SENTINEL not in dumped
    assert SENTINEL not in json.dumps(json.loads(dumped), ensure_ascii=False)


def test_empty_values_stay_empty_and_readable():
    application = ApplicationFactory(access_needs="")

    assert raw_row(application)[0] == ""
    assert Application.objects.get(pk=application.pk).access_needs == ""


def test_a_wrong_key_raises_instead_of_returning_ciphertext(sensitive_application, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(DecryptionError):
        Application.objects.get(pk=sensitive_application.pk)


def test_no_key_at_all_is_an_error(sensitive_application, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured):
        Application.objects.get(pk=sensitive_application.pk)


def test_an_old_key_still_reads_and_rotation_moves_to_the_newest(settings):
    newest, older = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [older]
    application = ApplicationFactory(access_needs=SENTINEL)
    token = raw_row(application)[0]
    settings.FIELD_ENCRYPTION_KEYS = [newest, older]

    assert Application.objects.get(pk=application.pk).access_needs == SENTINEL
    rotated = rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [newest]
    assert _fernet((newest,)).decrypt(rotated.encode()).decode() == SENTINEL
    with pytest.raises(Exception):  # noqa: B017 - the old token needs the old key
        _fernet((newest,)).decrypt(token.encode())


def test_the_rotation_command_leaves_every_row_readable_with_the_newest_key_only(settings):
    from django.core.management import call_command

    newest, older = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [older]
    application = ApplicationFactory(access_needs=SENTINEL, motivation={"1": SENTINEL})
    settings.FIELD_ENCRYPTION_KEYS = [newest, older]

    call_command("rotate_encryption_keys", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [newest]
    rotated = Application.objects.get(pk=application.pk)
    assert (rotated.access_needs, rotated.motivation) == (SENTINEL, {"1": SENTINEL})
