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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("application status", "Under review")
    AWARDED = "awarded", pgettext_lazy("application status", "Awarded")
    WAITLISTED = "waitlisted", pgettext_lazy("application status", "Waitlisted")
    NOT_SELECTED = "not_selected", pgettext_lazy("application status", "Not selected")
    DECLINED = "declined", pgettext_lazy("application status", "Award declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")


APPLICATION_TRANSITIONS = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    # A decision may reach an application that no reviewer was assigned to yet.
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.UNDER_REVIEW,
            ApplicationStatus.AWARDED,
            ApplicationStatus.WAITLISTED,
            ApplicationStatus.NOT_SELECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.UNDER_REVIEW: frozenset(
        {
            ApplicationStatus.AWARDED,
            ApplicationStatus.WAITLISTED,
            ApplicationStatus.NOT_SELECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.WAITLISTED: frozenset(
        {ApplicationStatus.AWARDED, ApplicationStatus.NOT_SELECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.AWARDED: frozenset({ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.NOT_SELECTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

# An applicant may withdraw from these states themselves.
WITHDRAWABLE = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.WAITLISTED}
)


class Gender(models.TextChoices):
    """Gender categories used for balance. A self-description is kept apart, encrypted."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    TRANSGENDER = "transgender", _("Transgender")
    NON_BINARY = "non_binary", _("Non-binary")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefer not to say")


class YesNoUnsure(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("I am not sure")


class SpokenLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    CHINESE = "zh", _("Chinese")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    SWAHILI = "sw", _("Swahili")
    HINDI = "hi", _("Hindi")
    THAI = "th", _("Thai")
    OTHER = "other", _("Another language")


# Statuses the applicant sees only once the coordinator has released the decision emails.
DECIDED = frozenset(
    {ApplicationStatus.AWARDED, ApplicationStatus.WAITLISTED, ApplicationStatus.NOT_SELECTED}
)


class Outcome(models.TextChoices):
    AWARD = "award", pgettext_lazy("decision", "Award")
    WAITLIST = "waitlist", pgettext_lazy("decision", "Waitlist")
    REGRET = "regret", pgettext_lazy("decision", "Regret")


class Coverage(models.TextChoices):
    FULL = "full", _("Full award")
    PARTIAL = "partial", _("Partial award")


class Reply(models.TextChoices):
    PENDING = "", pgettext_lazy("reply to an award", "No reply yet")
    ACCEPTED = "accepted", pgettext_lazy("reply to an award", "Accepted")
    DECLINED = "declined", pgettext_lazy("reply to an award", "Declined")
    EXPIRED = "expired", pgettext_lazy("reply to an award", "No reply before the date")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review status", "Submitted")


class Recommendation(models.TextChoices):
    STRONGLY_SUPPORT = "strongly_support", _("Strongly support")
    SUPPORT = "support", _("Support")
    UNSURE = "unsure", _("Unsure")
    DO_NOT_SUPPORT = "do_not_support", _("Do not support")
