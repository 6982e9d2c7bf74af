"""The review panel: assignment by the rules, anonymous reading, scoring, the reveal rule."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from scholarships.enums import ReviewStatus
from scholarships.models import ReviewAssignment, weighted_total
from scholarships.services import ScholarshipError, assign_reviewers, declare_conflict, save_review
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    PanelMemberFactory,
    ReviewAssignmentFactory,
    UserFactory,
)
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def review_url(assignment):
    return reverse("scholarships:review-detail", kwargs={"public_id": assignment.public_id})


def test_weighted_total_on_a_worked_example():
    call = CallFactory()
    relevance = CriterionFactory(call=call, weight=2, scale=5)
    voice = CriterionFactory(call=call, weight=1, scale=3)

    # relevance 5/5 → 10 (weight 2), voice 2/3 → 5 (weight 1): (20 + 5) / 3
    assert weighted_total({str(relevance.pk): 5, str(voice.pk): 2}, [relevance, voice]) == Decimal(
        "8.33"
    )
    assert weighted_total({str(relevance.pk): 5}, [relevance, voice]) is None


def test_assignment_gives_k_reviewers_and_never_a_conflicted_or_local_one():
    call = CallFactory(reviewers_per_application=2)
    applications = [
        ApplicationFactory(
            call=call, language="en", country_of_residence="SN", organisation_name="Org A"
        )
        for _ in range(6)
    ]
    coordinator = UserFactory(coordinator=True)
    conflicted = PanelMemberFactory(call=call, reviewer__country="KE", organisation="Org B")
    conflicted.conflicts.create(application=applications[0])
    local = PanelMemberFactory(call=call, reviewer__country="SN", organisation="Org C")
    same_org = PanelMemberFactory(call=call, reviewer__country="UG", organisation="org a")
    french_only = PanelMemberFactory(call=call, reviewer__country="FR", languages=["fr"])
    PanelMemberFactory(call=call, reviewer__country="TH", organisation="Org D")
    PanelMemberFactory(call=call, reviewer__country="AR", organisation="Org E")

    created = assign_reviewers(call, by=coordinator)

    pairs = set(ReviewAssignment.objects.values_list("application_id", "member_id"))
    assert created == len(pairs) == 12
    assert (applications[0].pk, conflicted.pk) not in pairs
    assert not {local.pk, same_org.pk, french_only.pk} & {member for _a, member in pairs}
    assert assign_reviewers(call, by=coordinator) == 0  # nothing new the second time


def test_too_small_a_panel_is_said_plainly():
    call = CallFactory(reviewers_per_application=2)
    ApplicationFactory(call=call, language="ru")
    PanelMemberFactory(call=call, languages=["ru"])

    with pytest.raises(ScholarshipError, match="cannot get 2 reviewers"):
        assign_reviewers(call, by=UserFactory(coordinator=True))
    assert ReviewAssignment.objects.count() == 0


def test_a_reviewer_reads_only_their_own_assignments(client):
    mine = ReviewAssignmentFactory()
    someone_elses = ReviewAssignmentFactory()
    sign_in(client, mine.member.reviewer)

    queue = client.get(reverse("scholarships:review-queue"))
    assert list(queue.context["page"]) == [mine]
    assert client.get(review_url(mine)).status_code == 200
    assert client.get(review_url(someone_elses)).status_code == 404
    assert client.post(review_url(someone_elses), {"save": "1"}).status_code == 404


def test_a_reviewer_never_reads_their_own_application(client):
    reviewer = UserFactory(reviewer=True)
    assignment = ReviewAssignmentFactory(application__applicant=reviewer, member__reviewer=reviewer)
    sign_in(client, reviewer)

    assert client.get(review_url(assignment)).status_code == 404


def test_a_declared_conflict_removes_the_application_from_the_queue(client):
    assignment = ReviewAssignmentFactory()
    declare_conflict(assignment.member, assignment.application, by=assignment.member.reviewer)
    sign_in(client, assignment.member.reviewer)

    assert not ReviewAssignment.objects.exists()
    assert client.get(review_url(assignment)).status_code == 404


SENTINELS = [
    "Sentinel Display Name",
    "sentinel@example.org",
    "Sentinel Organisation",
    "sentinel-letter",
    "Sentinel access needs",
    "Sentinel self-description",
]


def test_the_reviewer_sees_no_name_email_organisation_or_letter(client):
    applicant = UserFactory(display_name=SENTINELS[0], email=SENTINELS[1])
    assignment = ReviewAssignmentFactory(
        application__applicant=applicant,
        application__organisation_name=SENTINELS[2],
        application__access_needs=SENTINELS[4],
        application__gender_self_description=SENTINELS[5],
    )
    assignment.application.support_letter.save(
        f"{SENTINELS[3]}.pdf", ContentFile(b"%PDF-1.4\n%%EOF")
    )
    CriterionFactory(call=assignment.application.call)
    sign_in(client, assignment.member.reviewer)

    pages = [
        client.get(review_url(assignment)),
        client.post(review_url(assignment), {"submit": "1"}, follow=True),  # an error page
        client.get(reverse("scholarships:review-queue")),
    ]

    for page in pages:
        text = page.content.decode()
        assert not [sentinel for sentinel in SENTINELS if sentinel in text]
    assert "Senegal" in pages[0].content.decode()  # the answers themselves are there
    assert "Peer educator" not in pages[0].content.decode()  # a role can point at one person


def score_data(criteria, value, **extra):
    return {f"c{c.pk}": str(value) for c in criteria} | extra


def test_draft_then_submit_then_final(client):
    assignment = ReviewAssignmentFactory()
    criteria = CriterionFactory.create_batch(2, call=assignment.application.call)
    sign_in(client, assignment.member.reviewer)

    client.post(review_url(assignment), score_data(criteria, 4, save="1", comment="Promising."))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.comment) == (ReviewStatus.DRAFT, "Promising.")

    refused = client.post(review_url(assignment), score_data(criteria, 4, submit="1"), follow=True)
    assert "Score every criterion and give a recommendation" in refused.content.decode()

    client.post(
        review_url(assignment), score_data(criteria, 5, submit="1", recommendation="support")
    )
    assignment.refresh_from_db()
    assert assignment.status == ReviewStatus.SUBMITTED
    assert assignment.scores == {str(c.pk): 5 for c in criteria}
    with pytest.raises(ScholarshipError):
        save_review(assignment, scores={}, comment="", recommendation="", submit=False, by=None)


def test_out_of_range_scores_are_refused(client):
    assignment = ReviewAssignmentFactory()
    criterion = CriterionFactory(call=assignment.application.call, scale=5)
    sign_in(client, assignment.member.reviewer)

    response = client.post(review_url(assignment), {f"c{criterion.pk}": "9", "save": "1"})

    assert response.status_code == 200
    assert f"c{criterion.pk}" in response.context["form"].errors
    assignment.refresh_from_db()
    assert assignment.scores == {}


def test_other_reviews_stay_hidden_until_ones_own_is_submitted(client):
    first = ReviewAssignmentFactory()
    second = ReviewAssignmentFactory(application=first.application)
    criteria = [CriterionFactory(call=first.application.call)]
    save_review(
        second,
        scores={str(criteria[0].pk): 2},
        comment="OTHER-COMMENT",
        recommendation="unsure",
        submit=True,
        by=second.member.reviewer,
    )
    sign_in(client, first.member.reviewer)

    before = client.get(review_url(first)).content.decode()
    client.post(review_url(first), score_data(criteria, 5, submit="1", recommendation="support"))
    after = client.get(review_url(first)).content.decode()

    assert "OTHER-COMMENT" not in before
    assert "OTHER-COMMENT" in after
    assert second.member.reviewer.display_name not in after  # reviewers stay unnamed


def test_applicants_and_finance_cannot_open_the_review_pages(client):
    assignment = ReviewAssignmentFactory()
    for user in (assignment.application.applicant, UserFactory(finance=True)):
        sign_in(client, user)
        assert client.get(reverse("scholarships:review-queue")).status_code == 403
        assert client.get(review_url(assignment)).status_code == 403


@pytest.mark.parametrize("rows", [10, 200])
def test_the_review_queue_costs_the_same_at_any_size(client, django_assert_num_queries, rows):
    member = PanelMemberFactory()
    for application in ApplicationFactory.create_batch(rows, call=member.call):
        ReviewAssignmentFactory(application=application, member=member)
    sign_in(client, member.reviewer)
    client.get(reverse("scholarships:review-queue"))  # the session's first request writes it

    # session, user, second-factor device, the count for the pages, and one page of
    # assignments with their applications and calls
    with django_assert_num_queries(5):
        response = client.get(reverse("scholarships:review-queue"))
    assert len(response.context["page"]) == min(rows, 25)
    assert response.context["page"].paginator.count == rows


def test_a_withdrawn_application_leaves_the_queue_and_cannot_be_reviewed(client):
    assignment = ReviewAssignmentFactory()
    CriterionFactory(call=assignment.application.call)
    assignment.application.status = "withdrawn"
    assignment.application.withdrawn_at = assignment.application.submitted_at
    assignment.application.save()
    sign_in(client, assignment.member.reviewer)

    assert client.get(review_url(assignment)).status_code == 404
    with pytest.raises(ScholarshipError):
        save_review(assignment, scores={}, comment="", recommendation="", submit=False, by=None)


def test_a_conflict_declared_after_submitting_takes_the_review_out():
    first = ReviewAssignmentFactory()
    second = ReviewAssignmentFactory(application=first.application)
    criterion = CriterionFactory(call=first.application.call)
    for assignment in (first, second):
        save_review(
            assignment,
            scores={str(criterion.pk): 3},
            comment="",
            recommendation="support",
            submit=True,
            by=None,
        )

    declare_conflict(second.member, second.application, by=second.member.reviewer)

    from scholarships.queries import other_reviews

    first.refresh_from_db()
    assert list(other_reviews(first)) == []


def test_a_reviewer_is_never_assigned_their_own_application():
    call = CallFactory(reviewers_per_application=1)
    member = PanelMemberFactory(call=call, reviewer__country="TH")
    own = ApplicationFactory(call=call, applicant=member.reviewer, country_of_residence="SN")
    PanelMemberFactory(call=call, reviewer__country="AR")

    assign_reviewers(call, by=UserFactory(coordinator=True))

    assert not ReviewAssignment.objects.filter(application=own, member=member).exists()


def test_a_reviewer_declares_a_conflict_from_the_review_page(client):
    assignment = ReviewAssignmentFactory()
    other = ReviewAssignmentFactory()
    sign_in(client, assignment.member.reviewer)

    response = client.post(
        reverse("scholarships:review-conflict", kwargs={"public_id": assignment.public_id})
    )

    assert response["Location"] == reverse("scholarships:review-queue")
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert assignment.member.conflicts.filter(application=assignment.application).exists()
    # Someone else's review cannot be dropped this way.
    assert (
        client.post(
            reverse("scholarships:review-conflict", kwargs={"public_id": other.public_id})
        ).status_code
        == 404
    )
