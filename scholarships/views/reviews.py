"""The reviewer's pages: their queue, and one application to score, without identity."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..answers import answer_sections
from ..forms import ReviewForm
from ..models import weighted_total
from ..queries import assignments_of, other_reviews
from ..services import ScholarshipError, declare_conflict, save_review

# As the coordinators' list of applications: a page that a phone shows quickly (a reviewer
# of a large call has two or three hundred assignments).
QUEUE_PAGE_SIZE = 25

# What a reviewer never sees of an application: who the applicant is, and what scoring
# does not need (a self-described gender, access needs). The display name and email
# are never on these pages at all.
HIDDEN_FROM_REVIEWERS = frozenset(
    {
        "organisation_name",
        "support_letter",
        "gender_self_description",
        "access_needs",
        # In a small community these point at one person.
        "role",
        "previous_scholarships",
        "departure_city",
        "other_funding",
    }
)


@permission_required("scholarships.review", raise_exception=True)
def review_queue(request):
    # Drafts first; only what the list shows: the applications' encrypted answers are
    # not read, let alone decrypted, for a list of references.
    assignments = (
        assignments_of(request.user)
        .select_related(None)
        .select_related("application__call")
        .only(
            "public_id",
            "status",
            "created_at",
            "application__public_id",
            "application__call__title",
        )
        .order_by("status", "created_at", "pk")
    )
    page = Paginator(assignments, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "scholarships/review_queue.html", {"page": page})


@never_cache
@permission_required("scholarships.review", raise_exception=True)
def review_detail(request, public_id):
    assignment = get_object_or_404(assignments_of(request.user), public_id=public_id)
    criteria = list(assignment.application.call.criteria.all())
    initial = {f"c{key}": value for key, value in assignment.scores.items()}
    initial.update(comment=assignment.comment, recommendation=assignment.recommendation)
    form = ReviewForm(
        request.POST if request.method == "POST" else None, criteria=criteria, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_review(
                assignment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                recommendation=form.cleaned_data["recommendation"],
                submit="submit" in request.POST,
                by=request.user,
            )
        except ScholarshipError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Your review is submitted.") if "submit" in request.POST else _("Draft saved."),
            )
            return redirect("scholarships:review-detail", public_id=assignment.public_id)
    others = [
        {
            "number": number,
            "total": weighted_total(review.scores, criteria),
            "recommendation": review.get_recommendation_display(),
            "comment": review.comment,
        }
        for number, review in enumerate(other_reviews(assignment), start=1)
    ]
    return render(
        request,
        "scholarships/review_detail.html",
        {
            "assignment": assignment,
            "application": assignment.application,
            "answers": answer_sections(assignment.application, hidden=HIDDEN_FROM_REVIEWERS),
            "form": form,
            "own_total": weighted_total(assignment.scores, criteria),
            "others": others,
        },
    )


@require_POST
@permission_required("scholarships.review", raise_exception=True)
def review_conflict(request, public_id):
    """The reviewer knows who this is, or has another conflict: the review goes away."""
    assignment = get_object_or_404(assignments_of(request.user), public_id=public_id)
    declare_conflict(assignment.member, assignment.application, by=request.user)
    messages.success(request, _("Thank you. This application is no longer yours to review."))
    return redirect("scholarships:review-queue")
