"""Every write to the outbox: queue an email, deliver it, sweep what is due or stuck."""

import logging
from datetime import timedelta

from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import SENDABLE, EmailStatus
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def queue_email(*, to, template, context, language, user=None, attachments=()):
    """Render `emails/<template>_subject.txt` and `_body.txt` in `language` and queue them.

    `attachments` are (filename, text content, mimetype) triples, kept encrypted with
    the body until the email is sent.

    Side effects: one OutgoingEmail row; after the surrounding transaction commits,
    one send task carrying only the row's id. If the transaction rolls back, neither
    exists.
    """
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    email = OutgoingEmail.objects.create(
        recipient=to,
        user=user,
        template=template,
        language=language,
        # A subject is one line: templates end with a newline and users' data must
        # never add header lines.
        subject=" ".join(subject.split())[:200],
        body=body,
        attachments=[
            {"filename": filename, "content": content, "mimetype": mimetype}
            for filename, content, mimetype in attachments
        ],
    )
    transaction.on_commit(lambda: enqueue_delivery(email))
    return email


def enqueue_delivery(email):
    from .tasks import deliver_email_task

    deliver_email_task.enqueue(email.pk)


def backoff(attempts):
    """Wait one minute after the first failure, then twice as long each time, at most 6 h."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def is_permanent(error):
    """An error that a retry cannot fix: the address is bad or the ESP refused the message."""
    if isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return True
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        return status is not None and 400 <= status < 500 and status not in (408, 429)
    return False


def claim_for_sending(email_id):
    """Mark a sendable, due email as sending and return it; None if another run has it.

    The row is locked while it changes state and the change commits before any
    network traffic, so a duplicate or replayed task finds it "sending" or "sent"
    and does nothing: a retry never sends an email twice.
    """
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status not in SENDABLE:
            return None
        if email.next_attempt_at and email.next_attempt_at > now:
            return None
        email.status = EmailStatus.SENDING
        email.attempts += 1
        email.sending_started_at = now
        email.save(update_fields=["status", "attempts", "sending_started_at", "updated_at"])
    return email


def deliver_email(email_id):
    """Send one queued email through the configured (anymail) backend.

    Side effects: the row ends "sent", "awaiting_retry" (with the next attempt's time,
    backing off) or "failed" (a permanent error, or the last allowed attempt).
    """
    email = claim_for_sending(email_id)
    if email is None:
        return None
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
    )
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # Anymail: no open or click tracking, and no metadata that could identify anyone.
    message.track_opens = False
    message.track_clicks = False
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the ESP is recorded, not raised
        record_failure(email, error)
    else:
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.next_attempt_at = None
        email.save(
            update_fields=["status", "sent_at", "last_error", "next_attempt_at", "updated_at"]
        )
    return email.status


def record_failure(email, error):
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.status = EmailStatus.FAILED
        email.next_attempt_at = None
        logger.error("Email %s failed for good after %s attempts", email.pk, email.attempts)
    else:
        email.status = EmailStatus.AWAITING_RETRY
        email.next_attempt_at = timezone.now() + backoff(email.attempts)
        logger.warning("Email %s failed (attempt %s); will retry", email.pk, email.attempts)
    email.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])


def sweep_outbox():
    """Re-enqueue emails that are due, and recover those a dead worker left "sending".

    Run every minute (cron, systemd timer or `manage.py sweep_outbox`). The task queue
    has no retries of its own, and a killed worker leaves its task marked running: the
    outbox rows decide. Returns the number of emails enqueued.
    """
    now = timezone.now()
    stuck_before = now - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    with transaction.atomic():
        stuck = OutgoingEmail.objects.select_for_update().filter(
            status=EmailStatus.SENDING, sending_started_at__lt=stuck_before
        )
        for email in stuck:
            record_failure(email, RuntimeError("the worker stopped while sending"))
    # Queued rows older than the stuck delay lost their task (a crash between commit
    # and enqueue); retries are due when their time has come.
    due = OutgoingEmail.objects.filter(
        Q(status=EmailStatus.QUEUED, created_at__lt=stuck_before)
        | Q(status=EmailStatus.AWAITING_RETRY, next_attempt_at__lte=now)
    ).values_list("pk", flat=True)
    count = 0
    for email_id in due:
        from .tasks import deliver_email_task

        deliver_email_task.enqueue(email_id)
        count += 1
    return count


def resend_email(email):
    """Put a failed or sent email back in the queue (staff action in the admin).

    Side effects: the row becomes "queued" with its attempts reset; a send task is
    enqueued after commit.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.status == EmailStatus.SENDING:
            return email
        email.status = EmailStatus.QUEUED
        email.attempts = 0
        email.next_attempt_at = None
        email.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        transaction.on_commit(lambda: enqueue_delivery(email))
    return email
