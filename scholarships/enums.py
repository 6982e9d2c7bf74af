from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallStatus(models.TextChoices):
    """Whether a call is public. When it takes applications is set by its opening and closing."""

    DRAFT = "draft", pgettext_lazy("call status", "Draft")
    PUBLISHED = "published", pgettext_lazy("call status", "Published")
    ARCHIVED = "archived", pgettext_lazy("call status", "Archived")


CALL_TRANSITIONS = {
    CallStatus.DRAFT: frozenset({CallStatus.PUBLISHED}),
    CallStatus.PUBLISHED: frozenset({CallStatus.DRAFT, CallStatus.ARCHIVED}),
    CallStatus.ARCHIVED: frozenset({CallStatus.PUBLISHED}),
}


class SupportKind(models.TextChoices):
    REGISTRATION = "registration", _("Conference registration")
    AIRFARE = "airfare", _("Airfare")
    ACCOMMODATION = "accommodation", _("Accommodation")
    PER_DIEM = "per_diem", _("Daily subsistence allowance (per diem)")
    VISA = "visa", _("Visa fee")
    INSURANCE = "insurance", _("Travel insurance")
    LOCAL_TRANSPORT = "local_transport", _("Local transport")


# The button that moves a call to each status.
CALL_STATUS_ACTIONS = {
    CallStatus.PUBLISHED: pgettext_lazy("call action", "Publish"),
    CallStatus.DRAFT: pgettext_lazy("call action", "Return to draft"),
    CallStatus.ARCHIVED: pgettext_lazy("call action", "Archive"),
}
