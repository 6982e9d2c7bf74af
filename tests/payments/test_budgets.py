"""Award budgets: estimated from the rates and the conference's dates, changed with a
reason, closed (what was not spent goes back to the fund), and what they commit."""

from datetime import date
from decimal import Decimal

import pytest
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.budgets import close_budget, create_budget, set_budget_line
from payments.enums import BudgetStatus, LedgerKind
from payments.errors import PaymentError
from payments.estimates import estimate_lines, per_diem_days, stay_for
from payments.models import AirfareEstimate, AwardBudget, LedgerEntry, TravelPolicy
from payments.queries import fund_balance
from tests.factories import CallFactory, UserFactory
from tests.payments.factories import (
    ExchangeRateFactory,
    FundAllocationFactory,
    FundFactory,
    PerDiemRateFactory,
    accepted_award,
)

pytestmark = pytest.mark.django_db

PRICED_ON = date(2028, 6, 1)
EVERYTHING = ["registration", "airfare", "accommodation", "per_diem", "visa"]


@pytest.fixture
def finance():
    return UserFactory(finance=True)


@pytest.fixture
def funded():
    """A call to a conference in Cape Town (23–28 July 2028), 8,000 of a 10,000 USD fund
    allocated to it, its travel policy, a fare from Senegal, rates."""
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("8000.00", "USD"))
    TravelPolicy.objects.create(
        call=call, nightly_rate=Money("120.00", "USD"), visa_fee=Money("60.00", "EUR")
    )
    AirfareEstimate.objects.create(call=call, country="SN", amount=Money("900.00", "EUR"))
    AirfareEstimate.objects.create(call=call, region="asia_pacific", amount=Money("1400.00", "USD"))
    PerDiemRateFactory(country="ZA", city="Cape Town", daily_rate=Money("285.00", "USD"))
    ExchangeRateFactory(
        from_currency="USD", to_currency="EUR", rate=Decimal("0.92"), valid_on=PRICED_ON
    )
    return call, fund


def test_per_diem_pays_75_percent_on_travel_days_and_less_when_lodging_is_paid(funded):
    call, _fund = funded
    policy = call.travel_policy
    stay = stay_for(call.conference, policy)

    assert (stay.arrival, stay.departure, stay.nights, stay.days) == (
        date(2028, 7, 22),
        date(2028, 7, 29),
        7,
        8,
    )
    plain = per_diem_days(stay, call.conference, policy, lodging_paid=False, meals_provided=False)
    lodged = per_diem_days(stay, call.conference, policy, lodging_paid=True, meals_provided=False)
    policy.meals_reduction = Decimal("0.2")
    fed = per_diem_days(stay, call.conference, policy, lodging_paid=False, meals_provided=True)

    # 0.75 + 6 × 1 + 0.75; lodging: 0.25 + 6 × 0.5 + 0.75 (no night after the last day);
    # meals on the six conference days: 7.5 − 6 × 0.2.
    assert (plain, lodged, fed) == (Decimal("7.5"), Decimal("4.0"), Decimal("6.3"))


def test_the_estimate_fills_each_line_in_its_currency_and_totals_in_the_fund_currency(
    funded, finance
):
    call, fund = funded
    award = accepted_award(call, covers=EVERYTHING, departure_country="SN", visa_needed="yes")

    budget = create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)

    lines = {line.kind: line for line in budget.lines.all()}
    assert {kind: (line.amount, line.amount_in_fund) for kind, line in lines.items()} == {
        "registration": (Money("750.00", "USD"), Money("750.00", "USD")),
        # 900 EUR at 1 / 0.92: one rounding, at the end.
        "airfare": (Money("900.00", "EUR"), Money("978.26", "USD")),
        "accommodation": (Money("840.00", "USD"), Money("840.00", "USD")),
        "per_diem": (Money("1140.00", "USD"), Money("1140.00", "USD")),
        "visa": (Money("60.00", "EUR"), Money("65.22", "USD")),
    }
    assert lines["airfare"].conversion["rate"].startswith("1.0869565217")
    assert lines["airfare"].conversion["inverted"] is True
    assert lines["airfare"].conversion["valid_on"] == "2028-06-01"
    assert lines["airfare"].conversion["source"] == "Test reference rate"
    assert lines["per_diem"].calculation.startswith("8 days × 285.00 USD, worth 4 days")
    assert budget.total == Money("3773.48", "USD")
    balance = fund_balance(fund)
    assert (balance.committed, balance.paid, balance.free) == (
        Money("3773.48", "USD"),
        Money("0.00", "USD"),
        Money("4226.52", "USD"),
    )
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.committed_change) == (
        LedgerKind.BUDGET_CREATED,
        Money("3773.48", "USD"),
    )


def test_a_missing_exchange_rate_is_a_clear_error_and_nothing_is_created(funded, finance):
    call, fund = funded
    award = accepted_award(call, covers=["airfare"], departure_country="SN")

    with pytest.raises(PaymentError) as refused:
        create_budget(award, fund=fund, by=finance, priced_on=date(2028, 5, 31))

    assert str(refused.value) == (
        "There is no exchange rate between EUR and USD valid on May 31, 2028. "
        "Enter or import one dated on or before that day."
    )
    assert not AwardBudget.objects.exists()


def test_lines_without_a_rate_are_left_at_zero_to_fill_in(funded, finance):
    call, fund = funded
    award = accepted_award(
        call, covers=["airfare", "insurance"], departure_country="BR", region="latin_america"
    )

    budget = create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)

    assert [(line.kind, line.amount, line.calculation) for line in budget.lines.all()] == [
        ("airfare", Money("0.00", "USD"), "no fare estimate from this country"),
        ("insurance", Money("0.00", "USD"), "no insurance cost set for the call"),
    ]


def test_a_region_fare_is_used_when_the_country_has_none(funded, finance):
    call, _fund = funded

    lines = estimate_lines(
        call, covers=["airfare"], departure_country="TH", region="asia_pacific", visa_needed="no"
    )

    assert [(line.kind, line.amount) for line in lines] == [("airfare", Money("1400.00", "USD"))]


def test_only_accepted_awards_from_an_allocated_fund_get_one_budget(funded, finance):
    call, fund = funded
    award = accepted_award(call, covers=["registration"])
    other_fund = FundFactory(amount=Money("500.00", "USD"))

    with pytest.raises(PaymentError, match="gives nothing to this call"):
        create_budget(award, fund=other_fund, by=finance, priced_on=PRICED_ON)
    create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)
    with pytest.raises(PaymentError, match="has a budget already"):
        create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)
    pending = accepted_award(call, covers=["registration"])
    pending.reply = ""
    pending.save()
    with pytest.raises(PaymentError, match="Only an accepted award"):
        create_budget(pending, fund=fund, by=finance, priced_on=PRICED_ON)
    with pytest.raises(PaymentError, match="Only finance"):
        create_budget(
            accepted_award(call), fund=fund, by=UserFactory(coordinator=True), priced_on=PRICED_ON
        )


def test_changing_a_line_needs_a_reason_and_moves_the_commitment(funded, finance):
    call, fund = funded
    award = accepted_award(call, covers=["registration", "airfare"], departure_country="SN")
    budget = create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)
    airfare = budget.lines.get(kind="airfare")

    with pytest.raises(PaymentError, match="Say why"):
        set_budget_line(
            budget,
            kind="airfare",
            line=airfare,
            amount=Money("1000", "EUR"),
            reason=" ",
            by=finance,
        )
    set_budget_line(
        budget,
        kind="airfare",
        line=airfare,
        amount=Money("920.00", "EUR"),
        reason="Quote from the travel agent",
        by=finance,
    )
    set_budget_line(
        budget,
        kind="other",
        amount=Money("25.00", "USD"),
        reason="Airport transfer",
        by=finance,
        description="Taxi",
    )

    budget.refresh_from_db()
    assert budget.total == Money("1775.00", "USD")  # 750 + 1000 (920 EUR) + 25
    entry = AuditEntry.objects.filter(action="budget.line_changed").order_by("pk").first()
    assert entry.data["reason"] == "Quote from the travel agent"
    assert (entry.data["from"], entry.data["to"], entry.data["in_fund"]) == (
        "900.00 EUR",
        "920.00 EUR",
        "1000.00 USD",
    )
    assert fund_balance(fund).committed == Money("1775.00", "USD")


def test_a_line_in_a_currency_with_no_rate_is_refused(funded, finance):
    call, fund = funded
    budget = create_budget(
        accepted_award(call, covers=["registration"]), fund=fund, by=finance, priced_on=PRICED_ON
    )

    with pytest.raises(PaymentError, match="no exchange rate between ZAR and USD"):
        set_budget_line(budget, kind="other", amount=Money("100", "ZAR"), reason="Taxi", by=finance)

    budget.refresh_from_db()
    assert budget.total == Money("750.00", "USD")


def test_closing_a_budget_releases_what_was_not_paid(funded, finance):
    call, fund = funded
    budget = create_budget(
        accepted_award(call, covers=["registration", "accommodation"]),
        fund=fund,
        by=finance,
        priced_on=PRICED_ON,
    )
    assert fund_balance(fund).committed == Money("1590.00", "USD")

    close_budget(budget, reason="visa_refused", note="Refused on 2 July", by=finance)

    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CLOSED
    balance = fund_balance(fund)
    assert (balance.committed, balance.free) == (Money("0.00", "USD"), Money("8000.00", "USD"))
    assert LedgerEntry.objects.filter(kind=LedgerKind.BUDGET_CLOSED).get().committed_change == (
        Money("-1590.00", "USD")
    )
    with pytest.raises(PaymentError, match="closed"):
        set_budget_line(budget, kind="other", amount=Money("1", "USD"), reason="x", by=finance)


def test_a_budget_beyond_the_calls_allocation_needs_an_override_with_a_reason(funded, finance):
    call, fund = funded
    FundAllocationFactory(call=CallFactory(), fund=fund, amount=Money("2000.00", "USD"))
    award = accepted_award(call, covers=["registration"])
    create_budget(award, fund=fund, by=finance, priced_on=PRICED_ON)
    # 750 of 8,000: ten budgets of 750 commit 7,500; the eleventh would make 8,250.
    for _number in range(9):
        create_budget(
            accepted_award(call, covers=["registration"]),
            fund=fund,
            by=finance,
            priced_on=PRICED_ON,
        )
    one_more = accepted_award(call, covers=["registration"])

    with pytest.raises(PaymentError) as refused:
        create_budget(one_more, fund=fund, by=finance, priced_on=PRICED_ON)
    assert str(refused.value) == (
        f"750.00 USD is more than this call has left of its allocation from {fund} "
        "(500.00 USD). Give a reason to override."
    )
    assert not AwardBudget.objects.filter(decision=one_more).exists()
    # The fund has 2,500 free, but 2,000 of it is another call's.
    assert fund_balance(fund).free == Money("2500.00", "USD")

    budget = create_budget(
        one_more, fund=fund, by=finance, priced_on=PRICED_ON, override_reason="Donor top-up agreed"
    )
    entry = LedgerEntry.objects.get(budget=budget)
    assert (entry.actor, entry.data["override_reason"]) == (finance, "Donor top-up agreed")
    audit = AuditEntry.objects.get(action="budget.created", object_id=str(budget.public_id))
    assert (audit.actor, audit.data["override_reason"]) == (finance, "Donor top-up agreed")


def test_raising_a_line_beyond_the_calls_allocation_needs_an_override(funded, finance):
    call, fund = funded
    budget = create_budget(
        accepted_award(call, covers=["registration"]), fund=fund, by=finance, priced_on=PRICED_ON
    )
    line = budget.lines.get()

    with pytest.raises(PaymentError, match=r"8001.00 USD is more than this call has left"):
        set_budget_line(
            budget,
            kind="registration",
            line=line,
            amount=Money("8001.00", "USD"),
            reason="Late fee",
            by=finance,
        )
    budget.refresh_from_db()
    assert budget.planned_total == Money("750.00", "USD")
    assert fund_balance(fund).free == Money("7250.00", "USD")

    set_budget_line(  # within the allocation: no reason needed
        budget,
        kind="registration",
        line=line,
        amount=Money("8000.00", "USD"),
        reason="Late fee",
        by=finance,
    )
    set_budget_line(
        budget,
        kind="other",
        amount=Money("10.00", "USD"),
        reason="Taxi",
        by=finance,
        override_reason="Donor agreed by email",
    )
    entry = LedgerEntry.objects.filter(kind=LedgerKind.BUDGET_CHANGED).order_by("pk").last()
    assert (entry.actor, entry.data["override_reason"]) == (finance, "Donor agreed by email")
    assert fund_balance(fund).free == Money("-10.00", "USD")
    # Lowering a line of an over-committed budget needs no reason.
    set_budget_line(
        budget,
        kind="registration",
        line=line,
        amount=Money("7000.00", "USD"),
        reason="Refund of the late fee",
        by=finance,
    )


def test_a_line_of_an_unknown_kind_is_refused_before_the_database(funded, finance):
    call, fund = funded
    budget = create_budget(
        accepted_award(call, covers=["registration"]), fund=fund, by=finance, priced_on=PRICED_ON
    )

    with pytest.raises(PaymentError) as refused:
        set_budget_line(
            budget, kind="champagne", amount=Money("10", "USD"), reason="Party", by=finance
        )
    assert str(refused.value) == "Choose what the line pays for."
    assert budget.lines.count() == 1
