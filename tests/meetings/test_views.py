"""The pages: participants see only their own meetings; only coordinators manage them."""

import csv
import io
import re
from datetime import UTC, datetime, time

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.enums import Rsvp
from meetings.links import rsvp_token
from meetings.models import Invitation, MeetingHours, PrepMeeting
from notifications.models import OutgoingEmail
from tests.factories import ConferenceFactory, UserFactory
from tests.helpers import drain, sign_in

from .factories import InvitationFactory, PrepMeetingFactory

pytestmark = pytest.mark.django_db


def test_my_meetings_lists_only_my_sent_invitations_in_my_time(client, before_the_meetings):
    me = UserFactory(time_zone="Asia/Manila")
    mine = InvitationFactory(user=me)
    InvitationFactory(user=me, unsent=True)  # not sent yet: not shown
    InvitationFactory()  # someone else's
    sign_in(client, me)

    response = client.get(reverse("meetings:my-meetings"))

    assert [i.pk for i in response.context["upcoming"]] == [mine.pk]
    # 12:00 UTC is 20:00 in Manila.
    assert "20:00–21:00" in response.content.decode()


def test_another_persons_meeting_answers_404(client, before_the_meetings):
    invitation = InvitationFactory()
    sign_in(client, UserFactory())
    public_id = invitation.meeting.public_id

    for name in ("meetings:meeting-detail", "meetings:meeting-calendar"):
        assert client.get(reverse(name, kwargs={"public_id": public_id})).status_code == 404
    answer = client.post(
        reverse("meetings:meeting-answer", kwargs={"public_id": public_id}), {"answer": "yes"}
    )
    assert answer.status_code == 404
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.NONE


def test_a_participant_answers_from_the_meeting_page(client, before_the_meetings):
    invitation = InvitationFactory(meeting=PrepMeetingFactory(capacity=1))
    InvitationFactory(meeting=invitation.meeting, rsvp=Rsvp.YES)  # the one seat is taken
    sign_in(client, invitation.user)

    response = client.post(
        reverse("meetings:meeting-answer", kwargs={"public_id": invitation.meeting.public_id}),
        {"answer": "yes"},
        follow=True,
    )

    invitation.refresh_from_db()
    assert (invitation.rsvp, invitation.waitlisted) == (Rsvp.YES, True)
    assert "waiting list" in response.content.decode()


def test_the_calendar_download_is_the_meeting_in_utc(client, before_the_meetings):
    invitation = InvitationFactory()
    sign_in(client, invitation.user)

    response = client.get(
        reverse("meetings:meeting-calendar", kwargs={"public_id": invitation.meeting.public_id})
    )

    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    (event,) = Calendar.from_ical(drain(response)).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 24, 12, tzinfo=UTC)


def test_the_signed_link_asks_first_and_answers_on_post_without_signing_in(
    client, before_the_meetings
):
    invitation = InvitationFactory(user=UserFactory(preferred_language="fr"))
    url = reverse("meetings:rsvp-link", kwargs={"token": rsvp_token(invitation)})

    shown = client.get(url)
    invitation.refresh_from_db()
    assert shown.status_code == 200 and invitation.rsvp == Rsvp.NONE
    assert shown.context["LANGUAGE_CODE"] == "fr"

    client.post(url, {"answer": "maybe"})
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.MAYBE


def test_a_tampered_link_changes_nothing_and_says_so(client, before_the_meetings):
    invitation = InvitationFactory()
    token = rsvp_token(invitation)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(
        reverse("meetings:rsvp-link", kwargs={"token": forged}), {"answer": "yes"}
    )

    invitation.refresh_from_db()
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()
    assert invitation.rsvp == Rsvp.NONE


def test_an_expired_link_changes_nothing_and_says_so(client, before_the_meetings):
    invitation = InvitationFactory()
    url = reverse("meetings:rsvp-link", kwargs={"token": rsvp_token(invitation)})
    before_the_meetings.move_to(datetime(2026, 3, 23, tzinfo=UTC))  # 22 days later

    response = client.post(url, {"answer": "yes"})

    invitation.refresh_from_db()
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert invitation.rsvp == Rsvp.NONE


@pytest.mark.parametrize("role", ["applicant", "reviewer", "finance", "admin"])
def test_only_coordinators_manage_meetings(client, user_with_role, role, before_the_meetings):
    meeting = PrepMeetingFactory()
    sign_in(client, user_with_role(role))
    on = {"public_id": meeting.public_id}

    assert client.get(reverse("meetings:meeting-manage-list")).status_code == 403
    assert client.post(reverse("meetings:meeting-send", kwargs=on)).status_code == 403
    assert client.post(reverse("meetings:meeting-cancel", kwargs=on)).status_code == 403
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_a_coordinator_creates_a_meeting_entered_in_the_organisers_time(
    client, before_the_meetings
):
    conference = ConferenceFactory()
    invited = UserFactory(email="joy@example.org")
    sign_in(client, UserFactory(coordinator=True))

    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "conference": conference.pk,
            "title_0": "Getting ready",
            "agenda_0": "Travel",
            "format": "online",
            "online_link": "https://meet.example.org/a",
            "time_zone": "America/New_York",
            "starts_at": "2026-03-24T08:00",  # as a phone's date-time picker sends it
            "duration_minutes": 90,
            "interpretation_languages": ["fr"],
            "capacity": 20,
            "emails": "Joy@example.org\n",
        },
    )

    meeting = PrepMeeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime(2026, 3, 24, 12, tzinfo=UTC)  # 08:00 EDT
    assert (meeting.capacity, meeting.interpretation_languages) == (20, ["fr"])
    assert list(meeting.invitations.values_list("user", flat=True)) == [invited.pk]


def test_an_online_meeting_needs_a_link_and_addresses_must_have_accounts(
    client, before_the_meetings
):
    sign_in(client, UserFactory(coordinator=True))

    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "conference": ConferenceFactory().pk,
            "title_0": "x",
            "format": "online",
            "starts_at": "2026-03-24 08:00",
            "duration_minutes": 60,
            "emails": "nobody@example.org",
        },
    )

    assert set(response.context["form"].errors) == {"online_link", "emails"}
    assert not PrepMeeting.objects.exists()


def test_a_coordinator_sends_moves_and_cancels(client, before_the_meetings):
    invitation = InvitationFactory(unsent=True)
    meeting = invitation.meeting
    sign_in(client, UserFactory(coordinator=True))
    on = {"public_id": meeting.public_id}

    sent = client.post(reverse("meetings:meeting-send", kwargs=on), follow=True)
    client.post(
        reverse("meetings:meeting-slots", kwargs=on), {"start": "2026-03-25T13:00:00+00:00"}
    )
    client.post(reverse("meetings:meeting-cancel", kwargs=on))

    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence, meeting.status) == (
        datetime(2026, 3, 25, 13, tzinfo=UTC),
        2,
        "cancelled",
    )
    assert list(OutgoingEmail.objects.order_by("pk").values_list("template", flat=True)) == [
        "meeting_invitation",
        "meeting_invitation",
        "meeting_cancelled",
    ]
    assert [str(message) for message in sent.context["messages"]] == ["1 invitation sent."]


def test_the_slot_finder_shows_each_participants_local_time(client, before_the_meetings):
    meeting = PrepMeetingFactory(duration_minutes=60)
    for zone in ("America/New_York", "Africa/Nairobi", "Asia/Manila", "Europe/Berlin"):
        InvitationFactory(meeting=meeting, user=UserFactory(time_zone=zone, display_name=zone))
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(
        reverse("meetings:meeting-slots", kwargs={"public_id": meeting.public_id}),
        {"first_day": "2026-03-23", "last_day": "2026-03-27", "step": 30},
    )

    best = response.context["candidates"][0]
    assert (best.start, best.inside, best.total) == (datetime(2026, 3, 23, 12, tzinfo=UTC), 4, 4)
    page = response.content.decode()
    assert "08:00–09:00" in page and "20:00–21:00" in page and "13:00–14:00" in page


def cells_of(page, name):
    """The local times in `name`'s row of the slot finder's table."""
    row = re.search(rf'<tr><th scope="row">{re.escape(name)}<br>.*?</th>(.*?)</tr>', page, re.S)
    return re.findall(r"<td>(.*?)</td>", row.group(1))


@pytest.mark.parametrize(
    "language, berlin, new_york",
    [
        ("en", ["Fri 13:00–14:00", "Mon 14:00–15:00"], ["Fri 08:00–09:00", "Mon 08:00–09:00"]),
        ("fr", ["ven 13:00–14:00", "lun 14:00–15:00"], ["ven 08:00–09:00", "lun 08:00–09:00"]),
    ],
)
def test_the_slot_finder_shows_local_times_either_side_of_a_clock_change(
    client, before_the_meetings, language, berlin, new_york
):
    # New York and Manila share only 12:00-13:00 UTC; Berlin moves its clocks on Sunday
    # 29 March 2026, so the same UTC hour is an hour later there on the Monday.
    meeting = PrepMeetingFactory(duration_minutes=60)
    for name, zone in (
        ("Anna", "Europe/Berlin"),
        ("Ben", "America/New_York"),
        ("Chen", "Asia/Manila"),
    ):
        InvitationFactory(meeting=meeting, user=UserFactory(time_zone=zone, display_name=name))
    sign_in(client, UserFactory(coordinator=True, preferred_language=language))

    response = client.get(
        reverse("meetings:meeting-slots", kwargs={"public_id": meeting.public_id}),
        {"first_day": "2026-03-27", "last_day": "2026-03-30", "step": 30},
    )

    starts = [candidate.start for candidate in response.context["candidates"]]
    assert starts[:2] == [
        datetime(2026, 3, 27, 12, tzinfo=UTC),
        datetime(2026, 3, 30, 12, tzinfo=UTC),
    ]
    page = response.content.decode()
    assert cells_of(page, "Anna")[:2] == berlin
    assert cells_of(page, "Ben")[:2] == new_york
    assert all(cell.endswith(" 20:00–21:00") for cell in cells_of(page, "Chen")[:2])


def test_the_slot_finder_marks_each_persons_own_hours_in_a_shared_time_zone(
    client, before_the_meetings
):
    # Three people in Berlin: two keep the usual hours, Dora only wants 09:00-10:00.
    meeting = PrepMeetingFactory(duration_minutes=60)
    for name in ("Anna", "Carl", "Dora"):
        InvitationFactory(
            meeting=meeting, user=UserFactory(time_zone="Europe/Berlin", display_name=name)
        )
    MeetingHours.objects.create(
        user=meeting.invitations.get(user__display_name="Dora").user,
        earliest=time(9),
        latest=time(10),
    )
    sign_in(client, UserFactory(coordinator=True))

    response = client.get(
        reverse("meetings:meeting-slots", kwargs={"public_id": meeting.public_id}),
        {"first_day": "2026-03-24", "last_day": "2026-03-24", "step": 30},
    )

    page = response.content.decode()
    outside = " <strong>outside their hours</strong>"
    assert cells_of(page, "Dora")[0] == "Tue 09:00–10:00"
    assert all(cell.endswith(outside) for cell in cells_of(page, "Dora")[1:])
    assert cells_of(page, "Anna") == cells_of(page, "Carl")
    assert [f"{cell}{outside}" for cell in cells_of(page, "Anna")[1:]] == cells_of(page, "Dora")[1:]
    assert len(cells_of(page, "Anna")) == len(response.context["candidates"]) == 5


def test_attendance_and_the_csv_export(client, before_the_meetings):
    meeting = PrepMeetingFactory()
    came = InvitationFactory(meeting=meeting, user=UserFactory(display_name="=HYPERLINK(1)"))
    InvitationFactory(meeting=meeting, user=UserFactory(display_name="Bea"))
    foreign = InvitationFactory()
    sign_in(client, UserFactory(coordinator=True))
    on = {"public_id": meeting.public_id}

    client.post(
        reverse("meetings:meeting-attendance", kwargs=on), {"present": [came.pk, foreign.pk]}
    )
    response = client.get(reverse("meetings:meeting-export", kwargs=on))

    rows = list(csv.reader(io.StringIO(drain(response).decode())))
    assert [(row[0], row[-1]) for row in rows] == [
        ("name", "attended"),
        ("'=HYPERLINK(1)", "yes"),
        ("Bea", "no"),
    ]
    assert Invitation.objects.get(pk=foreign.pk).attended is None


def test_a_person_sets_their_hours(client):
    me = UserFactory()
    sign_in(client, me)

    client.post(reverse("meetings:meeting-hours"), {"earliest": "10:00", "latest": "18:30"})

    assert me.meeting_hours.latest.strftime("%H:%M") == "18:30"


def test_the_meeting_list_costs_the_same_queries_for_many_meetings(
    client, django_assert_max_num_queries, before_the_meetings
):
    sign_in(client, UserFactory(coordinator=True))
    for _ in range(3):
        InvitationFactory()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("meetings:meeting-manage-list"))
    for _ in range(10):
        InvitationFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("meetings:meeting-manage-list"))


def test_my_meetings_costs_the_same_queries_for_many_meetings(
    client, django_assert_max_num_queries, before_the_meetings
):
    me = UserFactory()
    sign_in(client, me)
    InvitationFactory(user=me)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("meetings:my-meetings"))
    for _ in range(5):
        InvitationFactory(user=me)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("meetings:my-meetings"))


def test_the_edit_form_shows_the_start_at_the_organisers_time(client, before_the_meetings):
    meeting = PrepMeetingFactory(time_zone="Asia/Manila")
    sign_in(client, UserFactory(coordinator=True, time_zone="America/New_York"))

    response = client.get(reverse("meetings:meeting-edit", kwargs={"public_id": meeting.public_id}))

    assert 'value="2026-03-24T20:00"' in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "error", "utc"),
    [
        ("2026-03-29T02:30", "The clocks skip this time", None),  # Berlin springs forward
        ("2026-10-25T02:30", "happens twice", None),  # Berlin falls back
        ("2026-03-29T03:30", None, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    ],
)
def test_a_start_the_clocks_skip_or_repeat_in_the_meetings_zone_is_refused_in_words(
    client, before_the_meetings, typed, error, utc
):
    # The coordinator lives in New York, where none of these times is special.
    coordinator = UserFactory(coordinator=True, time_zone="America/New_York")
    sign_in(client, coordinator)

    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "conference": ConferenceFactory().pk,
            "title_0": "Getting ready",
            "format": "online",
            "online_link": "https://meet.example.org/a",
            "time_zone": "Europe/Berlin",
            "starts_at": typed,
            "duration_minutes": 60,
        },
    )

    if error:
        assert error in str(response.context["form"].errors["starts_at"])
        assert not PrepMeeting.objects.exists()
    else:
        assert response.status_code == 302
        assert PrepMeeting.objects.get().starts_at == utc
