import pytest

from meetings.demo import demo_id, load_demo_meetings
from meetings.enums import MeetingFormat
from meetings.models import PrepMeeting
from tests.factories import CallFactory, UserFactory, accepted_award

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_meeting_per_region_one_for_all_and_one_at_the_venue_once():
    call = CallFactory()
    dakar = accepted_award(call, region="africa", departure_city="Dakar").application
    coordinator = UserFactory(coordinator=True)

    load_demo_meetings(call, by=coordinator)
    again = load_demo_meetings(call, by=coordinator)

    assert again.startswith("Prep meetings: 0 created, 7 in all")
    assert PrepMeeting.objects.filter(format=MeetingFormat.IN_PERSON).count() == 1
    africa = PrepMeeting.objects.get(public_id=demo_id("region-africa"))
    assert [(i.user_id, i.sent_sequence) for i in africa.invitations.all()] == [
        (dakar.applicant_id, 0)
    ]
    dakar.applicant.refresh_from_db()
    assert dakar.applicant.time_zone == "Africa/Dakar"
    # Dakar is UTC+0: the slot finder puts the meeting inside 08:00–21:00 there.
    assert africa.starts_at.hour >= 8 and africa.ends_at.hour <= 21
