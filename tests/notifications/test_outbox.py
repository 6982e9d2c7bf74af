from datetime import timedelta

import pytest
import requests
import time_machine
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.enums import EmailStatus
from notifications.models import OutgoingEmail
from notifications.services import deliver_email, resend_email, sweep_outbox
from tests.factories import UserFactory, queue_reset_email

pytestmark = pytest.mark.django_db

FLAKY_BACKEND = "tests.notifications.test_outbox.FlakyBackend"


def esp_error(status, message="ESP error"):
    response = requests.Response()
    response.status_code = status
    response.reason = message
    response._content = b"{}"
    return AnymailAPIError(message, status_code=status, response=response)


class FlakyBackend(LocmemBackend):
    """An ESP that fails with the queued errors, one per send, then delivers."""

    errors = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky_esp(settings):
    settings.MAILERS = {"default": {"BACKEND": FLAKY_BACKEND}}
    FlakyBackend.errors = []
    yield FlakyBackend.errors
    FlakyBackend.errors = []


def test_email_is_rendered_in_the_recipients_language_and_sent_once(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(preferred_language="es", display_name="Kim")

    with django_capture_on_commit_callbacks(execute=True):
        email = queue_reset_email(user)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.language) == (EmailStatus.SENT, 1, "es")
    assert email.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == email.subject
    assert "\n" not in email.subject
    assert "https://portal.example/accounts/password-reset/MQ/abc-123/" in mail.outbox[0].body
    assert "Kim" in mail.outbox[0].body
    assert mail.outbox[0].track_opens is False


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_reset_email(user)
        raise RuntimeError("the surrounding change failed")

    assert OutgoingEmail.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_a_failing_esp_then_success_sends_exactly_one_email(flaky_esp):
    flaky_esp.append(esp_error(503, "Service unavailable"))
    email = queue_reset_email(UserFactory())
    moment = timezone.now()

    with time_machine.travel(moment, tick=False):
        assert deliver_email(email.pk) == EmailStatus.AWAITING_RETRY
        # Not due yet: neither a replayed task nor the sweep sends it.
        assert deliver_email(email.pk) is None
        assert sweep_outbox() == 0
    email.refresh_from_db()
    assert email.attempts == 1
    assert "Service unavailable" in email.last_error
    assert email.next_attempt_at == moment + timedelta(minutes=1)
    assert mail.outbox == []

    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        assert sweep_outbox() == 1

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1
    # A second, replayed task for the same email sends nothing more.
    assert deliver_email(email.pk) is None
    assert len(mail.outbox) == 1


def test_backoff_doubles_between_attempts(flaky_esp):
    flaky_esp.extend(esp_error(502, "down") for _ in range(3))
    email = queue_reset_email(UserFactory())
    waits = []
    moment = timezone.now()

    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            deliver_email(email.pk)
        email.refresh_from_db()
        waits.append(email.next_attempt_at - moment)
        moment = email.next_attempt_at

    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_a_refused_recipient_fails_at_once_without_retry(flaky_esp):
    flaky_esp.append(AnymailRecipientsRefused("refused"))
    email = queue_reset_email(UserFactory())

    assert deliver_email(email.pk) == EmailStatus.FAILED
    email.refresh_from_db()
    assert (email.attempts, email.next_attempt_at) == (1, None)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert sweep_outbox() == 0


def test_gives_up_after_the_set_number_of_attempts(flaky_esp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    flaky_esp.extend(esp_error(503, "down") for _ in range(5))
    email = queue_reset_email(UserFactory())
    moment = timezone.now()

    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            deliver_email(email.pk)
        moment += timedelta(hours=7)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert mail.outbox == []


def test_sweep_recovers_an_email_left_sending_by_a_dead_worker(settings):
    email = queue_reset_email(UserFactory())
    email.status = EmailStatus.SENDING
    email.attempts = 1
    email.sending_started_at = timezone.now()
    email.save()

    assert sweep_outbox() == 0  # a worker may still be sending it
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1)
    ):
        sweep_outbox()
    email.refresh_from_db()
    assert email.status == EmailStatus.AWAITING_RETRY
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert sweep_outbox() == 1

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_sweep_sends_a_queued_email_whose_task_was_lost(settings):
    email = queue_reset_email(UserFactory())  # on_commit never ran: the task is lost

    assert sweep_outbox() == 0
    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS + 1)
    ):
        assert sweep_outbox() == 1

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_resend_puts_a_failed_email_back_in_the_queue(
    flaky_esp, django_capture_on_commit_callbacks
):
    flaky_esp.append(AnymailRecipientsRefused("refused"))
    email = queue_reset_email(UserFactory())
    deliver_email(email.pk)

    with django_capture_on_commit_callbacks(execute=True):
        resend_email(email)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_the_task_carries_only_the_emails_id(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory(email="secret-person@example.org", display_name="Secret Name")

    with django_capture_on_commit_callbacks(execute=True):
        email = queue_reset_email(user)

    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [email.pk], "kwargs": {}}
    assert mail.outbox == []  # waiting for the worker
