import hashlib
import json
from collections import Counter

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.rules import is_coordinator
from config.compiled import CompiledQuery, keep_prefetched

from .enums import ApplicationStatus, CallStatus, Outcome, Reply, ReviewStatus
from .models import (
    Application,
    Call,
    Conflict,
    Criterion,
    EligibilityQuestion,
    MotivationQuestion,
    PanelMember,
    ReviewAssignment,
    weighted_total,
)


def published_calls():
    return Call.objects.select_related("conference").filter(status=CallStatus.PUBLISHED)


def calls_visible_to(user):
    """Calls this person may open: published ones, and every call for coordinators."""
    if is_coordinator(user):
        return Call.objects.select_related("conference")
    return published_calls()


# A call's page and its eligibility questions read the call this way: compiled once.
PUBLISHED_CALL = CompiledQuery(
    lambda slug: published_calls().filter(slug=slug), slug=Call._meta.get_field("slug")
)


# A call's questions, as the eligibility page and the wizard's steps read them.
QUESTIONS = {
    name: CompiledQuery(
        lambda call, model=model: model.objects.filter(call=call),
        call=model._meta.get_field("call"),
    )
    for name, model in (
        ("eligibility_questions", EligibilityQuestion),
        ("motivation_questions", MotivationQuestion),
    )
}


def load_questions(call, *names):
    """`prefetch_related_objects([call], *names)` for the call's questions, compiled once:
    `call.eligibility_questions.all()` (or `motivation_questions`) then asks nothing."""
    for name in names:
        keep_prefetched(call, name, QUESTIONS[name].all(call=call.pk))


def visible_call(user, slug):
    """`calls_visible_to(user).get(slug=slug)`, or None."""
    if is_coordinator(user):
        return calls_visible_to(user).filter(slug=slug).first()
    return PUBLISHED_CALL.first(slug=slug)


def open_calls(now=None):
    now = now or timezone.now()
    return published_calls().filter(opens_at__lte=now, closes_at__gt=now)


def upcoming_calls(now=None):
    return published_calls().filter(opens_at__gt=now or timezone.now())


def applications_of(user):
    """A person's own applications, drafts included."""
    return Application.objects.filter(applicant=user).select_related("call__conference", "decision")


def application_cards_of(applicant):
    """A person's own applications, newest first, with only what "My applications" shows
    of each: not every encrypted answer (the draft is read for its steps saved). The
    fields are those the page, `status_for_applicant`, `Decision.awaits_reply`,
    `Call.is_open` and the wizard's `resume_url` read; another one read there would cost a
    query per card."""
    return (
        applications_of(applicant)
        .select_related(None)
        .select_related("call", "decision")
        .only(
            "public_id",
            "status",
            "created_at",
            "submitted_at",
            "draft",
            "call__title",
            "call__status",
            "call__opens_at",
            "call__closes_at",
            "decision__outcome",
            "decision__released_at",
            "decision__reply",
            "decision__reply_by",
            "decision__offered_from_waitlist_at",
        )
        .order_by("-created_at")
    )


def drafts_of(user):
    """A person's own applications as the wizard reads them: the draft and the call's
    dates and texts, and nothing else (the answers and letters are written into their
    columns on submission, which reads the row again under a lock); every column more
    costs each step in compiling, reading and decrypting."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("call")
        .only(
            "public_id",
            "applicant_id",
            "status",
            "draft",
            "support_letter",
            "call__slug",
            "call__title",
            "call__status",
            "call__opens_at",
            "call__closes_at",
            "call__support_offered",
        )
    )


APPLICANT, PUBLIC_ID = (Application._meta.get_field(name) for name in ("applicant", "public_id"))


def compiled_draft(*, lock):
    def build(applicant, public_id):
        drafts = drafts_of(applicant)
        if lock:
            drafts = drafts.select_for_update(of=("self",))
        return drafts.filter(public_id=public_id)

    return CompiledQuery(build, applicant=APPLICANT, public_id=PUBLIC_ID)


# What every applicant's page reads, compiled once: each wizard step its application (a
# POST under a lock), the eligibility questions an application already begun, "My
# applications" the cards, an application's page the application.
DRAFT, LOCKED_DRAFT = compiled_draft(lock=False), compiled_draft(lock=True)
DRAFT_FOR_CALL = CompiledQuery(
    lambda applicant, call: drafts_of(applicant).filter(call=call)[:1],
    applicant=APPLICANT,
    call=Application._meta.get_field("call"),
)
APPLICATION_CARDS = CompiledQuery(application_cards_of, applicant=APPLICANT)
OWN_APPLICATION = CompiledQuery(
    lambda applicant, public_id: applications_of(applicant).filter(public_id=public_id),
    applicant=APPLICANT,
    public_id=PUBLIC_ID,
)


def draft_of(user, public_id, *, lock=False):
    """`drafts_of(user).get(public_id=public_id)`, or None; `lock` reads it with
    `select_for_update`, inside the caller's transaction."""
    return (LOCKED_DRAFT if lock else DRAFT).first(applicant=user.pk, public_id=public_id)


def own_application(user, public_id):
    """`applications_of(user).get(public_id=public_id)`, or None."""
    return OWN_APPLICATION.first(applicant=user.pk, public_id=public_id)


def draft_for_call(user, call):
    """The person's application to `call` (one a call at most), or None."""
    return DRAFT_FOR_CALL.first(applicant=user.pk, call=call.pk)


def applications_visible_to(user):
    """Applications staff may open: coordinators see every submitted one, never drafts."""
    if is_coordinator(user):
        return Application.objects.exclude(status=ApplicationStatus.DRAFT).select_related(
            "call__conference", "applicant"
        )
    return Application.objects.none()


# Applications that no reviewer reads and no ranking counts.
NOT_REVIEWED = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


def assignments_of(user):
    """The reviews a person is to write: never for their own application, nor for one
    they declared a conflict with."""
    return (
        ReviewAssignment.objects.filter(member__reviewer=user)
        .exclude(application__status__in=NOT_REVIEWED)
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
        .exclude(application__conflicts__member=F("member"))
        .order_by("submitted_at")
    )


def accepted_award(prefix=""):
    """`Decision.is_accepted` as a filter on applications, `prefix` away from them
    ("applications__" from a user): released, accepted and still awarded."""
    return Q(
        **{
            f"{prefix}status": ApplicationStatus.AWARDED,
            f"{prefix}decision__outcome": Outcome.AWARD,
            f"{prefix}decision__released_at__isnull": False,
            f"{prefix}decision__reply": Reply.ACCEPTED,
        }
    )


def applications_in_the_running(call):
    """The call's applications that were sent and not withdrawn, as plain rows."""
    return list(
        Application.objects.filter(call=call)
        .exclude(status__in=NOT_REVIEWED)
        .values("pk", "public_id", "region", "gender", "status")
    )


def ranking_state(call):
    """A fingerprint of everything the ranking reads, in one query whose cost hardly
    grows with the call: index lookups (one per panel member) and small counts.

    Every change that can move the ranking changes it:
    - a review submitted: the latest submission of its reviewer (one index probe per
      panel member; a submitted review never changes, and leaves only with a conflict
      or with its reviewer, counted below). Submissions are stamped by the app servers'
      clocks, which the call's deadline already needs synchronised;
    - a panel member added or removed (their count and the newest);
    - an application's status or answers: every change saves `updated_at` (the latest,
      by index). Ranked applications are never deleted: anonymisation keeps the row,
      only drafts go, and the admin deletes none;
    - a conflict declared (the count; its review leaves too);
    - a criterion added, removed or re-weighted; the number of awards.
    """

    def summary(queryset, *aggregates):
        """One pass over a table: its aggregates joined into one text."""
        parts = []
        for aggregate in aggregates:
            parts += [Cast(aggregate, TextField()), Value("|")]
        return Subquery(
            queryset.order_by()
            .values("call_key")
            .annotate(summary=Concat(*parts, output_field=TextField()))
            .values("summary")
        )

    latest_submitted = (
        ReviewAssignment.objects.filter(member=OuterRef("pk"), submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    panel = PanelMember.objects.filter(call=call).annotate(
        call_key=F("call"), latest_submitted=Subquery(latest_submitted)
    )
    latest_application_change = (
        Application.objects.filter(call=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    conflicts = Conflict.objects.filter(application__call=call).annotate(
        call_key=F("application__call")
    )
    criteria = Criterion.objects.filter(call=call).annotate(call_key=F("call"))
    return tuple(
        Call.objects.filter(pk=call.pk)
        .annotate(
            state_reviews=summary(panel, Count("pk"), Max("pk"), Max("latest_submitted")),
            state_applications=Subquery(latest_application_change),
            state_conflicts=summary(conflicts, Count("pk")),
            state_criteria=summary(criteria, Count("pk"), Sum("weight"), Sum("scale")),
        )
        .values_list(
            "number_of_awards",
            "state_reviews",
            "state_applications",
            "state_conflicts",
            "state_criteria",
        )
        .get()
    )


RANKING_CACHE_SECONDS = 3600


def ranking_for_call(call, *, key=None):
    """Every reviewed application of the call with its raw mean, number of reviews,
    calibrated score (the additive bias model) and flags, best first.

    Kept in the cache under the fingerprint of what it reads (`ranking_state`): one
    query when nothing changed, whichever process asks, and never a stale ranking.
    Otherwise three more queries whatever the size: criteria, submitted reviews and
    applications; the arithmetic is done in Python (calibration.py). Also returns the
    funding line and the flags on reviewers (panel member id → reasons).
    """
    key = key or ranking_key(call)
    ranking = cache.get(key)
    if ranking is None:
        ranking = compute_ranking(call)
        cache.set(key, ranking, RANKING_CACHE_SECONDS)
    return ranking


def ranking_key(call):
    """The cache key of the call's ranking as it stands: one query."""
    state = hashlib.sha256(repr(ranking_state(call)).encode()).hexdigest()
    return f"ranking:{call.pk}:{state}"


def from_ranking(call, view, build):
    """`build(ranking)`, cached beside the call's ranking under the same fingerprint.

    Pages show a slice or a summary of the ranking (50 rows of 10,000, counts by
    region): they read back what they show, not every row, so they cost the same at
    any size. `view` names what is built, with everything it depends on besides the
    ranking (a page's filters and number). One query when nothing changed.
    """
    key = ranking_key(call)
    view_key = f"{key}:{hashlib.sha256(repr(view).encode()).hexdigest()[:32]}"
    built = cache.get(view_key)
    if built is None:
        built = build(ranking_for_call(call, key=key))
        cache.set(view_key, built, RANKING_CACHE_SECONDS)
    return built


def compute_ranking(call):
    from .calibration import (
        Review,
        disagreement_flags,
        fit_bias_model,
        raw_means,
        reviewer_flags,
    )

    criteria = list(call.criteria.all())
    # The scores come as text, each distinct text parsed and weighted once: a rubric of a
    # few criteria on a 5-point scale has a few hundred distinct sets of scores at most,
    # where a large call has tens of thousands of reviews.
    totals = {}
    rows = (
        ReviewAssignment.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
        .exclude(application__status__in=NOT_REVIEWED)
        .exclude(application__conflicts__member=F("member"))
        # In the order applications came in (ties in the ranking keep it), without the
        # join to sort on the application's own ordering.
        .order_by("application_id", "pk")
        .values_list("application_id", "member_id", Cast("scores", TextField()))
    )
    for _application, _member, text in rows:
        if text not in totals:
            total = weighted_total(json.loads(text), criteria)
            totals[text] = None if total is None else float(total)
    reviews = [
        Review(str(application_id), str(member_id), totals[text])
        for application_id, member_id, text in rows
        if totals[text] is not None
    ]
    model = fit_bias_model(reviews)
    calibrated = model.calibrated()
    means = raw_means(reviews)
    counts = Counter(review.application for review in reviews)
    order = sorted(calibrated, key=lambda key: -calibrated[key])
    line_index = min(call.number_of_awards, len(order)) - 1
    funding_line = calibrated[order[line_index]] if order else 0.0
    flags = disagreement_flags(reviews, model, funding_line)
    applications = {str(row["pk"]): row for row in applications_in_the_running(call)}
    rows = []
    for rank, key in enumerate(order, start=1):
        application = applications.get(key)
        if application is None:
            continue
        rows.append(
            {
                "rank": rank,
                "reference": str(application["public_id"])[:8],
                "public_id": application["public_id"],
                "region": application["region"],
                "gender": application["gender"],
                "status": application["status"],
                "reviews": counts[key],
                "raw_mean": round(means[key], 2),
                "calibrated": round(calibrated[key], 2),
                "flags": flags.get(key, []),
                "funded": rank <= call.number_of_awards,
            }
        )
    return rows, funding_line, reviewer_flags(reviews, model)
