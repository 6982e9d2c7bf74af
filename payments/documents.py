"""What the PDF letters and sheets say, read from the models; `letters.py` draws them.

Each `<document>_pdf(...)` returns a `Document`: a neutral file name and the PDF bytes.
Letters to an awardee are in the awardee's language; sheets for staff in the language
asked for (the reader's). Nothing here writes: the views log each download.

Amounts: an award's travel budget (`decision.budget`, from the budgets part of payments) is
read when that relation exists and the award has one; until then letters and sheets show
what is known and leave amounts blank, never zero.
"""

from dataclasses import dataclass

from django.utils import timezone, translation

from scholarships.enums import ApplicationStatus, Outcome, Reply, SupportKind
from scholarships.models import Application, Decision

from . import letters


class DocumentUnavailable(Exception):
    """The document cannot be made for this award yet (no accepted award, no travel details)."""


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def conference_details(conference):
    return letters.ConferenceDetails(
        name=conference.name,
        acronym=conference.acronym,
        city=conference.city,
        country=conference.country.code,
        venue=conference.venue,
        start_date=conference.start_date,
        end_date=conference.end_date,
    )


def accepted_award(application):
    """The application's award if it was released and accepted, else None."""
    decision = getattr(application, "decision", None)
    if (
        decision is None
        or decision.outcome != Outcome.AWARD
        or decision.released_at is None
        or decision.reply != Reply.ACCEPTED
        or application.status != ApplicationStatus.AWARDED
    ):
        return None
    return decision


def traveller_of(application):
    return getattr(application, "traveller", None)


def budget_of(decision):
    """The award's travel budget, when budgets exist and this award has one."""
    return getattr(decision, "budget", None)


def budgets_exist():
    return hasattr(Decision, "budget")


def amount_of(money):
    if money is None:
        return None
    return letters.Amount(money.amount, money.currency.code)


def covered_kinds(application, decision):
    """What the award pays for: a partial award what the coordinator chose, a full award
    what was asked (within what the call offers), in the call's order."""
    if decision.coverage == "partial":
        chosen = set(decision.covers)
    else:
        chosen = set(application.support_requested or ()) | set(decision.covers)
        offered = set(application.call.support_offered or ()) or chosen
        chosen &= offered
    return [kind for kind in SupportKind if kind.value in chosen]


def reference_of(application):
    return str(application.public_id)[:8].upper()


def award_letter_data(application, *, issued_on=None):
    decision = accepted_award(application)
    if decision is None:
        raise DocumentUnavailable("No accepted award.")
    language = application.applicant.preferred_language
    traveller = traveller_of(application)
    with translation.override(language):
        covers = [
            letters.CoveredItem(str(kind.label)) for kind in covered_kinds(application, decision)
        ]
        budget = budget_of(decision)
        if budget is not None:
            covers.append(
                letters.CoveredItem(
                    str(translation.gettext("Travel budget")), amount_of(budget.planned_total)
                )
            )
        call_name = application.call.public_name_in(language)
    return letters.AwardLetter(
        language=language,
        reference=reference_of(application),
        scholar_name=traveller.legal_name if traveller else application.applicant.display_name,
        call_name=call_name,
        conference=conference_details(application.call.conference),
        full_award=decision.coverage != "partial",
        covers=tuple(covers),
        issued_on=issued_on or timezone.localdate(),
    )


def visa_letter_data(application, *, issued_on=None):
    decision = accepted_award(application)
    traveller = traveller_of(application)
    if decision is None or traveller is None:
        raise DocumentUnavailable("No accepted award with travel details.")
    language = application.applicant.preferred_language
    with translation.override(language):
        covers = tuple(str(kind.label) for kind in covered_kinds(application, decision))
        call_name = application.call.public_name_in(language)
    return letters.VisaLetter(
        language=language,
        reference=reference_of(application),
        legal_name=traveller.legal_name,
        nationality=traveller.nationality,
        date_of_birth=traveller.date_of_birth,
        passport_number=traveller.passport_number,
        passport_expires_on=traveller.passport_expires_on,
        call_name=call_name,
        conference=conference_details(application.call.conference),
        covers=covers,
        issued_on=issued_on or timezone.localdate(),
    )


def awards_of_call(call):
    """The call's awards still standing (released or not; declined and lapsed left out)."""
    applications = (
        Application.objects.filter(call=call, decision__outcome=Outcome.AWARD)
        .exclude(decision__reply__in=[Reply.DECLINED, Reply.EXPIRED])
        .select_related("applicant", "traveller", "decision", "call__conference")
        .order_by("pk")
    )
    if budgets_exist():
        applications = applications.select_related("decision__budget")
    return list(applications)


def per_diem_sheet_data(call, *, language, issued_on=None):
    """One row per scholar who accepted an award paying a daily allowance, by name. The
    name is the one in the passport when given (cash is handed over against an ID)."""
    rows = []
    for application in awards_of_call(call):
        decision = accepted_award(application)
        if decision is None or SupportKind.PER_DIEM not in covered_kinds(application, decision):
            continue
        traveller = traveller_of(application)
        name = traveller.legal_name if traveller else application.applicant.display_name
        rows.append(letters.PerDiemRow(name=name, amount=None))
    rows.sort(key=lambda row: row.name.casefold())
    return letters.PerDiemSheet(
        language=language,
        call_name=call.public_name_in(language),
        conference=conference_details(call.conference),
        rows=tuple(rows),
        issued_on=issued_on or timezone.localdate(),
    )


def budget_summary_data(call, *, language, issued_on=None):
    rows = []
    with translation.override(language):
        for application in awards_of_call(call):
            budget = budget_of(application.decision)
            rows.append(
                letters.BudgetRow(
                    reference=reference_of(application),
                    region=str(application.get_region_display()),
                    budgeted=amount_of(budget.planned_total) if budget else None,
                    paid=amount_of(budget.paid_total) if budget else None,
                )
            )
    return letters.BudgetSummary(
        language=language,
        call_name=call.public_name_in(language),
        conference=conference_details(call.conference),
        rows=tuple(rows),
        issued_on=issued_on or timezone.localdate(),
        budgets_recorded=budgets_exist(),
    )


def award_letter_pdf(application):
    data = award_letter_data(application)
    return Document(f"letter-{data.reference}.pdf", letters.render_award_letter(data))


def visa_letter_pdf(application):
    data = visa_letter_data(application)
    return Document(f"invitation-{data.reference}.pdf", letters.render_visa_letter(data))


def per_diem_sheet_pdf(call, *, language):
    data = per_diem_sheet_data(call, language=language)
    return Document("acknowledgement-sheet.pdf", letters.render_per_diem_sheet(data))


def budget_summary_pdf(call, *, language):
    data = budget_summary_data(call, language=language)
    return Document("budget-summary.pdf", letters.render_budget_summary(data))
