from django.db import models
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("email status", "Queued")
    SENDING = "sending", pgettext_lazy("email status", "Sending")
    AWAITING_RETRY = "awaiting_retry", pgettext_lazy("email status", "Awaiting retry")
    SENT = "sent", pgettext_lazy("email status", "Sent")
    FAILED = "failed", pgettext_lazy("email status", "Failed")


# A send may start only from these states; everything else is finished or in flight.
SENDABLE = frozenset({EmailStatus.QUEUED, EmailStatus.AWAITING_RETRY})
