from django.utils import timezone

from accounts.rules import is_coordinator

from .enums import ApplicationStatus, CallStatus, ReviewStatus
from .models import Application, Call, ReviewAssignment


def calls_visible_to(user):
    """Calls this person may open: published ones, and every call for coordinators."""
    calls = Call.objects.select_related("conference")
    if is_coordinator(user):
        return calls
    return calls.filter(status=CallStatus.PUBLISHED)


def open_calls(now=None):
    now = now or timezone.now()
    return Call.objects.select_related("conference").filter(
        status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now
    )


def upcoming_calls(now=None):
    now = now or timezone.now()
    return Call.objects.select_related("conference").filter(
        status=CallStatus.PUBLISHED, opens_at__gt=now
    )


def applications_of(user):
    """A person's own applications, drafts included."""
    return Application.objects.filter(applicant=user).select_related("call__conference")


def applications_visible_to(user):
    """Applications staff may open: coordinators see every submitted one, never drafts."""
    if is_coordinator(user):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT).select_related(
            "call__conference", "applicant"
        )
    return Application.objects.none()


def call_with_questions(queryset=None):
    return (
        (queryset or Call.objects)
        .select_related("conference")
        .prefetch_related("eligibility_questions", "motivation_questions")
    )


def assignments_of(user):
    """The reviews a person is to write: never for their own application, nor for one
    they declared a conflict with."""
    return (
        ReviewAssignment.objects.filter(member__reviewer=user)
        .exclude(application__applicant=user)
        .exclude(application__conflicts__member__reviewer=user)
        .select_related("application__call__conference", "member")
    )


def other_reviews(assignment):
    """The other submitted reviews of the same application, once this one is submitted."""
    if not assignment.is_submitted:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(
            application=assignment.application, status=ReviewStatus.SUBMITTED
        )
        .exclude(pk=assignment.pk)
        .order_by("submitted_at")
    )
