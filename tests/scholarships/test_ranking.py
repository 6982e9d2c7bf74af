import csv
import io

import pytest
from django.urls import reverse

from scholarships.enums import ReviewStatus
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


def review(application, member, score, criterion):
    ReviewAssignmentFactory(
        application=application,
        member=member,
        status=ReviewStatus.SUBMITTED,
        submitted_at="2026-11-01T10:00Z",
        scores={str(criterion.pk): score},
        recommendation="support",
    )


@pytest.fixture
def harsh_and_lenient():
    """A harsh reviewer reads A and C, a lenient one C and B: raw means favour B."""
    call = CallFactory(number_of_awards=1)
    criterion = CriterionFactory(call=call, scale=5)
    harsh, lenient = PanelMemberFactory(call=call), PanelMemberFactory(call=call)
    a = ApplicationFactory(call=call, region="africa", gender="woman")
    b = ApplicationFactory(call=call, region="europe", gender="man")
    c = ApplicationFactory(call=call, region="europe", gender="woman")
    review(a, harsh, 4, criterion)  # the harsh reviewer's best
    review(c, harsh, 2, criterion)
    review(c, lenient, 4, criterion)
    review(b, lenient, 5, criterion)  # the lenient reviewer's best
    return call, a, b, c


def test_the_ranking_shows_raw_and_calibrated_scores(client, harsh_and_lenient):
    call, a, b, c = harsh_and_lenient
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(reverse("scholarships:call-ranking", kwargs={"slug": call.slug}))

    rows = list(response.context["page"])
    by_reference = {row["reference"]: row for row in rows}
    assert by_reference[str(b.public_id)[:8]]["raw_mean"] == 10.0
    assert by_reference[str(a.public_id)[:8]]["raw_mean"] == 7.5
    assert by_reference[str(c.public_id)[:8]]["reviews"] == 2
    assert [row["rank"] for row in rows] == [1, 2, 3]
    assert sum(row["funded"] for row in rows) == 1


def test_the_ranking_filters_by_region_and_gender(client, harsh_and_lenient):
    call, a, b, c = harsh_and_lenient
    sign_in(client, UserFactory(coordinator=True))
    url = reverse("scholarships:call-ranking", kwargs={"slug": call.slug})

    everyone = client.get(url)
    europe_women = client.get(url, {"region": "europe", "gender": "woman"})
    everyone_again = client.get(url, {"page": "7"})  # past the last page: the last one

    assert [row["reference"] for row in europe_women.context["page"]] == [str(c.public_id)[:8]]
    assert len(everyone.context["page"]) == len(everyone_again.context["page"]) == 3
    assert everyone_again.context["page"].number == 1


def test_the_csv_export_is_logged_and_has_every_row(client, harsh_and_lenient):
    call, *_applications = harsh_and_lenient
    coordinator = UserFactory(coordinator=True)
    sign_in(client, coordinator)

    response = client.get(
        reverse("scholarships:call-ranking", kwargs={"slug": call.slug}), {"format": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["rank", "reference", "region"]
    assert len(rows) == 4
    from accounts.audit import AuditEntry

    assert AuditEntry.objects.filter(actor=coordinator, action="ranking.exported").count() == 1


def test_spreadsheet_formulas_are_made_inert():
    from scholarships.views.ranking import spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe(-1.5) == -1.5
    assert spreadsheet_safe("europe") == "europe"


@pytest.mark.parametrize("rows", [10, 200])
def test_the_ranking_page_costs_the_same_at_any_size(client, django_assert_num_queries, rows):
    call = CallFactory()
    criterion = CriterionFactory(call=call)
    members = [PanelMemberFactory(call=call) for _ in range(2)]
    for application in ApplicationFactory.create_batch(rows, call=call):
        for member in members:
            review(application, member, 3, criterion)
    sign_in(client, UserFactory(coordinator=True))
    url = reverse("scholarships:call-ranking", kwargs={"slug": call.slug})
    client.get(reverse("scholarships:call-manage-list"))  # the session's last-seen write
    with django_assert_num_queries(9):
        # session, user, device, call, the ranking's fingerprint, criteria, reviews,
        # applications, panel with reviewers
        client.get(url)
    # Until something it reads changes, the ranking comes from the cache.
    with django_assert_num_queries(6):
        client.get(url)


def test_the_cached_ranking_follows_every_change_it_depends_on(harsh_and_lenient):
    from scholarships.enums import ApplicationStatus
    from scholarships.queries import ranking_for_call
    from scholarships.services import declare_conflict, save_review, withdraw_application

    call, a, b, c = harsh_and_lenient

    def ranked():
        return {str(row["public_id"]): row for row in ranking_for_call(call)[0]}

    assert ranked() == ranked()  # the second from the cache
    assert ranked()[str(c.public_id)]["reviews"] == 2

    withdraw_application(b, by=b.applicant)
    assert str(b.public_id) not in ranked()

    b.status = ApplicationStatus.SUBMITTED
    b.save()
    assert str(b.public_id) in ranked()

    harsh = call.panel.order_by("pk").first()
    declare_conflict(harsh, c, by=harsh.reviewer)
    assert ranked()[str(c.public_id)]["reviews"] == 1

    d = ApplicationFactory(call=call)
    review(d, harsh, 5, call.criteria.get())
    assert str(d.public_id) in ranked()

    # A review submitted on an application already ranked, by a reviewer with reviews.
    lenient = call.panel.order_by("pk").last()
    draft = ReviewAssignmentFactory(application=a, member=lenient)
    assert ranked()[str(a.public_id)]["reviews"] == 1
    save_review(
        draft,
        scores={str(call.criteria.get().pk): 1},
        comment="",
        recommendation="support",
        submit=True,
        by=lenient.reviewer,
    )
    assert ranked()[str(a.public_id)]["reviews"] == 2

    # A reviewer leaves the panel, and their reviews with them.
    lenient.delete()
    assert ranked()[str(a.public_id)]["reviews"] == 1
    assert str(b.public_id) not in ranked()

    # The rubric and the number of awards.
    assert ranked()[str(a.public_id)]["raw_mean"] == 7.5  # 4 on a scale of 1 to 5
    type(call.criteria.get()).objects.filter(call=call).update(scale=10)
    assert ranked()[str(a.public_id)]["raw_mean"] == 3.33  # 4 on a scale of 1 to 10
    assert sum(row["funded"] for row in ranked().values()) == 1
    type(call).objects.filter(pk=call.pk).update(number_of_awards=2)
    call.refresh_from_db()
    assert sum(row["funded"] for row in ranked().values()) == 2


def test_only_coordinators_see_the_ranking(client, harsh_and_lenient):
    call, *_rest = harsh_and_lenient
    for user in (UserFactory(), UserFactory(reviewer=True), UserFactory(finance=True)):
        sign_in(client, user)
        assert (
            client.get(reverse("scholarships:call-ranking", kwargs={"slug": call.slug})).status_code
            == 403
        )


def test_the_ranking_names_reviewers_to_look_at(client, harsh_and_lenient):
    call, *_rest = harsh_and_lenient
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(reverse("scholarships:call-ranking", kwargs={"slug": call.slug}))

    # Two reviews each: too few for a sure calibration.
    reasons = [reasons for _name, reasons in response.context["reviewer_rows"]]
    assert len(reasons) == 2
    assert all(
        "fewer than 5 reviews: calibration is unsure" in [str(r) for r in row] for row in reasons
    )


def test_sort_and_csv_links_keep_the_filters(client, harsh_and_lenient):
    call, *_rest = harsh_and_lenient
    sign_in(client, UserFactory(coordinator=True))

    page = client.get(
        reverse("scholarships:call-ranking", kwargs={"slug": call.slug}), {"region": "europe"}
    ).content.decode()

    assert "?region=europe&amp;sort=raw" in page
    assert "?region=europe&amp;format=csv" in page
