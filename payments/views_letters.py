"""Downloads of the PDF letters and sheets.

An awardee downloads their own award letter, and their visa letter once their travel
details are given; coordinators and finance download anyone's, and a call's per-diem
sheet and budget summary. Anything else answers 404 (an application) or 403 (a call's
sheets, to people without the role). Every download is logged; every PDF leaves as an
attachment with a neutral name and is never cached.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.audit import log_action
from accounts.rules import is_coordinator, is_finance
from scholarships.models import Application, Call

from .documents import (
    DocumentUnavailable,
    award_letter_pdf,
    budget_summary_pdf,
    per_diem_sheet_pdf,
    visa_letter_pdf,
)

# Who may download any awardee's letters. A role, never the superuser
# flag (accounts' roles vocabulary); an awardee's own letters are scoped by the query.
may_download_documents = is_coordinator | is_finance


def attachment(document):
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def application_for(request, public_id):
    """The application if it is the person's own, or any one for coordinators and finance."""
    applications = Application.objects.select_related(
        "applicant", "call__conference", "decision", "traveller"
    ).filter(public_id=public_id)
    if not may_download_documents(request.user):
        applications = applications.filter(applicant=request.user)
    return get_object_or_404(applications)


def application_document(request, public_id, *, make, action):
    application = application_for(request, public_id)
    try:
        document = make(application)
    except DocumentUnavailable:
        raise Http404 from None
    log_action(actor=request.user, action=action, obj=application)
    return attachment(document)


@require_GET
@never_cache
def award_letter(request, public_id):
    return application_document(
        request, public_id, make=award_letter_pdf, action="letter.award_downloaded"
    )


@require_GET
@never_cache
def visa_letter(request, public_id):
    return application_document(
        request, public_id, make=visa_letter_pdf, action="letter.visa_downloaded"
    )


def call_document(request, slug, *, make, action):
    # A call's sheets are about money: finance pages refuse coordinators too.
    if not is_finance(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call.objects.select_related("conference"), slug=slug)
    document = make(call, language=request.user.preferred_language)
    log_action(actor=request.user, action=action, obj=call)
    return attachment(document)


@require_GET
@never_cache
def per_diem_sheet(request, slug):
    return call_document(request, slug, make=per_diem_sheet_pdf, action="per_diem_sheet.downloaded")


@require_GET
@never_cache
def budget_summary(request, slug):
    return call_document(request, slug, make=budget_summary_pdf, action="budget_summary.downloaded")
