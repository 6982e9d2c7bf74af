from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingFormat(models.TextChoices):
    ONLINE = "online", pgettext_lazy("meeting format", "Online")
    IN_PERSON = "in_person", pgettext_lazy("meeting format", "In person")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "Scheduled")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class Rsvp(models.TextChoices):
    """A participant's answer. Only "yes" takes a seat."""

    NONE = "none", pgettext_lazy("rsvp", "No answer yet")
    YES = "yes", pgettext_lazy("rsvp", "Yes")
    MAYBE = "maybe", pgettext_lazy("rsvp", "Maybe")
    NO = "no", pgettext_lazy("rsvp", "No")


# What a participant may answer (NONE is only where everyone starts).
ANSWERS = (Rsvp.YES, Rsvp.MAYBE, Rsvp.NO)


class GroupKind(models.TextChoices):
    """Groups of participants that a coordinator can invite at once."""

    CALL_AWARDEES = "call_awardees", _("The awardees of a call")
    REGION_AWARDEES = "region_awardees", _("One region's awardees of a call")
    REVIEWERS = "reviewers", _("The reviewers")
    STAFF = "staff", _("Staff (coordinators and finance)")
