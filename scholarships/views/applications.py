"""An applicant's own applications, and the coordinators' view of a call's applications."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_countries.fields import Country

from accounts.audit import log_action
from conferences.enums import Region

from ..answers import answer_sections
from ..enums import WITHDRAWABLE, ApplicationStatus, Gender
from ..queries import (
    APPLICATION_CARDS,
    applications_of,
    applications_visible_to,
    calls_visible_to,
    own_application,
)
from ..services import ScholarshipError, withdraw_application
from .wizard import STEP_NAMES, resume_url

PAGE_SIZE = 25


def my_applications(request):
    applications = APPLICATION_CARDS.all(applicant=request.user.pk)
    rows = [
        {
            "application": application,
            "is_draft": application.status == ApplicationStatus.DRAFT,
            "call_open": application.call.is_open(),
            "resume_url": resume_url(application),
            "completed": len((application.draft or {}).get("step_data", {})),
        }
        for application in applications
    ]
    return render(
        request, "scholarships/my_applications.html", {"rows": rows, "total_steps": len(STEP_NAMES)}
    )


def application_detail(request, public_id):
    application = own_application(request.user, public_id)
    if application is None:
        raise Http404("No such application of this person.")
    return render(
        request,
        "scholarships/application_detail.html",
        {
            "application": application,
            "answers": answer_sections(application),
            "can_withdraw": application.status in WITHDRAWABLE,
            "resume_url": resume_url(application),
            "call_open": application.call.is_open(),
        },
    )


@require_http_methods(["GET", "POST"])
def application_withdraw(request, public_id):
    application = get_object_or_404(applications_of(request.user), public_id=public_id)
    if request.method == "POST":
        try:
            withdraw_application(application, by=request.user)
        except ScholarshipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect(application)
    if application.status not in WITHDRAWABLE:
        messages.error(request, _("This application can no longer be withdrawn."))
        return redirect(application)
    return render(request, "scholarships/application_withdraw.html", {"application": application})


@never_cache
def application_letter(request, public_id):
    """The support letter, to its author and to coordinators only, as a download."""
    application = (
        applications_of(request.user).filter(public_id=public_id).first()
        or applications_visible_to(request.user).filter(public_id=public_id).first()
    )
    if application is None or not application.support_letter:
        raise Http404
    log_action(actor=request.user, action="application.letter_downloaded", obj=application)
    letter = application.support_letter
    extension = letter.name.rsplit(".", 1)[-1]
    response = FileResponse(
        letter.open("rb"), as_attachment=True, filename=f"support-letter.{extension}"
    )
    return response


@permission_required("scholarships.manage_calls", raise_exception=True)
def call_applications(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    applications = applications_visible_to(request.user).filter(call=call)
    filters = {
        "status": (request.GET.get("status", ""), ApplicationStatus),
        "region": (request.GET.get("region", ""), Region),
        "gender": (request.GET.get("gender", ""), Gender),
    }
    for field, (value, choices) in filters.items():
        if value in choices.values:
            applications = applications.filter(**{field: value})
    page = Paginator(applications.order_by("-submitted_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "scholarships/call_applications.html",
        {
            "call": call,
            "page": page,
            "filters": [
                {
                    "name": field,
                    "label": label,
                    "choices": [
                        choice for choice in choices.choices if choice[0] != ApplicationStatus.DRAFT
                    ],
                    "value": value,
                }
                for (field, (value, choices)), label in zip(
                    filters.items(), [_("Status"), _("Region"), _("Gender")], strict=True
                )
            ],
        },
    )


@permission_required("scholarships.manage_calls", raise_exception=True)
def application_manage_detail(request, public_id):
    application = get_object_or_404(applications_visible_to(request.user), public_id=public_id)
    log_action(actor=request.user, action="application.viewed", obj=application)
    traveller = getattr(application, "traveller", None)
    if traveller is not None:
        log_action(actor=request.user, action="traveller.viewed", obj=application)
    return render(
        request,
        "scholarships/application_manage_detail.html",
        {
            "application": application,
            "answers": answer_sections(application),
            "decision": getattr(application, "decision", None),
            "traveller": traveller,
            "nationality": Country(traveller.nationality).name if traveller else "",
        },
    )
