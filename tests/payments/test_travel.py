"""Awardees' travel dates reach the prep meetings' slot finder."""

from datetime import date, timedelta

import pytest
from djmoney.money import Money

from meetings.travel import travel_dates_for
from payments.budgets import close_budget, create_budget
from payments.models import TravelPolicy
from payments.travel import travel_dates
from tests.factories import CallFactory, UserFactory
from tests.payments.factories import FundAllocationFactory, FundFactory, accepted_award

pytestmark = pytest.mark.django_db


def test_an_open_budget_travels_for_the_calls_stay_and_a_closed_one_not_at_all():
    finance = UserFactory(finance=True)
    call = CallFactory()
    TravelPolicy.objects.create(call=call, days_before=2, days_after=1)
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    going = accepted_award(call, covers=["registration"])
    staying = accepted_award(call, covers=["registration"])
    for decision in (going, staying):
        create_budget(decision, fund=fund, by=finance, priced_on=date(2028, 6, 1))
    close_budget(staying.budget, reason="visa_refused", by=finance)
    conference = call.conference
    people = [going.application.applicant_id, staying.application.applicant_id]

    dates = travel_dates(conference, people)

    assert dates == {
        going.application.applicant_id: (
            conference.start_date - timedelta(days=2),
            conference.end_date + timedelta(days=1),
        )
    }
    # The meetings app reads them through its registry, without importing payments.
    assert travel_dates_for(conference, people) == dates
