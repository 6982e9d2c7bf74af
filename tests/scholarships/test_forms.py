import pytest
from django.utils import timezone

from scholarships.forms import CallForm
from tests.factories import ConferenceFactory, aware

pytestmark = pytest.mark.django_db


def form_data(conference, **changes):
    data = {
        "conference": conference.pk,
        "slug": "aids-2030",
        "opens_at": "2027-03-01 09:00",
        "closes_at": "2027-03-28 23:59",
        "number_of_awards": "20",
        "reviewers_per_application": "2",
        "retention_days": "730",
        "support_offered": ["airfare", "per_diem"],
    }
    for name in ("title", "public_name", "summary", "description", "eligibility"):
        for index in range(5):
            data[f"{name}_{index}"] = f"{name} {index}" if index == 0 else ""
    data.update(changes)
    return data


def test_times_are_read_as_wall_clock_at_the_venue_whatever_the_staff_zone():
    conference = ConferenceFactory(time_zone="Asia/Bangkok")

    with timezone.override("America/Los_Angeles"):
        form = CallForm(data=form_data(conference))
        assert form.is_valid(), form.errors
        call = form.save()

    assert call.opens_at == aware("Asia/Bangkok", 2027, 3, 1, 9, 0)
    assert call.closes_at == aware("UTC", 2027, 3, 28, 16, 59)
    assert str(call.title) == "title 0"


def test_a_call_that_closes_before_it_opens_is_refused():
    conference = ConferenceFactory()

    form = CallForm(data=form_data(conference, closes_at="2027-02-01 09:00"))

    assert not form.is_valid()
    assert form.errors["closes_at"] == ["A call must close after it opens."]


def test_unknown_support_kinds_are_refused():
    form = CallForm(data=form_data(ConferenceFactory(), support_offered=["yacht"]))

    assert not form.is_valid()
    assert "support_offered" in form.errors
