from datetime import UTC, datetime

import factory

from meetings.enums import MeetingFormat
from meetings.models import Invitation, PrepMeeting
from tests.factories import ConferenceFactory, UserFactory


class PrepMeetingFactory(factory.django.DjangoModelFactory):
    """An online meeting on Tuesday 24 March 2026, 12:00 UTC, for an hour."""

    class Meta:
        model = PrepMeeting

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(
        lambda n: {"en": f"Getting ready {n}", "fr": f"Se préparer {n}", "ru": f"Подготовка {n}"}
    )
    agenda = {"en": "Introductions. Travel. Questions.", "fr": "Présentations. Voyage."}
    format = MeetingFormat.ONLINE
    online_link = "https://meet.example.org/prep"
    starts_at = datetime(2026, 3, 24, 12, 0, tzinfo=UTC)
    duration_minutes = 60
    time_zone = "Africa/Johannesburg"
    interpretation_languages = ["fr", "es"]

    class Params:
        in_person = factory.Trait(
            format=MeetingFormat.IN_PERSON,
            online_link="",
            room="Room 2.14",
            address="1 Lower Long Street, Cape Town",
        )


class InvitationFactory(factory.django.DjangoModelFactory):
    """A sent invitation by default; `unsent=True` for one not sent yet."""

    class Meta:
        model = Invitation

    meeting = factory.SubFactory(PrepMeetingFactory)
    user = factory.SubFactory(UserFactory)
    sent_sequence = 0
    invited_at = factory.LazyFunction(lambda: datetime(2026, 3, 1, tzinfo=UTC))

    class Params:
        unsent = factory.Trait(sent_sequence=None, invited_at=None)
