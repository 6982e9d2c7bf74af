import pytest
import time_machine
from django.urls import reverse

from scholarships.enums import CallStatus
from tests.factories import CallFactory, ConferenceFactory, UserFactory, aware
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_home_lists_open_and_upcoming_calls_but_not_draft_or_closed(client):
    CallFactory(title={"en": "Open one"})
    CallFactory(title={"en": "Soon one"}, upcoming=True)
    CallFactory(title={"en": "Draft one"}, draft=True)
    CallFactory(title={"en": "Closed one"}, closed=True)
    CallFactory(title={"en": "Archived one"}, archived=True)

    response = client.get(reverse("scholarships:call-list"))

    assert [str(call.title) for call in response.context["open_calls"]] == ["Open one"]
    assert [str(call.title) for call in response.context["upcoming_calls"]] == ["Soon one"]
    page = response.content.decode()
    assert "Draft one" not in page and "Closed one" not in page and "Archived one" not in page


@pytest.mark.parametrize("rows", [1, 20])
def test_home_page_query_count_does_not_grow_with_calls(client, django_assert_num_queries, rows):
    CallFactory.create_batch(rows)
    CallFactory.create_batch(rows, upcoming=True)

    # One query for open calls, one for upcoming ones, each with its conference.
    with django_assert_num_queries(2):
        client.get(reverse("scholarships:call-list"))


@pytest.mark.parametrize("who", [None, "applicant", "reviewer", "finance"])
def test_a_draft_call_is_not_found_for_anyone_but_coordinators(client, who):
    call = CallFactory(draft=True)
    if who:
        sign_in(client, UserFactory(**({} if who == "applicant" else {who: True})))

    assert client.get(call.get_absolute_url()).status_code == 404


def test_a_coordinator_previews_a_draft_call(client):
    call = CallFactory(draft=True, title={"en": "Youth call"})
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(call.get_absolute_url())

    assert response.status_code == 200
    assert "This call is not public (status: Draft)." in response.content.decode()


def test_a_closed_call_says_so_and_is_still_readable(client):
    call = CallFactory(closed=True)

    response = client.get(call.get_absolute_url())

    assert response.status_code == 200
    assert response.context["is_open"] is False
    assert "This call is closed. Applications are no longer accepted." in response.content.decode()


def test_an_upcoming_call_says_when_it_opens(client):
    call = CallFactory(upcoming=True)

    response = client.get(call.get_absolute_url())

    assert response.context["is_open"] is False
    assert "Applications open on" in response.content.decode()


# The call's conference is in New York. On 14 March 2027 New York moves its clocks
# forward (EST, UTC−5 → EDT, UTC−4) while Paris is still on winter time (CET, UTC+1)
# until 28 March: the gap between the two zones is 5 hours that night, not 6.
@time_machine.travel(aware("UTC", 2027, 3, 1, 12), tick=False)
def test_deadline_is_shown_in_the_calls_and_the_visitors_zone_across_a_dst_change(client):
    conference = ConferenceFactory(time_zone="America/New_York", city="New York", country="US")
    call = CallFactory(
        conference=conference,
        opens_at=aware("America/New_York", 2027, 2, 1, 9, 0),
        closes_at=aware("America/New_York", 2027, 3, 14, 23, 59),
    )
    sign_in(client, UserFactory(time_zone="Europe/Paris"))

    response = client.get(call.get_absolute_url())

    page = response.content.decode()
    assert call.closes_at == aware("UTC", 2027, 3, 15, 3, 59)
    assert "March 14, 2027, 11:59 p.m. — conference time (America/New_York, UTC−04:00)" in page
    assert "March 15, 2027, 4:59 a.m. — your time (Europe/Paris, UTC+01:00)" in page


@time_machine.travel(aware("UTC", 2027, 3, 1, 12), tick=False)
def test_deadline_in_french_for_a_visitor_whose_browser_gave_a_half_hour_zone(client):
    call = CallFactory(
        conference=ConferenceFactory(time_zone="Africa/Johannesburg"),
        opens_at=aware("Africa/Johannesburg", 2027, 2, 1, 9, 0),
        closes_at=aware("Africa/Johannesburg", 2027, 3, 31, 23, 59),
    )
    client.cookies["tz"] = "Asia/Kolkata"
    client.cookies["django_language"] = "fr"

    page = client.get(call.get_absolute_url()).content.decode()

    assert "31 mars 2027 23:59" in page
    assert "(Africa/Johannesburg, UTC+02:00)" in page
    assert "1 avril 2027 03:29" in page
    assert "(Asia/Kolkata, UTC+05:30)" in page


def test_without_a_known_zone_the_page_leaves_local_time_to_the_browser(client, open_call):
    page = client.get(open_call.get_absolute_url()).content.decode()

    assert "data-local-time=" in page
    assert "your time (" not in page


def test_a_bogus_time_zone_cookie_is_ignored(client, open_call):
    client.cookies["tz"] = "../../etc/passwd"

    response = client.get(open_call.get_absolute_url())

    assert response.status_code == 200
    assert "visitor_time_zone" not in response.context


def test_manage_list_shows_every_call_to_coordinators_only(client):
    CallFactory(title={"en": "Public call"})
    CallFactory(title={"en": "Secret draft"}, draft=True)
    sign_in(client, UserFactory())
    assert client.get(reverse("scholarships:call-manage-list")).status_code == 403

    sign_in(client, UserFactory(coordinator=True))
    page = client.get(reverse("scholarships:call-manage-list")).content.decode()

    assert "Public call" in page and "Secret draft" in page


def test_coordinator_publishes_a_draft(client):
    call = CallFactory(draft=True)
    sign_in(client, UserFactory(coordinator=True))

    response = client.post(
        reverse("scholarships:call-change-status", kwargs={"slug": call.slug}),
        {"status": "published"},
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED


@pytest.mark.parametrize("status", ["archived", "approved", ""])
def test_a_refused_status_change_says_why_and_changes_nothing(client, status):
    call = CallFactory(draft=True)
    sign_in(client, UserFactory(coordinator=True))

    response = client.post(
        reverse("scholarships:call-change-status", kwargs={"slug": call.slug}),
        {"status": status},
        follow=True,
    )

    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert len(list(response.context["messages"])) == 1


def test_an_applicant_cannot_change_a_calls_status(client):
    call = CallFactory()
    sign_in(client, UserFactory())

    response = client.post(
        reverse("scholarships:call-change-status", kwargs={"slug": call.slug}),
        {"status": "draft"},
    )

    assert response.status_code == 403
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED
