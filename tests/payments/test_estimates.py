"""Each applicant's estimated cost feeds the selection's budget constraint, through the
SELECTION_COST_ESTIMATOR setting (scholarships never imports payments)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from djmoney.money import Money

from payments.estimates import estimated_costs
from payments.models import AirfareEstimate, TravelPolicy
from scholarships.models import BalancePolicy, RegionTarget
from scholarships.services import candidates_for_selection
from tests.factories import ApplicationFactory, CallFactory
from tests.payments.factories import ExchangeRateFactory, PerDiemRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory()
    BalancePolicy.objects.create(call=call, budget=Money("50000.00", "EUR"))
    TravelPolicy.objects.create(call=call, nightly_rate=Money("100.00", "USD"))
    AirfareEstimate.objects.create(call=call, country="SN", amount=Money("600.00", "EUR"))
    PerDiemRateFactory(country="ZA", city="Cape Town", daily_rate=Money("200.00", "USD"))
    ExchangeRateFactory(
        from_currency="USD", to_currency="EUR", rate=Decimal("0.9"), valid_on=date(2028, 1, 1)
    )
    return call


@time_machine.travel("2028-03-01 12:00Z")
def test_an_applicant_is_priced_in_the_budget_currency_from_their_country(call):
    priced = ApplicationFactory(
        call=call, departure_country="SN", support_requested=["airfare", "per_diem"]
    )
    no_fare = ApplicationFactory(
        call=call, departure_country="PE", region="latin_america", support_requested=["airfare"]
    )

    costs = estimated_costs(call, [str(priced.public_id), str(no_fare.public_id)])

    # 600 EUR + 7.5 days × 200 USD × 0.9 = 600 + 1350
    assert costs == {str(priced.public_id): 1950.0}


def test_no_budget_in_the_policy_leaves_everyone_to_the_flat_estimates(call):
    call.balance_policy.budget = None
    call.balance_policy.save()
    application = ApplicationFactory(call=call, support_requested=["airfare"])

    assert estimated_costs(call, [str(application.public_id)]) == {}


@time_machine.travel("2028-03-01 12:00Z")
def test_the_selection_uses_each_priced_cost_and_the_region_estimate_for_the_rest(
    call, settings, monkeypatch
):
    RegionTarget.objects.create(
        policy=call.balance_policy, region="latin_america", estimated_cost=Decimal("3000")
    )
    priced = ApplicationFactory(call=call, departure_country="SN", support_requested=["airfare"])
    unpriced = ApplicationFactory(
        call=call, departure_country="PE", region="latin_america", support_requested=["airfare"]
    )
    rows = [
        {
            "public_id": application.public_id,
            "calibrated": 1.0,
            "region": application.region,
            "gender": "woman",
            "status": "submitted",
        }
        for application in (priced, unpriced)
    ]
    monkeypatch.setattr("scholarships.services.ranking_for_call", lambda call: (rows, None, {}))

    costs = {c.key: c.cost for c in candidates_for_selection(call)}
    settings.SELECTION_COST_ESTIMATOR = ""
    flat = {c.key: c.cost for c in candidates_for_selection(call)}

    assert costs == {str(priced.public_id): 600.0, str(unpriced.public_id): 3000.0}
    assert flat == {str(priced.public_id): 3000.0, str(unpriced.public_id): 3000.0}


@time_machine.travel("2028-03-01 12:00Z")
def test_an_award_with_a_budget_costs_what_its_budget_commits(call):
    from payments.budgets import create_budget
    from tests.factories import UserFactory
    from tests.payments.factories import FundAllocationFactory, FundFactory, accepted_award

    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    award = accepted_award(call, covers=["registration"], departure_country="SN")
    create_budget(award, fund=fund, by=UserFactory(finance=True), priced_on=date(2028, 2, 1))

    costs = estimated_costs(call, [str(award.application.public_id)])

    # 750 USD of registration at 0.9 EUR
    assert costs == {str(award.application.public_id): 675.0}
