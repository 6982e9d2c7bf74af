"""Decisions: the coordinator confirms, releases and fills places; awardees reply."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from conferences.enums import Region

from ..decisions import (
    confirm_selection,
    decision_email,
    decisions_to_release,
    latest_usable_run,
    next_on_waitlist,
    offer_waitlisted_place,
    places_to_offer,
    release_decisions,
    reply_to_award,
    save_traveller_details,
)
from ..enums import ApplicationStatus, Coverage, Outcome, SupportKind
from ..forms import (
    AwardChoiceFormSet,
    ConfirmDecisionsForm,
    OfferPlaceForm,
    ReplyForm,
    TravellerForm,
)
from ..models import Application, Decision
from ..queries import applications_of, calls_visible_to, ranking_for_call
from ..services import ScholarshipError
from .selection import RULES

REPLY_DAYS = 14


def default_reply_by():
    return timezone.localdate() + datetime.timedelta(days=REPLY_DAYS)


def proposal_rows(call, run):
    """The proposed applications of `run`, best first, with what they asked for."""
    proposed = set(run.chosen)
    ranked = [row for row in ranking_for_call(call)[0] if str(row["public_id"]) in proposed]
    support = dict(
        Application.objects.filter(call=call, public_id__in=proposed).values_list(
            "public_id", "support_requested"
        )
    )
    return [
        {
            **row,
            "region_label": Region(row["region"]).label if row["region"] else "—",
            "support": support.get(row["public_id"], []),
        }
        for row in ranked
    ]


def email_previews(call):
    """One email of each kind waiting for release, rendered as its reader will get it."""
    previews = []
    waiting = decisions_to_release(call).select_related(
        "application__applicant", "application__call"
    )
    for outcome in Outcome:
        decision = (
            waiting.filter(outcome=outcome, application__applicant__isnull=False)
            .order_by("pk")
            .first()
        )
        if decision is None:
            continue
        template, context = decision_email(decision)
        with translation.override(decision.application.applicant.preferred_language):
            previews.append(
                {
                    "outcome": outcome.label,
                    # Plain text, escaped by the page (force_escape): the applicant's own
                    # words are in it, and the email templates do not escape.
                    "subject": render_to_string(f"emails/{template}_subject.txt", context),
                    "body": render_to_string(f"emails/{template}_body.txt", context),
                }
            )
    return previews


@permission_required("scholarships.manage_calls", raise_exception=True)
def call_decisions(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    decisions = Decision.objects.filter(application__call=call)
    if not decisions.exists():
        return confirm_page(request, call)
    counts = dict(decisions.order_by().values_list("outcome").annotate(n=Count("pk")))
    awards = list(
        decisions.filter(outcome=Outcome.AWARD)
        .select_related("application")
        .order_by("reply", "application__public_id")
    )
    waitlist = list(
        decisions.filter(outcome=Outcome.WAITLIST)
        .select_related("application")
        .order_by("waitlist_rank")
    )
    free = places_to_offer(call)
    suggestion, skipped = next_on_waitlist(call) if free else (None, [])
    return render(
        request,
        "scholarships/call_decisions.html",
        {
            "call": call,
            "counts": [(outcome.label, counts.get(outcome, 0)) for outcome in Outcome],
            "unreleased": decisions_to_release(call).count(),
            "previews": email_previews(call),
            "awards": awards,
            "waitlist": waitlist,
            "free": free,
            "suggestion": suggestion,
            "skipped": [
                (application, ", ".join(str(RULES[family]) for family in broken))
                for application, broken in skipped
            ],
            "offer_form": OfferPlaceForm(initial={"reply_by": default_reply_by()}),
        },
    )


def confirm_page(request, call, *, formset=None, form=None):
    run = latest_usable_run(call)
    rows = proposal_rows(call, run) if run else []
    if formset is None:
        formset = AwardChoiceFormSet(
            initial=[{"application": row["public_id"], "decision": "full"} for row in rows]
        )
    rows = [
        {**row, "form": form_}
        for row, form_ in zip(rows, formset.forms, strict=False)
        if str(form_["application"].value()) == str(row["public_id"])
    ]
    return render(
        request,
        "scholarships/call_decisions_confirm.html",
        {
            "call": call,
            "run": run,
            "rows": rows,
            "formset": formset,
            "form": form
            or ConfirmDecisionsForm(initial={"reply_by": default_reply_by(), "waitlist_size": 20}),
            "in_running": call.applications.filter(
                status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
            ).count(),
        },
        status=400 if form is not None else 200,
    )


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_decisions_confirm(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    run = latest_usable_run(call)
    if run is None or str(run.pk) != request.POST.get("run"):
        messages.error(request, _("A newer proposal exists: check it, then confirm again."))
        return redirect("scholarships:call-decisions", slug=call.slug)
    formset = AwardChoiceFormSet(request.POST)
    form = ConfirmDecisionsForm(request.POST)
    if not (formset.is_valid() and form.is_valid()):
        return confirm_page(request, call, formset=formset, form=form)
    awards = {
        str(row["application"]): (row["decision"], row["covers"])
        for row in formset.cleaned_data
        if row and row["decision"] in Coverage.values
    }
    try:
        counts = confirm_selection(
            call,
            run=run,
            awards=awards,
            waitlist_size=form.cleaned_data["waitlist_size"],
            reply_by=form.cleaned_data["reply_by"],
            by=request.user,
        )
    except ScholarshipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Confirmed: %(award)d awards, %(waitlist)d on the waitlist, %(regret)d regrets. "
                "No email has been sent yet: read them below, then release them."
            )
            % counts,
        )
    return redirect("scholarships:call-decisions", slug=call.slug)


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_decisions_release(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    sent = release_decisions(call, by=request.user)
    if sent:
        messages.success(request, _("%(count)d emails are on their way.") % {"count": sent})
    else:
        messages.info(request, _("Every decision had already been sent."))
    return redirect("scholarships:call-decisions", slug=call.slug)


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_decisions_offer(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    form = OfferPlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reply-by date after today."))
        return redirect("scholarships:call-decisions", slug=call.slug)
    application = get_object_or_404(
        Application, call=call, public_id=form.cleaned_data["application"]
    )
    try:
        offer_waitlisted_place(
            call, application=application, reply_by=form.cleaned_data["reply_by"], by=request.user
        )
    except ScholarshipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The place is offered. Release the email below to let them know.")
        )
    return redirect("scholarships:call-decisions", slug=call.slug)


def released_award(request, public_id):
    """The signed-in person's own application with a released award, or 404."""
    application = get_object_or_404(applications_of(request.user), public_id=public_id)
    decision = getattr(application, "decision", None)
    if decision is None or decision.outcome != Outcome.AWARD or decision.released_at is None:
        raise Http404
    return application, decision


@require_http_methods(["GET", "POST"])
def application_reply(request, public_id):
    application, decision = released_award(request, public_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            reply_to_award(application, accept=accept, by=request.user)
        except ScholarshipError as error:
            messages.error(request, str(error))
            return redirect(application)
        if accept:
            messages.success(
                request, _("Thank you: you accepted. Now please give the details for your travel.")
            )
            return redirect("scholarships:application-traveller", public_id=public_id)
        messages.success(request, _("You declined the scholarship. Thank you for telling us."))
        return redirect(application)
    return render(
        request,
        "scholarships/application_reply.html",
        {
            "application": application,
            "decision": decision,
            "covers": [(v, label) for v, label in SupportKind.choices if v in decision.covers],
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters(*TravellerForm.base_fields)
def application_traveller(request, public_id):
    application, decision = released_award(request, public_id)
    if not decision.is_accepted:
        raise Http404
    traveller = getattr(application, "traveller", None)
    initial = (
        {
            "legal_name": traveller.legal_name,
            "nationality": traveller.nationality,
            "date_of_birth": traveller.date_of_birth,
            "passport_number": traveller.passport_number,
            "passport_expires_on": traveller.passport_expires_on,
        }
        if traveller
        else {}
    )
    form = TravellerForm(
        request.POST or None, initial=initial, conference=application.call.conference
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_traveller_details(application, data=form.cleaned_data, by=request.user)
        except ScholarshipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved. Only the coordinators can read these details."))
        return redirect(application)
    return render(
        request,
        "scholarships/application_traveller.html",
        {"application": application, "form": form},
        status=400 if form.is_bound else 200,
    )
