"""Balance and the proposed selection: what the panel's scores and the policy give."""

import math
from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conferences.enums import Region

from ..enums import ApplicationStatus, Gender
from ..models import Application
from ..queries import NOT_REVIEWED, calls_visible_to, from_ranking
from ..selection import FIXED, MERIT, THRESHOLD
from ..services import REVIEWABLE, pin_application, propose_selection

OBJECTIVES = {MERIT, FIXED, THRESHOLD}
CANDIDATES_SHOWN = 60  # the best-ranked, where pins matter
RULES = {
    "budget": gettext_lazy("the budget"),
    "awards": gettext_lazy("the number of awards"),
    "regions": gettext_lazy("the regional targets"),
    "genders": gettext_lazy("the gender targets"),
    "flags": gettext_lazy("the share of first-time attendees"),
    "pins": gettext_lazy("the pins"),
}


def share(part, whole):
    return round(100 * part / whole) if whole else 0


def conflict_text(conflict):
    """One conflict of an infeasible policy, in words."""
    family = conflict["family"]
    if "needs" in conflict and family == "regions":
        return _(
            "%(region)s needs %(needs)s award(s), but only %(has)s reviewed applicant(s) are there."
        ) % {
            "region": Region(conflict["group"]).label,
            "needs": conflict["needs"],
            "has": conflict["has"],
        }
    if "needs" in conflict and conflict["group"] == "budget":
        return _("The people pinned in cost %(needs)s, more than the budget of %(has)s.") % conflict
    if "needs" in conflict:
        return _("%(needs)s people are pinned in, more than the %(has)s awards.") % conflict
    return _("Without %(rule)s a selection would be possible.") % {"rule": RULES[family]}


def balance_rows(groups, chosen, field, choices, targets, total):
    """Per group (a region or a gender category): applicants, proposed and awarded
    against its target, and the warnings in words where the proposal misses it.
    `groups` are counts from the database (see `balance_counts`), `chosen` the people
    proposed counted by group; `total` is the number of people proposed."""
    applicants, awarded = Counter(), Counter()
    for group in groups:
        applicants[group[field]] += group["applicants"]
        if group["status"] == ApplicationStatus.AWARDED:
            awarded[group[field]] += group["applicants"]
    rows, warnings = [], []
    for value, label in choices:
        target, got = targets.get(value), chosen[value]
        rows.append(
            {
                "label": label,
                "applicants": applicants[value],
                "proposed": got,
                "proposed_share": share(got, total),
                "awarded": awarded[value],
                "target": target,
            }
        )
        if target is None or not total:
            continue
        if got / total < float(target.min_share) or got < getattr(target, "min_count", 0):
            warnings.append(_("%(group)s is below its target.") % {"group": label})
        largest = getattr(target, "max_share", None)
        if largest is not None and got / total > float(largest):
            warnings.append(_("%(group)s is above its largest share.") % {"group": label})
    return rows, warnings


def balance_counts(call):
    """Applications in the running counted by region, gender and status in the
    database: a few dozen rows whatever the size of the call."""
    return list(
        Application.objects.filter(call=call)
        .exclude(status__in=NOT_REVIEWED)
        .values("region", "gender", "status")
        .annotate(applicants=Count("pk"))
        .order_by()
    )


def proposal_summary(call, ranking, proposed):
    """The applications in the running and the proposed people counted by region and by
    gender, and the best-ranked candidates: what the selection page shows of the
    ranking. (The counts change only with the applications, which the ranking's
    fingerprint follows.)"""
    rows, _line, _flags = ranking
    # Only reviewed applications are proposed: their region and gender are in the ranking.
    chosen = [row for row in rows if str(row["public_id"]) in proposed]
    return {
        "groups": balance_counts(call),
        "regions": Counter(row["region"] for row in chosen),
        "genders": Counter(row["gender"] for row in chosen),
        "candidates": rows[:CANDIDATES_SHOWN],
    }


@permission_required("scholarships.manage_calls", raise_exception=True)
def call_selection(request, slug):
    call = get_object_or_404(
        calls_visible_to(request.user).select_related("balance_policy"), slug=slug
    )
    policy = getattr(call, "balance_policy", None)
    run = call.selection_runs.first()
    proposed = set(run.chosen) if run and run.has_selection else set()
    shown = from_ranking(
        call,
        ("selection", tuple(sorted(proposed))),
        lambda ranking: proposal_summary(call, ranking, proposed),
    )
    region_targets = {t.region: t for t in policy.region_targets.all()} if policy else {}
    gender_targets = {t.gender: t for t in policy.gender_targets.all()} if policy else {}
    region_rows, region_warnings = balance_rows(
        shown["groups"], shown["regions"], "region", Region.choices, region_targets, len(proposed)
    )
    gender_rows, gender_warnings = balance_rows(
        shown["groups"], shown["genders"], "gender", Gender.choices, gender_targets, len(proposed)
    )
    warnings = region_warnings + gender_warnings
    pinned_in = set(policy.pinned_in) if policy else set()
    pinned_out = set(policy.pinned_out) if policy else set()
    candidates = [
        {
            **row,
            "key": str(row["public_id"]),
            "proposed": str(row["public_id"]) in proposed,
            "pin": "in"
            if str(row["public_id"]) in pinned_in
            else "out"
            if str(row["public_id"]) in pinned_out
            else "",
            "region_label": Region(row["region"]).label if row["region"] else "—",
            "gender_label": Gender(row["gender"]).label if row["gender"] else "—",
        }
        for row in shown["candidates"]
    ]
    changes = {}
    if run and proposed:
        greedy = set(run.greedy)
        changes = {"added": len(proposed - greedy), "left_out": len(greedy - proposed)}
    return render(
        request,
        "scholarships/call_selection.html",
        {
            "call": call,
            "policy": policy,
            "run": run,
            "region_rows": region_rows,
            "gender_rows": gender_rows,
            "warnings": warnings,
            "changes": changes,
            "conflicts": [conflict_text(c) for c in run.conflicts] if run else [],
            "greedy_breaks": ", ".join(str(RULES[f]) for f in run.greedy_breaks) if run else "",
            "prices": [(RULES[family], price) for family, price in run.price_of_balance.items()]
            if run
            else [],
            "proposed": sorted(proposed),
            "candidates": candidates,
        },
    )


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_selection_run(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    objective = request.POST.get("objective", MERIT)
    try:
        fixed = int(request.POST.get("fixed_awards") or call.number_of_awards)
        threshold = float(request.POST.get("threshold") or 0)
    except ValueError:
        objective, fixed, threshold = None, -1, 0.0
    if (
        objective not in OBJECTIVES
        or not 0 <= fixed <= call.number_of_awards
        or not (math.isfinite(threshold) and 0 <= threshold <= 10)
    ):
        messages.error(request, _("Choose an objective, and a number of awards within the call's."))
        return redirect("scholarships:call-selection", slug=call.slug)
    fixed_awards = fixed if objective == FIXED else None
    threshold = threshold if objective == THRESHOLD else 0.0
    if call.applications.filter(status__in=REVIEWABLE).count() > settings.SELECTION_INLINE_LIMIT:
        # A large call is solved by the task worker, not in this web request.
        from ..tasks import propose_selection_task

        transaction.on_commit(
            lambda: propose_selection_task.enqueue(
                call.pk, objective, fixed_awards, threshold, request.user.pk
            )
        )
        messages.info(request, _("The proposal is being computed. Reload this page in a minute."))
        return redirect("scholarships:call-selection", slug=call.slug)
    run = propose_selection(
        call,
        objective=objective,
        by=request.user,
        fixed_awards=fixed_awards,
        threshold=threshold,
    )
    if run.status == "infeasible":
        messages.error(request, _("No selection can meet this policy: see why below."))
    else:
        messages.success(request, _("A new selection is proposed."))
    return redirect("scholarships:call-selection", slug=call.slug)


class PinForm(forms.Form):
    application = forms.UUIDField()
    how = forms.ChoiceField(choices=[("in", "in"), ("out", "out"), ("clear", "clear")])


@require_POST
@permission_required("scholarships.manage_calls", raise_exception=True)
def call_selection_pin(request, slug):
    call = get_object_or_404(calls_visible_to(request.user), slug=slug)
    form = PinForm(request.POST)
    application = (
        Application.objects.filter(call=call, public_id=form.cleaned_data["application"])
        .exclude(status__in=(ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN))
        .first()
        if form.is_valid()
        else None
    )
    if application is None:
        messages.error(request, _("Choose an application of this call from the list."))
    else:
        pin_application(
            call, application=application, how=form.cleaned_data["how"], by=request.user
        )
        messages.success(request, _("Saved. Solve again to see its effect."))
    return redirect("scholarships:call-selection", slug=call.slug)
