import zoneinfo
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone
from djmoney.money import Money

from accounts.models import User
from conferences.enums import ConferenceKind
from conferences.models import Conference
from notifications.services import queue_email
from scholarships.enums import ApplicationStatus, CallStatus, Gender, SupportKind
from scholarships.models import (
    Application,
    Call,
    Criterion,
    EligibilityQuestion,
    MotivationQuestion,
    PanelMember,
    ReviewAssignment,
)

PASSWORD = "a-long-test-passphrase"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "en"
    time_zone = "UTC"
    password = factory.django.Password(PASSWORD)

    class Params:
        reviewer = factory.Trait(is_reviewer=True)
        coordinator = factory.Trait(is_coordinator=True)
        finance = factory.Trait(is_finance=True)
        admin = factory.Trait(is_staff=True, is_superuser=True)


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    kind = ConferenceKind.INTERNATIONAL_AIDS
    name = factory.Sequence(lambda n: f"International AIDS Conference {n}")
    acronym = factory.Sequence(lambda n: f"AIDS {2030 + n}")
    city = "Cape Town"
    country = "ZA"
    time_zone = "Africa/Johannesburg"
    start_date = date(2028, 7, 23)
    end_date = date(2028, 7, 28)
    registration_fee = Money("750.00", "USD")


class CallFactory(factory.django.DjangoModelFactory):
    """An open, published call by default; traits for the other states."""

    class Meta:
        model = Call

    conference = factory.SubFactory(ConferenceFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: {"en": f"Scholarships {n}", "fr": f"Bourses {n}"})
    summary = {"en": "Travel and subsistence.", "fr": "Voyage et séjour."}
    description = {"en": "The description."}
    status = CallStatus.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    number_of_awards = 10
    reviewers_per_application = 2
    support_offered = [SupportKind.AIRFARE.value, SupportKind.PER_DIEM.value]

    class Params:
        draft = factory.Trait(status=CallStatus.DRAFT)
        archived = factory.Trait(status=CallStatus.ARCHIVED)
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=40)),
        )


class EligibilityQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityQuestion

    call = factory.SubFactory(CallFactory)
    text = {"en": "Are you a member of an organisation of the network?", "fr": "Êtes-vous membre ?"}
    required_answer = True
    explanation = {"en": "This call is for members of the network's organisations."}
    position = factory.Sequence(int)


class MotivationQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MotivationQuestion

    call = factory.SubFactory(CallFactory)
    text = {"en": "Why do you want to attend?", "ru": "Почему вы хотите участвовать?"}
    word_limit = 50
    position = factory.Sequence(int)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application by default; `is_draft=True` for a draft."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    language = "en"
    country_of_residence = "SN"
    region = "africa"
    gender = Gender.WOMAN
    languages = ["fr"]
    organisation_name = "Community Health Collective"
    organisation_is_sex_worker_led = "yes"
    role = "Peer educator"
    first_time_attendee = True
    departure_city = "Dakar"
    departure_country = "SN"
    visa_needed = "yes"
    support_requested = [SupportKind.AIRFARE.value]

    class Params:
        is_draft = factory.Trait(status=ApplicationStatus.DRAFT, submitted_at=None)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: {"en": f"Criterion {n}"})
    weight = 1
    scale = 5
    position = factory.Sequence(int)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    call = factory.SubFactory(CallFactory)
    reviewer = factory.SubFactory(UserFactory, reviewer=True, country="TH")
    languages = ["en", "fr"]
    organisation = "Reviewers Collective"
    min_reviews = 0
    max_reviews = 30


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAssignment

    application = factory.SubFactory(ApplicationFactory)
    member = factory.SubFactory(
        PanelMemberFactory, call=factory.SelfAttribute("..application.call")
    )


def aware(zone, *args):
    return datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def queue_reset_email(user):
    """A real email from the outbox: the password reset, in the user's language."""
    return queue_email(
        to=user.email,
        template="password_reset",
        context={
            "user": user,
            "protocol": "https",
            "domain": "portal.example",
            "uid": "MQ",
            "token": "abc-123",
        },
        language=user.preferred_language,
        user=user,
    )


def accepted_award(call=None, *, covers=None, **application_fields):
    """An award its awardee accepted (released, replied), on a new application."""
    from scholarships.enums import Coverage, Outcome, Reply
    from scholarships.models import Decision

    application = ApplicationFactory(
        call=call or CallFactory(), status=ApplicationStatus.AWARDED, **application_fields
    )
    now = timezone.now()
    return Decision.objects.create(
        application=application,
        outcome=Outcome.AWARD,
        coverage=Coverage.FULL,
        covers=list(application.support_requested if covers is None else covers),
        reply_by=now.date(),
        reply=Reply.ACCEPTED,
        replied_at=now,
        released_at=now,
    )
