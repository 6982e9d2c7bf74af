import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from conferences.models import Conference
from scholarships.enums import CallStatus
from scholarships.models import Call

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(User.objects.values_list("email", "is_reviewer", "is_coordinator", "is_finance")),
        list(Conference.objects.values_list("acronym", flat=True)),
        sorted(Call.objects.values_list("slug", "status")),
    )


def test_load_demo_is_idempotent_and_gives_one_user_per_role(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")

    assert snapshot() == first
    assert first[2] == [("aids-2028", CallStatus.PUBLISHED), ("aids-2028-youth", CallStatus.DRAFT)]
    assert User.objects.filter(is_coordinator=True, is_superuser=False).count() == 1
    assert User.objects.filter(is_reviewer=True).count() == 13  # one with a login, a panel of 12
    # Two finance administrators: a disbursement is approved by another than its requester.
    assert User.objects.filter(is_finance=True).count() == 2
    output = capsys.readouterr().out
    assert re.search(r"coordinator@demo.example +demo-coordinator-pass", output)
    assert User.objects.get(email="applicant@demo.example").check_password("demo-applicant-pass")


def test_demo_call_is_open_and_written_in_five_languages(settings):
    settings.DEBUG = True
    call_command("load_demo")

    call = Call.objects.get(slug="aids-2028")

    assert call.is_open()
    assert sorted(call.title.data) == ["en", "es", "fr", "ru", "zh-hans"]
    assert len(set(call.title.data.values())) == 5


def test_load_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("load_demo")
    assert User.objects.count() == 0


def test_demo_has_300_submitted_applications_over_every_region_and_gender(settings):
    from scholarships.enums import ApplicationStatus, Gender
    from scholarships.models import Application

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    assert submitted.count() == 300
    assert Application.objects.filter(status=ApplicationStatus.DRAFT).count() == 12
    assert set(submitted.values_list("region", flat=True)) == {
        "africa",
        "asia_pacific",
        "europe",
        "latin_america",
        "north_america_caribbean",
    }
    assert set(submitted.values_list("gender", flat=True)) == set(Gender.values)
    assert set(submitted.values_list("language", flat=True)) == {"en", "fr", "es", "ru", "zh-hans"}


def test_demo_staff_get_a_working_second_factor(settings, capsys):
    from accounts.two_factor import TOTPDevice

    settings.DEBUG = True
    call_command("load_demo")
    capsys.readouterr()

    call_command("demo_otp_code", "coordinator@demo.example")

    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__email="coordinator@demo.example")
    assert len(code) == 6 and device.verify_token(code)
    assert not TOTPDevice.objects.filter(user__email="applicant@demo.example").exists()


def test_demo_has_a_review_panel_with_reviews_written_and_stays_the_same(settings):
    from scholarships.enums import ReviewStatus
    from scholarships.models import ReviewAssignment

    settings.DEBUG = True
    call_command("load_demo")
    first = (
        ReviewAssignment.objects.count(),
        ReviewAssignment.objects.filter(status=ReviewStatus.SUBMITTED).count(),
    )
    call_command("load_demo")

    assert first[0] == 600 and 0 < first[1] < 600
    assert (
        ReviewAssignment.objects.count(),
        ReviewAssignment.objects.filter(status=ReviewStatus.SUBMITTED).count(),
    ) == first
    assert ReviewAssignment.objects.filter(member__reviewer__email="reviewer@demo.example").exists()


def test_demo_has_a_balance_policy_and_an_optimal_proposal(settings):
    from scholarships.models import SelectionRun

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    run = SelectionRun.objects.get()
    assert run.status == "optimal"
    assert len(run.chosen) == 25
    assert run.total_cost <= 70000


def test_demo_decisions_are_released_with_replies_and_one_place_to_offer(settings, capsys):
    from scholarships.decisions import places_to_offer
    from scholarships.enums import Outcome, Reply
    from scholarships.models import Call, Decision

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")

    call = Call.objects.get(slug="aids-2028")
    awards = Decision.objects.filter(application__call=call, outcome=Outcome.AWARD)
    assert awards.count() == 25
    assert awards.filter(reply=Reply.ACCEPTED).count() == 5
    assert awards.filter(released_at__isnull=True).count() == 0
    assert places_to_offer(call) == 1
    out = capsys.readouterr().out
    assert re.search(r"demo-applicant-\d+@demo.example +demo-awardee-pass +\(applicant with", out)
