from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.fields import EncryptedJSONField, EncryptedTextField

from .enums import EmailStatus


class OutgoingEmail(models.Model):
    """One email, rendered in its recipient's language and kept until it is sent.

    The row, not the task queue, is the source of truth: a task only carries this
    row's id, and a sweep re-enqueues rows that are due or stuck.
    """

    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outgoing_emails",
    )
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    # Bodies hold names, links and, for a password reset, a key to the account.
    body = EncryptedTextField(_("body"))
    # Files sent with the email (a calendar invitation, say): [{"filename", "mimetype",
    # "content"}], text only. Encrypted like the body: they carry the same details.
    attachments = EncryptedJSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = EncryptedTextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values),
                name="outgoing_email_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient} ({self.get_status_display()})"
