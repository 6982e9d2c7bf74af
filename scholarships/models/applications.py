import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conferences.enums import Region
from config.fields import EncryptedJSONField, EncryptedTextField

from ..enums import DECIDED, ApplicationStatus, Gender, YesNoUnsure
from ..validators import validate_support_kinds
from .calls import Call


def support_letter_path(application, filename):
    # The stored name is random: the applicant's file name may say who they are.
    return f"letters/{uuid.uuid4().hex}{filename[filename.rfind('.') :] if '.' in filename else ''}"


class Application(models.Model):
    """One person's application to one call, from draft to decision.

    While a draft, the wizard's answers live in `draft` (encrypted, never in the
    session). On submission they are written to the typed fields below, which the
    coordinator filters and the panel reads. Sensitive free text is encrypted.
    """

    public_id = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    # Empty once the application is anonymised (retention, or the account erased).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    draft = EncryptedJSONField(_("draft answers"), default=dict, blank=True)
    language = models.CharField(
        _("language of the application"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    # About you
    country_of_residence = CountryField(_("country of residence"), blank=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    gender_self_description = EncryptedTextField(_("gender, in your own words"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    access_needs = EncryptedTextField(_("access needs"), blank=True)
    # Organisation and experience
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_is_sex_worker_led = models.CharField(
        _("led by its community"), max_length=10, choices=YesNoUnsure.choices, blank=True
    )
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    first_time_attendee = models.BooleanField(_("first time at this kind of event"), null=True)
    previous_scholarships = EncryptedTextField(_("previous scholarships"), blank=True)
    # Motivation: {question id: answer}
    motivation = EncryptedJSONField(_("motivation answers"), default=dict, blank=True)
    # Travel
    departure_city = models.CharField(_("departure city"), max_length=100, blank=True)
    departure_country = CountryField(_("departure country"), blank=True)
    visa_needed = models.CharField(
        _("visa needed"), max_length=10, choices=YesNoUnsure.choices, blank=True
    )
    support_requested = models.JSONField(
        _("support requested"), default=list, blank=True, validators=[validate_support_kinds]
    )
    other_funding = EncryptedTextField(_("other funding"), blank=True)
    # Documents
    support_letter = models.FileField(
        _("support letter"), upload_to=support_letter_path, blank=True
    )
    # Consent and dates
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"], name="one_application_per_applicant_per_call"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="application_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ApplicationStatus.DRAFT)
                | models.Q(submitted_at__isnull=False),
                name="application_submitted_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "region"]),
            models.Index(fields=["call", "gender"]),
            # The coordinators' list: newest first, one page at a time.
            models.Index(fields=["call", "-submitted_at", "id"], name="application_call_newest"),
            # The call's latest change, one probe (queries.ranking_state).
            models.Index(fields=["call", "updated_at"], name="application_call_updated"),
            # The finance report by region reads each awarded application's region from
            # this narrow index instead of the table's wide rows (payments.queries); a key
            # column rather than INCLUDE, which SQLite does not have.
            models.Index(fields=["id", "region"], name="application_id_region"),
        ]

    def __str__(self):
        return str(self.public_id)[:8]

    def get_absolute_url(self):
        return reverse("scholarships:application-detail", kwargs={"public_id": self.public_id})

    @property
    def is_draft(self):
        return self.status == ApplicationStatus.DRAFT

    @property
    def status_for_applicant(self):
        """The status its applicant sees: a decision stays "under review" until the
        coordinator releases its email."""
        decision = getattr(self, "decision", None)
        if self.status in DECIDED and (decision is None or decision.released_at is None):
            if decision is not None and decision.offered_from_waitlist_at is not None:
                # Told "waitlisted" already; the offer is not released yet.
                return ApplicationStatus.WAITLISTED
            return ApplicationStatus.UNDER_REVIEW
        return ApplicationStatus(self.status)
