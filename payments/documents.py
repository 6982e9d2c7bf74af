"""What the PDF letters and sheets say, read from the models; `letters.py` draws them.

Each `<document>_pdf(...)` returns a `Document`: a neutral file name and the PDF bytes.
Letters to an awardee are in the awardee's language; sheets for staff in the language
asked for (the reader's). Nothing here writes: the views log each download.

Amounts come from an award's travel budget (`decision.budget` and its lines, from the budgets
part of payments), read only, when that relation exists and the award has one; without a
budget letters and sheets show what is known and leave amounts blank, never zero.
"""

from dataclasses import dataclass

from django.utils import timezone, translation
from django.views.decorators.debug import sensitive_variables

from scholarships.enums import Outcome, Reply, SupportKind
from scholarships.models import Application

from . import letters


class DocumentUnavailable(Exception):
    """The document cannot be made for this award (no accepted award, no travel details
    yet, or the application was anonymised: nobody left to address it to)."""


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


def is_anonymised(application):
    """After the retention period or the person's erasure: no name, no language, no one."""
    return application.applicant_id is None or application.anonymised_at is not None


def accepted_award(application):
    """The application's award if it was released and accepted (and the application not
    anonymised), else None."""
    decision = getattr(application, "decision", None)
    if is_anonymised(application) or decision is None or not decision.is_accepted:
        return None
    return decision


def traveller_of(application):
    return getattr(application, "traveller", None)


def budget_of(decision):
    """The award's travel budget, when budgets exist and this award has one."""
    return getattr(decision, "budget", None)


def amount_of(money):
    if money is None:
        return None
    return letters.Amount(money.amount, money.currency.code)


def budget_lines_by_kind(decision):
    """{kind: [line, …]} of the award's budget lines; empty without a budget."""
    budget = budget_of(decision)
    if budget is None:
        return {}
    lines = {}
    for line in budget.lines.all():
        lines.setdefault(line.kind, []).append(line)
    return lines


def one_amount(moneys):
    """The sum of `moneys` if they share one currency; None if there are none or if they
    are in several (adding those would need a dated rate, which is the budget's job)."""
    currencies = {money.currency.code for money in moneys}
    if len(currencies) != 1:
        return None
    return letters.Amount(sum(money.amount for money in moneys), currencies.pop())


def covered_kinds(application, decision):
    """What the award pays for, in the order of the kinds of support. The confirmation
    records it on the decision (a full award: what was asked); an older full award
    without it pays for what was asked."""
    covered = set(decision.covers)
    if not covered and decision.coverage != "partial":
        covered = set(application.support_requested or ())
    return [kind for kind in SupportKind if kind.value in covered]


def reference_of(application):
    return str(application.public_id)[:8].upper()


def award_letter_data(application, *, issued_on=None):
    decision = accepted_award(application)
    if decision is None:
        raise DocumentUnavailable("No accepted award.")
    language = application.applicant.preferred_language
    traveller = traveller_of(application)
    # With a budget, each line's amount in the fund's currency: they add up to its total.
    lines = budget_lines_by_kind(decision)
    with translation.override(language):
        covers = []
        for kind in covered_kinds(application, decision):
            kind_lines = lines.pop(kind.value, [])
            amount = one_amount([line.amount_in_fund for line in kind_lines])
            covers.append(letters.CoveredItem(str(kind.label), amount))
        for kind_lines in lines.values():  # lines beyond the kinds of support ("other")
            amount = one_amount([line.amount_in_fund for line in kind_lines])
            covers.append(letters.CoveredItem(str(kind_lines[0].get_kind_display()), amount))
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


@sensitive_variables("traveller", "application")
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


def awards_of_call(call, *, anonymised=False):
    """The call's awards still standing (released or not; declined and lapsed left out).
    Anonymised ones only with `anonymised`: a sheet of people has nobody left to name
    for them, while a summary of money without names keeps them, or it would not add up."""
    applications = Application.objects.filter(call=call, decision__outcome=Outcome.AWARD)
    if not anonymised:
        applications = applications.filter(applicant__isnull=False, anonymised_at__isnull=True)
    applications = (
        applications.exclude(decision__reply__in=[Reply.DECLINED, Reply.EXPIRED])
        .select_related("applicant", "traveller", "decision", "call__conference")
        .order_by("pk")
    )
    return list(
        applications.select_related("decision__budget").prefetch_related("decision__budget__lines")
    )


def per_diem_sheet_data(call, *, language, issued_on=None):
    """One row per scholar who accepted an award paying a daily allowance, by name. The
    name is the one in the passport when given (cash is handed over against an ID); the
    amount is the budget's per-diem line in its own currency, blank without a budget."""
    rows = []
    for application in awards_of_call(call):
        decision = accepted_award(application)
        if decision is None or SupportKind.PER_DIEM not in covered_kinds(application, decision):
            continue
        traveller = traveller_of(application)
        name = traveller.legal_name if traveller else application.applicant.display_name
        per_diem = budget_lines_by_kind(decision).get(SupportKind.PER_DIEM.value, [])
        amount = one_amount([line.amount for line in per_diem])
        rows.append(letters.PerDiemRow(name=name, amount=amount))
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
        for application in awards_of_call(call, anonymised=True):
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
