"""Every decision path: confirm, release, accept, decline, lapse, remind, offer a place."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from djmoney.money import Money

from accounts.audit import AuditEntry
from notifications.models import OutgoingEmail
from scholarships.decisions import (
    confirm_selection,
    lapse_unanswered_awards,
    next_on_waitlist,
    offer_waitlisted_place,
    places_to_offer,
    release_decisions,
    remind_awardees,
    reply_to_award,
)
from scholarships.enums import ApplicationStatus, Outcome, Reply, ReviewStatus
from scholarships.models import BalancePolicy, Decision, TravellerDetails
from scholarships.services import (
    ScholarshipError,
    anonymise_application,
    export_applications,
    propose_selection,
    withdraw_application,
)
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriterionFactory,
    PanelMemberFactory,
    ReviewAssignmentFactory,
    UserFactory,
)
from tests.helpers import race, sign_in

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def coordinator():
    return UserFactory(coordinator=True)


@pytest.fixture
def proposed(coordinator):
    """Two awards; at most one European, at least one African. Scores fall from eu1."""
    call = CallFactory(number_of_awards=2)
    criterion = CriterionFactory(call=call, scale=10)
    member = PanelMemberFactory(call=call)
    people = {}
    for name, region, score, language in [
        ("eu1", "europe", 10, "fr"),
        ("eu2", "europe", 9, "ru"),
        ("af1", "africa", 8, "zh-hans"),
        ("as1", "asia_pacific", 7, "es"),
        ("af2", "africa", 6, "en"),
        ("la1", "latin_america", 2, "en"),
    ]:
        application = ApplicationFactory(
            call=call,
            region=region,
            applicant=UserFactory(preferred_language=language, display_name=name),
            support_requested=["airfare", "per_diem"],
        )
        ReviewAssignmentFactory(
            application=application,
            member=member,
            status=ReviewStatus.SUBMITTED,
            submitted_at="2026-11-01T10:00Z",
            scores={str(criterion.pk): score},
        )
        people[name] = application
    unreviewed = ApplicationFactory(call=call, region="europe")
    people["unreviewed"] = unreviewed
    policy = BalancePolicy.objects.create(call=call, budget=Money("10000.00", "USD"))
    policy.region_targets.create(region="europe", max_share="0.50", estimated_cost="3000")
    policy.region_targets.create(region="africa", min_count=1, estimated_cost="2000")
    run = propose_selection(call, objective="merit", by=coordinator)
    assert set(run.chosen) == {str(people["eu1"].public_id), str(people["af1"].public_id)}
    return call, run, people


def key(application):
    return str(application.public_id)


def refreshed(application):
    application.refresh_from_db()
    return application


def confirm(call, run, people, coordinator, **overrides):
    arguments = {
        "run": run,
        "awards": {key(people["eu1"]): ("full", []), key(people["af1"]): ("full", [])},
        "waitlist_size": 3,
        "reply_by": IN_TWO_WEEKS,
        "by": coordinator,
    } | overrides
    return confirm_selection(call, **arguments)


@pytest.fixture
def confirmed(proposed, coordinator):
    call, run, people = proposed
    confirm(call, run, people, coordinator)
    return call, people


@pytest.fixture
def released(confirmed, coordinator):
    call, people = confirmed
    release_decisions(call, by=coordinator)
    mail.outbox.clear()
    return call, people


def test_confirming_gives_awards_a_ranked_waitlist_and_regrets_and_sends_nothing(
    proposed, coordinator, client
):
    call, run, people = proposed

    counts = confirm(call, run, people, coordinator)

    assert counts == {"award": 2, "waitlist": 3, "regret": 2}
    statuses = {name: refreshed(a).status for name, a in people.items()}
    assert statuses == {
        "eu1": ApplicationStatus.AWARDED,
        "af1": ApplicationStatus.AWARDED,
        "eu2": ApplicationStatus.WAITLISTED,
        "as1": ApplicationStatus.WAITLISTED,
        "af2": ApplicationStatus.WAITLISTED,
        "la1": ApplicationStatus.NOT_SELECTED,
        "unreviewed": ApplicationStatus.NOT_SELECTED,
    }
    ranks = {d.application_id: d.waitlist_rank for d in Decision.objects.filter(outcome="waitlist")}
    assert [ranks[people[n].pk] for n in ("eu2", "as1", "af2")] == [1, 2, 3]
    award = people["eu1"].decision
    assert award.covers == ["airfare", "per_diem"] and award.reply_by == IN_TWO_WEEKS
    assert OutgoingEmail.objects.count() == 0 and mail.outbox == []
    assert AuditEntry.objects.filter(action="decision.confirmed", actor=coordinator).exists()
    # The applicant does not learn anything before the release (their page is in French).
    sign_in(client, people["eu1"].applicant)
    page = client.get(people["eu1"].get_absolute_url()).content.decode()
    with translation.override("fr"):
        assert str(ApplicationStatus.UNDER_REVIEW.label) in page
        assert str(ApplicationStatus.AWARDED.label) not in page
    assert "/reply/" not in page


def test_confirming_twice_or_from_a_stale_proposal_is_refused(proposed, coordinator):
    call, run, people = proposed
    newer = propose_selection(call, objective="merit", by=coordinator)

    with pytest.raises(ScholarshipError, match="newer proposal"):
        confirm(call, run, people, coordinator)
    assert not Decision.objects.exists()

    confirm(call, newer, people, coordinator)
    with pytest.raises(ScholarshipError, match="already confirmed"):
        confirm(call, newer, people, coordinator)
    assert Decision.objects.count() == 7


def test_a_confirmation_that_fails_part_way_changes_nothing(proposed, coordinator):
    call, run, people = proposed
    withdraw_application(people["af1"], by=people["af1"].applicant)

    with pytest.raises(ScholarshipError, match="no longer in the running"):
        confirm(call, run, people, coordinator)

    assert not Decision.objects.exists()
    assert refreshed(people["eu1"]).status == ApplicationStatus.SUBMITTED


def test_a_partial_award_pays_for_what_the_coordinator_chose(proposed, coordinator, client):
    call, run, people = proposed
    sign_in(client, coordinator)
    url = reverse("scholarships:call-decisions-confirm", kwargs={"slug": call.slug})
    data = {
        "run": run.pk,
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-0-application": key(people["eu1"]),
        "form-0-decision": "partial",
        "form-1-application": key(people["af1"]),
        "form-1-decision": "waitlist",
        "reply_by": IN_TWO_WEEKS.isoformat(),
        "waitlist_size": 10,
    }

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Choose what a partial award pays for." in refused.content.decode()
    assert not Decision.objects.exists()

    response = client.post(url, data | {"form-0-covers": ["registration"]})

    assert response.status_code == 302
    decision = refreshed(people["eu1"]).decision
    assert (decision.coverage, decision.covers) == ("partial", ["registration"])
    # Waitlisted instead, af1 takes its place in score order: after eu2, before as1.
    assert refreshed(people["af1"]).decision.waitlist_rank == 2


def test_the_confirmation_page_refuses_a_date_in_the_past(proposed, coordinator, client):
    call, run, people = proposed
    sign_in(client, coordinator)
    page = client.get(reverse("scholarships:call-decisions", kwargs={"slug": call.slug}))
    assert page.status_code == 200 and people["eu1"].public_id.hex[:8] in page.content.decode()

    response = client.post(
        reverse("scholarships:call-decisions-confirm", kwargs={"slug": call.slug}),
        {
            "run": run.pk,
            "form-TOTAL_FORMS": 0,
            "form-INITIAL_FORMS": 0,
            "reply_by": "2020-01-01",
            "waitlist_size": 3,
        },
    )

    assert response.status_code == 400
    assert "Choose a date after today." in response.content.decode()
    assert not Decision.objects.exists()


def test_release_sends_each_decision_once_in_its_readers_language(
    confirmed, coordinator, client, django_capture_on_commit_callbacks
):
    call, people = confirmed
    sign_in(client, coordinator)
    page = client.get(reverse("scholarships:call-decisions", kwargs={"slug": call.slug}))
    assert "7 emails wait for your release" in page.content.decode()

    url = reverse("scholarships:call-decisions-release", kwargs={"slug": call.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)

    assert len(mail.outbox) == 7
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "bourse" in by_recipient[people["eu1"].applicant.email].body  # French award
    assert "Здравствуйте" in by_recipient[people["eu2"].applicant.email].body  # Russian
    assert "奖学金" in by_recipient[people["af1"].applicant.email].body
    assert all(d.released_at for d in Decision.objects.all())
    sign_in(client, people["eu1"].applicant)
    page = client.get(reverse("scholarships:my-applications")).content.decode()
    with translation.override("fr"):
        assert str(ApplicationStatus.AWARDED.label) in page
    reply = reverse("scholarships:application-reply", kwargs={"public_id": people["eu1"].public_id})
    assert reply in page


def test_accepting_then_giving_passport_details_kept_encrypted(released, client, coordinator):
    call, people = released
    application = people["af1"]
    sign_in(client, application.applicant)
    reply = reverse("scholarships:application-reply", kwargs={"public_id": application.public_id})
    traveller = reverse(
        "scholarships:application-traveller", kwargs={"public_id": application.public_id}
    )
    assert client.get(traveller).status_code == 404  # not before accepting

    response = client.post(reply, {"answer": "accept"})

    assert response.status_code == 302 and response.url == traveller
    assert refreshed(application).decision.reply == Reply.ACCEPTED
    expired = client.post(
        traveller,
        {
            "legal_name": "Ana & <b>Ndiaye</b>",
            "nationality": "SN",
            "date_of_birth": "1990-04-02",
            "passport_number": "a1234567",
            "passport_expires_on": "2020-01-01",
        },
    )
    assert expired.status_code == 400
    assert 'id="id_passport_expires_on_error"' in expired.content.decode()
    assert not TravellerDetails.objects.exists()
    client.post(
        traveller,
        {
            "legal_name": "Ana & <b>Ndiaye</b>",
            "nationality": "SN",
            "date_of_birth": "1990-04-02",
            "passport_number": "a1234567",
            "passport_expires_on": "2035-01-01",
        },
    )
    details = TravellerDetails.objects.get(application=application)
    assert details.passport_number == "A1234567" and details.date_of_birth == "1990-04-02"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_name, passport_number, nationality FROM scholarships_travellerdetails"
        )
        legal_name, passport_number, nationality = cursor.fetchone()
    raw = f"{legal_name} {passport_number}"
    assert "A1234567" not in raw and "Ndiaye" not in raw
    # Two letters can turn up anywhere in a ciphertext: the column must be one, not "SN".
    assert nationality != "SN" and nationality.startswith("gAAAAA")
    # The coordinator reads them, and that reading is logged.
    sign_in(client, coordinator)
    page = client.get(
        reverse(
            "scholarships:application-manage-detail", kwargs={"public_id": application.public_id}
        )
    ).content.decode()
    assert "A1234567" in page and "Ana &amp; &lt;b&gt;Ndiaye&lt;/b&gt;" in page
    assert AuditEntry.objects.filter(action="traveller.viewed", actor=coordinator).exists()
    # They leave with the application's personal data.
    assert export_applications(application.applicant)[0]["traveller"]["passport_number"] == (
        "A1234567"
    )
    anonymise_application(application)
    assert not TravellerDetails.objects.exists()


def test_declining_needs_a_tick_then_frees_a_place_for_the_waitlist(released, client, coordinator):
    call, people = released
    application = people["af1"]
    sign_in(client, application.applicant)
    reply = reverse("scholarships:application-reply", kwargs={"public_id": application.public_id})

    unticked = client.post(reply, {"answer": "decline"})
    assert unticked.status_code == 400
    assert refreshed(application).decision.reply == Reply.PENDING

    client.post(reply, {"answer": "decline", "understood": "on"})

    assert refreshed(application).status == ApplicationStatus.DECLINED
    assert places_to_offer(call) == 1
    # eu2 and as1 come first on the waitlist, but the policy needs an African.
    suggestion, skipped = next_on_waitlist(call)
    assert suggestion == people["af2"]
    assert [(a, rules) for a, rules in skipped] == [
        (people["eu2"], ["regions"]),
        (people["as1"], ["regions"]),
    ]
    sign_in(client, coordinator)
    page = client.get(reverse("scholarships:call-decisions", kwargs={"slug": call.slug}))
    assert "the regional targets" in page.content.decode()
    client.post(
        reverse("scholarships:call-decisions-offer", kwargs={"slug": call.slug}),
        {"application": key(people["af2"]), "reply_by": IN_TWO_WEEKS.isoformat()},
    )
    offered = refreshed(people["af2"])
    assert offered.status == ApplicationStatus.AWARDED
    assert offered.decision.released_at is None  # held until the coordinator releases it
    assert offered.status_for_applicant == ApplicationStatus.WAITLISTED  # as they were told
    assert places_to_offer(call) == 0
    assert release_decisions(call, by=coordinator) == 1
    assert OutgoingEmail.objects.filter(template="decision_award").count() == 3
    # No second place to give.
    with pytest.raises(ScholarshipError, match="No place is free"):
        offer_waitlisted_place(
            call, application=people["eu2"], reply_by=IN_TWO_WEEKS, by=coordinator
        )


def test_replies_are_refused_once_the_day_has_ended_everywhere(released):
    _call, people = released
    application = people["eu1"]
    deadline = application.decision.reply_deadline

    with pytest.raises(ScholarshipError, match="passed"):
        reply_to_award(application, accept=True, by=application.applicant, now=deadline)

    # A minute earlier, on the same calendar day in UTC−12, it is still in time.
    decision = reply_to_award(
        application,
        accept=True,
        by=application.applicant,
        now=deadline - datetime.timedelta(minutes=1),
    )
    assert decision.reply == Reply.ACCEPTED
    with pytest.raises(ScholarshipError, match="no award waiting"):
        reply_to_award(application, accept=False, by=application.applicant)


def test_unanswered_awards_get_one_reminder_then_lapse(
    released, django_capture_on_commit_callbacks
):
    call, people = released
    deadline = people["eu1"].decision.reply_deadline

    with time_machine.travel(deadline - datetime.timedelta(days=10)):
        assert remind_awardees() == 0  # too early
    with time_machine.travel(deadline - datetime.timedelta(days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_awardees() == 2
        assert remind_awardees() == 0  # once only
        assert lapse_unanswered_awards() == 0
    reminder = next(m for m in mail.outbox if m.to == [people["eu1"].applicant.email])
    assert "Rappel" in reminder.subject  # in French, the awardee's language

    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        assert lapse_unanswered_awards() == 2

    assert refreshed(people["eu1"]).status == ApplicationStatus.DECLINED
    assert people["eu1"].decision.reply == Reply.EXPIRED
    assert places_to_offer(call) == 2


def test_nothing_to_reply_to_is_a_404_for_everyone_else(confirmed, client):
    _call, people = confirmed
    reply = reverse("scholarships:application-reply", kwargs={"public_id": people["eu1"].public_id})

    sign_in(client, people["eu1"].applicant)
    assert client.get(reply).status_code == 404  # not released yet

    release_decisions(people["eu1"].call, by=None)
    assert client.get(reply).status_code == 200
    sign_in(client, people["eu2"].applicant)  # waitlisted: no award of their own, not theirs
    assert client.get(reply).status_code == 404
    own = reverse("scholarships:application-reply", kwargs={"public_id": people["eu2"].public_id})
    assert client.get(own).status_code == 404
    assert client.post(reply, {"answer": "decline", "understood": "on"}).status_code == 404
    assert refreshed(people["eu1"]).decision.reply == Reply.PENDING


def test_the_decision_outcomes_are_the_applications_statuses(confirmed):
    _call, people = confirmed
    for decision in Decision.objects.select_related("application"):
        expected = {
            Outcome.AWARD: ApplicationStatus.AWARDED,
            Outcome.WAITLIST: ApplicationStatus.WAITLISTED,
            Outcome.REGRET: ApplicationStatus.NOT_SELECTED,
        }[decision.outcome]
        assert decision.application.status == expected


@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirmations_releases_and_replies_each_happen_once(proposed, coordinator):
    """Real concurrent connections, on PostgreSQL: the row locks decide."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")
    call, run, people = proposed

    confirmed, refused = race(
        4, lambda _index: confirm(call, run, people, coordinator), refused=ScholarshipError
    )
    assert len(confirmed) == 1 and len(refused) == 3
    assert Decision.objects.count() == 7

    released, _errors = race(
        4, lambda _index: release_decisions(call, by=coordinator), refused=ScholarshipError
    )
    assert sorted(released) == [0, 0, 0, 7]
    assert OutgoingEmail.objects.count() == 7

    awardee = people["eu1"]
    answers = iter([True, False, True, False])
    replies, late = race(
        4,
        lambda _index: reply_to_award(awardee, accept=next(answers), by=awardee.applicant),
        refused=ScholarshipError,
    )
    assert len(replies) == 1 and len(late) == 3
    decision = Decision.objects.get(application=awardee)
    assert decision.reply == replies[0].reply
    expected = ApplicationStatus.AWARDED if decision.reply == "accepted" else "declined"
    assert refreshed(awardee).status == expected


def test_the_email_previews_are_escaped_and_in_their_readers_language(
    confirmed, coordinator, client
):
    call, people = confirmed
    for application in Decision.objects.filter(outcome="award").values_list(
        "application__applicant", flat=True
    ):
        UserFactory._meta.model.objects.filter(pk=application).update(display_name="<b>Amara</b>")
    sign_in(client, coordinator)

    page = client.get(reverse("scholarships:call-decisions", kwargs={"slug": call.slug}))

    html = page.content.decode()
    assert "&lt;b&gt;Amara&lt;/b&gt;" in html and "<b>Amara</b>" not in html
    # The awardees read French and Chinese: no preview of theirs is in English.
    previews = page.context["previews"]
    award = next(preview for preview in previews if preview["outcome"] == "Award")
    assert "<b>Amara</b>" in award["body"] and not award["body"].startswith("Hello")


def test_passport_details_stay_out_of_error_reports(released, client, monkeypatch):
    from django.views.debug import SafeExceptionReporterFilter

    from scholarships.views import decisions as views

    _call, people = released
    application = people["af1"]
    reply_to_award(application, accept=True, by=application.applicant)
    monkeypatch.setattr(views, "save_traveller_details", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    sign_in(client, application.applicant)

    response = client.post(
        reverse("scholarships:application-traveller", kwargs={"public_id": application.public_id}),
        {
            "legal_name": "SENTINEL NAME",
            "nationality": "SN",
            "date_of_birth": "1990-04-02",
            "passport_number": "SENTINEL123",
            "passport_expires_on": "2035-01-01",
        },
    )

    assert response.status_code == 500
    shown = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert "SENTINEL" not in str(dict(shown))


def test_a_withdrawn_award_does_not_stop_the_others_lapsing(released, coordinator):
    from scholarships.services import change_application_status

    _call, people = released
    change_application_status(people["eu1"], to=ApplicationStatus.WITHDRAWN, by=coordinator)
    deadline = people["af1"].decision.reply_deadline

    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        assert lapse_unanswered_awards() == 1
        with pytest.raises(ScholarshipError):
            reply_to_award(people["eu1"], accept=True, by=people["eu1"].applicant)

    assert refreshed(people["af1"]).status == ApplicationStatus.DECLINED
    assert refreshed(people["eu1"]).status == ApplicationStatus.WITHDRAWN
