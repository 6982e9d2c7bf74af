"""Disbursements: four eyes, paid once, never beyond the award or the fund without a
recorded override, and every step in the ledger."""

import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from djmoney.money import Money

from accounts.audit import AuditEntry
from payments.budgets import close_budget, create_budget
from payments.disbursements import (
    approve_disbursement,
    cancel_disbursement,
    pay_disbursement,
    reconcile_disbursement,
    request_disbursement,
)
from payments.enums import DisbursementStatus, LedgerKind
from payments.errors import PaymentError
from payments.ledger import add_up_budgets, check_ledger
from payments.models import AwardBudget, BudgetTotal, Disbursement, LedgerEntry
from payments.queries import fund_balance, fund_balances
from tests.factories import CallFactory, UserFactory
from tests.helpers import race
from tests.payments.factories import (
    ExchangeRateFactory,
    FundAllocationFactory,
    FundFactory,
    accepted_award,
)

pytestmark = pytest.mark.django_db

PRICED_ON = date(2028, 6, 1)
PAID_ON = date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people():
    return UserFactory(finance=True), UserFactory(finance=True)


def make_budget(fund, call, by, covers=("registration",), **kwargs):
    """A budget of 750 USD (the conference's registration fee) for a new accepted award."""
    return create_budget(
        accepted_award(call, covers=list(covers)), fund=fund, by=by, priced_on=PRICED_ON, **kwargs
    )


@pytest.fixture
def budget(people):
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    return make_budget(fund, call, people[0])


def request(budget, by, amount="300.00", currency="USD", **kwargs):
    kwargs.setdefault("idempotency_key", uuid.uuid4())
    return request_disbursement(
        budget, amount=Money(amount, currency), kind="registration", by=by, **kwargs
    )


def test_a_disbursement_goes_from_request_to_reconciled_with_a_ledger_entry_each_time(
    budget, people
):
    asks, approves = people

    disbursement = request(budget, asks)
    approve_disbursement(disbursement, by=approves)
    pay_disbursement(
        disbursement, by=asks, paid_on=PAID_ON, method="mobile_money", reference="MP-2231"
    )
    receipt = SimpleUploadedFile("M-Pesa receipt Amina.pdf", PDF, content_type="application/pdf")
    reconcile_disbursement(disbursement, receipt=receipt, by=approves)

    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.RECONCILED
    assert disbursement.receipt.name.startswith("receipts/")
    assert "Amina" not in disbursement.receipt.name
    assert list(LedgerEntry.objects.order_by("pk").values_list("kind", "paid_change", "actor")) == [
        (LedgerKind.BUDGET_CREATED, Decimal("0.00"), asks.pk),
        (LedgerKind.REQUESTED, Decimal("0.00"), asks.pk),
        (LedgerKind.APPROVED, Decimal("0.00"), approves.pk),
        (LedgerKind.PAID, Decimal("300.00"), asks.pk),
        (LedgerKind.RECONCILED, Decimal("0.00"), approves.pk),
    ]
    balance = fund_balance(budget.fund)
    assert (balance.committed, balance.paid, balance.free) == (
        Money("750.00", "USD"),
        Money("300.00", "USD"),
        Money("4250.00", "USD"),
    )


def test_the_requester_cannot_approve_their_own_request(budget, people):
    asks, _approves = people
    disbursement = request(budget, asks)

    with pytest.raises(PaymentError, match="another finance administrator approves it"):
        approve_disbursement(disbursement, by=asks)

    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.REQUESTED


def test_the_database_refuses_an_approval_by_the_requester(budget, people):
    asks, _approves = people
    disbursement = request(budget, asks)

    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=disbursement.pk).update(
            status=DisbursementStatus.APPROVED, approved_by=asks
        )


@pytest.mark.parametrize(
    "change",
    [
        {"amount": Decimal("0")},
        {"amount": Decimal("-5")},
        {"amount_in_fund": Decimal("0")},
        {"status": "refunded"},
        {"status": DisbursementStatus.APPROVED},  # without an approver
        {"status": DisbursementStatus.CANCELLED},  # without a reason
        {"override_reason": "", "override_by": 1},
    ],
)
def test_the_database_refuses_impossible_disbursements(budget, people, change):
    disbursement = request(budget, people[0])
    if "override_by" in change:
        change["override_by"] = people[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=disbursement.pk).update(**change)


def test_the_database_keeps_one_live_disbursement_per_key(budget, people):
    first = request(budget, people[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            budget=budget,
            fund=budget.fund,
            kind="other",
            amount=Money("1.00", "USD"),
            amount_in_fund=Money("1.00", "USD"),
            idempotency_key=first.idempotency_key,
            requested_by=people[0],
        )


def test_a_second_click_with_the_same_key_makes_one_disbursement(budget, people):
    key = uuid.uuid4()

    first = request(budget, people[0], idempotency_key=key)
    second = request(budget, people[0], idempotency_key=key)

    assert first.pk == second.pk
    assert Disbursement.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerKind.REQUESTED).count() == 1


def test_a_cancelled_request_frees_its_key_and_its_money(budget, people):
    key = uuid.uuid4()
    first = request(budget, people[0], amount="750.00", idempotency_key=key)

    cancel_disbursement(first, reason="Wrong amount", by=people[1])
    again = request(budget, people[0], amount="700.00", idempotency_key=key)

    assert again.pk != first.pk
    with pytest.raises(PaymentError, match="paid already|cannot become"):
        pay_disbursement(first, by=people[1], paid_on=PAID_ON, method="cash_on_site")
    with pytest.raises(PaymentError, match="Say why"):
        cancel_disbursement(again, reason="", by=people[1])


def test_paying_twice_pays_once(budget, people):
    disbursement = request(budget, people[0])
    approve_disbursement(disbursement, by=people[1])
    pay_disbursement(disbursement, by=people[1], paid_on=PAID_ON, method="bank_transfer")

    with pytest.raises(PaymentError, match="paid already"):
        pay_disbursement(disbursement, by=people[1], paid_on=PAID_ON, method="bank_transfer")

    assert fund_balance(budget.fund).paid == Money("300.00", "USD")


def test_money_is_paid_only_once_approved(budget, people):
    disbursement = request(budget, people[0])

    with pytest.raises(PaymentError, match="requested cannot become paid"):
        pay_disbursement(disbursement, by=people[1], paid_on=PAID_ON, method="bank_transfer")


def test_beyond_the_award_budget_needs_an_override_with_a_reason(budget, people):
    asks, approves = people
    request(budget, asks, amount="700.00")

    with pytest.raises(PaymentError) as refused:
        request(budget, asks, amount="50.01")
    assert str(refused.value) == (
        "50.01 USD is more than allowed: the award has 50.00 USD left in its budget. "
        "Give a reason to override."
    )
    over = request(budget, asks, amount="80.00", override_reason="Late registration fee")

    assert (over.override_by, over.override_reason) == (asks, "Late registration fee")
    approve_disbursement(over, by=approves, override_reason="Fee confirmed by the organisers")
    # The approver's override covers the payment of what they approved.
    pay_disbursement(over, by=approves, paid_on=PAID_ON, method="purchased")
    budget.refresh_from_db()
    assert (budget.planned_total, budget.paid_total, budget.committed_total) == (
        Money("750.00", "USD"),
        Money("80.00", "USD"),
        Money("750.00", "USD"),
    )


def test_an_approval_beyond_the_fund_needs_an_override(people):
    asks, approves = people
    call = CallFactory()
    fund = FundFactory(amount=Money("1000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("1000.00", "USD"))
    first = make_budget(fund, call, asks)
    second = make_budget(fund, call, asks, override_reason="Second awardee, donor agreed")
    one, two = request(first, asks, amount="600.00"), request(second, asks, amount="600.00")
    approve_disbursement(one, by=approves)

    with pytest.raises(PaymentError, match="the fund has 400.00 USD left to pay out"):
        approve_disbursement(two, by=approves)
    approve_disbursement(two, by=approves, override_reason="Donor agreed by email on 3 June")

    two.refresh_from_db()
    assert (two.status, two.approval_override_by) == (DisbursementStatus.APPROVED, approves)
    assert two.approval_override_reason == "Donor agreed by email on 3 June"
    assert (two.override_by, two.override_reason) == (None, "")


def test_a_disbursement_in_another_currency_is_converted_with_the_rate_of_each_day(budget, people):
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("130.00"), valid_on=date(2026, 10, 1)
    )
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("125.00"), valid_on=PAID_ON
    )

    disbursement = request(budget, people[0], amount="13000", currency="KES", on=date(2026, 10, 5))
    assert disbursement.amount_in_fund == Money("100.00", "USD")
    approve_disbursement(disbursement, by=people[1])
    pay_disbursement(disbursement, by=people[1], paid_on=PAID_ON, method="mobile_money")

    disbursement.refresh_from_db()
    # What left the fund: 13,000 KES at the rate of the day it was paid.
    assert disbursement.amount == Money("13000.00", "KES")
    assert disbursement.amount_in_fund == Money("104.00", "USD")
    assert disbursement.conversion["valid_on"] == PAID_ON.isoformat()
    assert fund_balance(budget.fund).paid == Money("104.00", "USD")


def test_a_missing_rate_refuses_the_request(budget, people):
    with pytest.raises(PaymentError, match="no exchange rate between XOF and USD"):
        request(budget, people[0], amount="50000", currency="XOF")
    assert not Disbursement.objects.exists()


def test_a_no_show_keeps_the_ticket_spent_and_releases_the_rest(people):
    asks, approves = people
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    budget = make_budget(fund, call, asks)
    ticket = request(budget, asks, amount="400.00")
    approve_disbursement(ticket, by=approves)
    pay_disbursement(ticket, by=approves, paid_on=PAID_ON, method="purchased", reference="TK-1")
    per_diem = request(budget, asks, amount="200.00")
    approve_disbursement(per_diem, by=approves)

    close_budget(budget, reason="no_show", by=approves)

    per_diem.refresh_from_db()
    assert per_diem.status == DisbursementStatus.CANCELLED
    balance = fund_balance(fund)
    assert (balance.committed, balance.paid, balance.free, balance.available) == (
        Money("400.00", "USD"),
        Money("400.00", "USD"),
        Money("4600.00", "USD"),
        Money("9600.00", "USD"),
    )
    with pytest.raises(PaymentError, match="closed"):
        request(AwardBudget.objects.get(pk=budget.pk), asks, amount="1.00")


def test_only_finance_moves_money(budget, people):
    coordinator = UserFactory(coordinator=True)

    with pytest.raises(PaymentError, match="Only finance"):
        request(budget, coordinator)
    disbursement = request(budget, people[0])
    with pytest.raises(PaymentError, match="Only finance"):
        approve_disbursement(disbursement, by=coordinator)


def test_the_ledger_cannot_be_changed_or_deleted(budget):
    entry = LedgerEntry.objects.get()

    with pytest.raises(PaymentError):
        LedgerEntry.objects.filter(pk=entry.pk).update(data={"x": 1})
    with pytest.raises(PaymentError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(PaymentError):
        entry.delete()
    entry.data = {"x": 1}
    with pytest.raises(PaymentError):
        entry.save()


def test_check_ledger_finds_a_tampered_total(budget):
    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        AwardBudget.objects.filter(pk=budget.pk).update(committed_total=Decimal("700.00"))
        problems = check_ledger()
        raise Rollback

    group = f"Fund {budget.fund_id}, call {budget.call_id}, region {budget.region}"
    assert problems == [
        f"Budget {budget.pk}: committed 700.00 USD is wrong.",
        f"{group}: the budgets do not add up to their total (awards, planned, committed, paid).",
        f"Fund {budget.fund_id}: the ledger's committed is 750.00 USD, the budgets' 700.00 USD.",
        # The balance reads the fund's BudgetTotal, which the tampering did not change.
        f"Fund {budget.fund_id}: the balance's committed disagrees.",
    ]


def test_check_ledger_finds_budgets_whose_total_is_missing_or_changed(budget):
    class Rollback(Exception):
        pass

    group = f"Fund {budget.fund_id}, call {budget.call_id}, region {budget.region}"
    with pytest.raises(Rollback), transaction.atomic():
        BudgetTotal.objects.update(awards=2)
        counted_twice = check_ledger()
        BudgetTotal.objects.update(awards=1, paid_currency="EUR")
        in_euros = check_ledger()
        BudgetTotal.objects.all().delete()
        missing = check_ledger()
        raise Rollback

    assert counted_twice == [
        f"{group}: the budgets do not add up to their total (awards, planned, committed, paid)."
    ]
    assert in_euros == [
        counted_twice[0],
        f"Fund {budget.fund_id} has amounts in another currency than its own.",
    ]
    assert missing == [
        f"{group}: budgets without a total.",
        f"Fund {budget.fund_id}: the balance's committed disagrees.",
    ]


def test_the_budget_totals_follow_each_budget_and_add_up_budgets_makes_them_anew(budget, people):
    asks, approves = people
    second = make_budget(budget.fund, budget.call, asks)
    disbursement = request(second, asks)
    approve_disbursement(disbursement, by=approves)
    pay_disbursement(disbursement, by=asks, paid_on=PAID_ON, method="mobile_money")
    close_budget(second, reason="no_show", by=asks)

    def totals():
        return list(
            BudgetTotal.objects.values_list(
                "fund", "call", "region", "awards", "planned", "committed", "paid", "paid_currency"
            )
        )

    kept = totals()
    add_up_budgets()

    assert kept == [
        (
            budget.fund_id,
            budget.call_id,
            budget.region,
            2,
            Decimal("1500.00"),
            Decimal("1050.00"),  # 750 open, 300 paid of the closed budget's 750
            Decimal("300.00"),
            "USD",
        )
    ]
    assert totals() == kept


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot hold concurrent writers")


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_payments_pay_once():
    """Real concurrent connections, on PostgreSQL: the row locks decide."""
    needs_postgresql()
    asks, approves = UserFactory(finance=True), UserFactory(finance=True)
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    disbursement = request(make_budget(fund, call, asks), asks, amount="300.00")
    approve_disbursement(disbursement, by=approves)

    paid, refused = race(
        20,
        lambda index: pay_disbursement(
            disbursement, by=approves, paid_on=PAID_ON, method="bank_transfer"
        ),
        refused=PaymentError,
    )

    assert (len(paid), len(refused)) == (1, 19)
    assert {str(error) for error in refused} == {"This disbursement is paid already."}
    assert LedgerEntry.objects.filter(kind=LedgerKind.PAID).count() == 1
    assert fund_balance(fund).paid == Money("300.00", "USD")


@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_money_of_a_fund_cannot_both_pass():
    needs_postgresql()
    asks, approves = UserFactory(finance=True), UserFactory(finance=True)
    call = CallFactory()
    fund = FundFactory(amount=Money("1000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("1000.00", "USD"))
    budgets = [make_budget(fund, call, asks, override_reason="Two awardees") for _ in range(2)]
    requests = [request(budget, asks, amount="600.00") for budget in budgets]

    approved, refused = race(
        2, lambda index: approve_disbursement(requests[index], by=approves), refused=PaymentError
    )

    assert (len(approved), len(refused)) == (1, 1)
    assert "left to pay out" in str(refused[0])
    assert fund_balance(fund).available == Money("400.00", "USD")


@pytest.mark.django_db(transaction=True)
def test_twenty_replays_of_one_request_make_one_disbursement():
    needs_postgresql()
    asks = UserFactory(finance=True)
    call = CallFactory()
    fund = FundFactory(amount=Money("1000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("1000.00", "USD"))
    budget = make_budget(fund, call, asks)
    key = uuid.uuid4()

    made, _refused = race(
        20, lambda index: request(budget, asks, idempotency_key=key), refused=PaymentError
    )

    assert len({disbursement.pk for disbursement in made}) == 1
    assert Disbursement.objects.count() == 1


ACTIONS = {
    DisbursementStatus.APPROVED: lambda d, people: approve_disbursement(d, by=people[1]),
    DisbursementStatus.PAID: lambda d, people: pay_disbursement(
        d, by=people[1], paid_on=PAID_ON, method="bank_transfer"
    ),
    DisbursementStatus.RECONCILED: lambda d, people: reconcile_disbursement(
        d,
        receipt=SimpleUploadedFile("r.pdf", PDF, content_type="application/pdf"),
        by=people[1],
    ),
    DisbursementStatus.CANCELLED: lambda d, people: cancel_disbursement(
        d, reason="Test", by=people[1]
    ),
}
PATHS = {
    DisbursementStatus.REQUESTED: [],
    DisbursementStatus.APPROVED: [DisbursementStatus.APPROVED],
    DisbursementStatus.PAID: [DisbursementStatus.APPROVED, DisbursementStatus.PAID],
    DisbursementStatus.RECONCILED: [
        DisbursementStatus.APPROVED,
        DisbursementStatus.PAID,
        DisbursementStatus.RECONCILED,
    ],
    DisbursementStatus.CANCELLED: [DisbursementStatus.CANCELLED],
}


@pytest.mark.parametrize("start", list(DisbursementStatus))
@pytest.mark.parametrize("to", list(ACTIONS))
def test_every_pair_of_states_follows_the_transitions(budget, people, start, to):
    from payments.enums import DISBURSEMENT_TRANSITIONS

    disbursement = request(budget, people[0])
    for step in PATHS[start]:
        ACTIONS[step](disbursement, people)

    if to in DISBURSEMENT_TRANSITIONS[start]:
        ACTIONS[to](disbursement, people)
        disbursement.refresh_from_db()
        assert disbursement.status == to
    else:
        with pytest.raises(PaymentError):
            ACTIONS[to](disbursement, people)
        disbursement.refresh_from_db()
        assert disbursement.status == start


def test_money_in_two_currencies_is_never_added(budget):
    from payments.ledger import in_currency, set_totals
    from payments.money import totals_by_currency

    with pytest.raises(PaymentError, match="in EUR, not only in the fund's USD"):
        in_currency({"USD": Money("1", "USD"), "EUR": Money("1", "EUR")}, "USD", "The award")
    with pytest.raises(PaymentError, match="in its fund's currency"):
        set_totals(budget, kind=LedgerKind.BUDGET_CHANGED, actor=None, planned=Money("1", "EUR"))

    class Rollback(Exception):
        pass

    # A budget and its fund's total written in another currency, by SQL: a sum would
    # hide it.
    with pytest.raises(Rollback), transaction.atomic():
        AwardBudget.objects.filter(pk=budget.pk).update(committed_total_currency="EUR")
        BudgetTotal.objects.update(committed_currency="EUR")
        assert totals_by_currency(AwardBudget.objects.all(), "committed_total") == {
            "EUR": Money("750.00", "EUR")
        }
        with pytest.raises(PaymentError, match="another currency"):
            fund_balances()
        raise Rollback


def test_a_payment_saves_its_converted_amount_with_the_currency(budget, people):
    ExchangeRateFactory(
        from_currency="USD", to_currency="ZAR", rate=Decimal("18.00"), valid_on=date(2026, 1, 1)
    )
    disbursement = request(budget, people[0], amount="1800.00", currency="ZAR")
    approve_disbursement(disbursement, by=people[1])

    pay_disbursement(disbursement, by=people[1], paid_on=PAID_ON, method="cash_on_site")

    stored = Disbursement.objects.get(pk=disbursement.pk)
    assert (stored.amount, stored.amount_in_fund) == (
        Money("1800.00", "ZAR"),
        Money("100.00", "USD"),
    )


def test_the_check_ledger_command_says_whether_the_ledger_adds_up(budget, capsys):
    from django.core.management import CommandError, call_command

    call_command("check_ledger")
    assert capsys.readouterr().out == "The ledger adds up.\n"

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        AwardBudget.objects.filter(pk=budget.pk).update(paid_total=Decimal("1.00"))
        with pytest.raises(CommandError, match="disbursements paid 0.00 USD, recorded 1.00 USD"):
            call_command("check_ledger")
        raise Rollback


def test_a_rate_move_before_payment_beyond_the_budget_needs_the_payers_reason(budget, people):
    asks, approves = people
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("130.00"), valid_on=date(2026, 10, 1)
    )
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("100.00"), valid_on=PAID_ON
    )
    # 97,500 KES is the whole budget (750 USD) on the day it is asked for and approved…
    disbursement = request(budget, asks, amount="97500", currency="KES", on=date(2026, 10, 5))
    assert disbursement.amount_in_fund == Money("750.00", "USD")
    approve_disbursement(disbursement, by=approves)

    # …and 975 USD on the day it is paid: more than the award's budget.
    with pytest.raises(PaymentError) as refused:
        pay_disbursement(disbursement, by=approves, paid_on=PAID_ON, method="mobile_money")
    assert "975.00 USD is more than allowed: the award has 750.00 USD left in its budget" in str(
        refused.value
    )
    assert "Give a reason to override." in str(refused.value)
    disbursement.refresh_from_db()
    assert (disbursement.status, disbursement.amount_in_fund) == (
        DisbursementStatus.APPROVED,
        Money("750.00", "USD"),
    )
    assert not LedgerEntry.objects.filter(kind=LedgerKind.PAID).exists()

    pay_disbursement(
        disbursement,
        by=approves,
        paid_on=PAID_ON,
        method="mobile_money",
        override_reason="The shilling fell; the awardee is already travelling",
    )
    disbursement.refresh_from_db()
    assert disbursement.status == DisbursementStatus.PAID
    assert (disbursement.payment_override_by, disbursement.payment_override_reason) == (
        approves,
        "The shilling fell; the awardee is already travelling",
    )
    entry = LedgerEntry.objects.get(kind=LedgerKind.PAID)
    assert (entry.actor, entry.data["override"], entry.data["override_reason"]) == (
        approves,
        True,
        "The shilling fell; the awardee is already travelling",
    )
    assert AuditEntry.objects.get(action="disbursement.paid").data["override_reason"] == (
        "The shilling fell; the awardee is already travelling"
    )
    budget.refresh_from_db()
    assert (budget.paid_total, budget.committed_total) == (
        Money("975.00", "USD"),
        Money("975.00", "USD"),
    )


def test_an_approvers_override_does_not_cover_what_a_rate_adds_before_payment(budget, people):
    asks, approves = people
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("100.00"), valid_on=date(2026, 10, 1)
    )
    ExchangeRateFactory(
        from_currency="USD", to_currency="KES", rate=Decimal("80.00"), valid_on=PAID_ON
    )
    disbursement = request(
        budget, asks, amount="80000", currency="KES", on=date(2026, 10, 5), override_reason="Visa"
    )
    approve_disbursement(disbursement, by=approves, override_reason="Visa fee rose")

    with pytest.raises(PaymentError, match="1000.00 USD is more than allowed"):
        pay_disbursement(disbursement, by=approves, paid_on=PAID_ON, method="mobile_money")
    assert Disbursement.objects.get(pk=disbursement.pk).status == DisbursementStatus.APPROVED


def test_the_approver_cannot_inherit_the_requesters_override(budget, people):
    asks, approves = people
    over = request(budget, asks, amount="800.00", override_reason="Late registration fee")

    with pytest.raises(PaymentError) as refused:
        approve_disbursement(over, by=approves)
    assert str(refused.value) == (
        "800.00 USD is more than allowed: the award has 750.00 USD left in its budget. "
        "Give a reason to override. "
        "The requester's reason is theirs: the approver gives their own."
    )
    assert Disbursement.objects.get(pk=over.pk).status == DisbursementStatus.REQUESTED
    with pytest.raises(PaymentError):
        approve_disbursement(over, by=approves, override_reason="   ")

    approve_disbursement(over, by=approves, override_reason="Organisers confirmed the fee")
    over.refresh_from_db()
    # Two people, two reasons, each kept with its author.
    assert (over.override_by, over.override_reason) == (asks, "Late registration fee")
    assert (over.approval_override_by, over.approval_override_reason) == (
        approves,
        "Organisers confirmed the fee",
    )
    entry = LedgerEntry.objects.get(kind=LedgerKind.APPROVED)
    assert (entry.actor, entry.data["override_reason"]) == (
        approves,
        "Organisers confirmed the fee",
    )
    audit = AuditEntry.objects.get(action="disbursement.approved")
    assert (audit.actor, audit.data["override_reason"]) == (
        approves,
        "Organisers confirmed the fee",
    )


def test_the_database_refuses_an_approvers_override_without_a_reason(budget, people):
    disbursement = request(budget, people[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=disbursement.pk).update(approval_override_by=people[1])


def test_beyond_the_award_budget_the_calls_allocation_is_a_limit_too(people):
    asks, approves = people
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("800.00", "USD"))
    budget = make_budget(fund, call, asks)  # 750 of the call's 800

    with pytest.raises(PaymentError) as refused:
        request(budget, asks, amount="900.00")
    assert str(refused.value) == (
        "900.00 USD is more than allowed: the award has 750.00 USD left in its budget; "
        "the call has 800.00 USD left of its allocation from this fund. "
        "Give a reason to override."
    )
    request(budget, asks, amount="790.00", override_reason="Fee rose")  # within the call's
    assert Disbursement.objects.get().override_reason == "Fee rose"


def test_a_total_in_another_currency_is_refused_with_a_translated_message(
    budget, people, monkeypatch
):
    """The message goes through gettext whole, with named placeholders (a translator may
    reorder them), and so does the name of what holds the amounts."""
    from payments import disbursements, ledger

    asked = []

    def gettext(message):
        asked.append(message)
        return f"«{message}»"

    monkeypatch.setattr(ledger, "_", gettext)
    monkeypatch.setattr(disbursements, "_", gettext)
    # A payment recorded in euros in a dollar fund: the services never do this.
    paid = request(budget, people[0])
    Disbursement.objects.filter(pk=paid.pk).update(amount_in_fund_currency="EUR")

    with pytest.raises(PaymentError) as refused:
        request(budget, people[0], amount="1.00")
    # gettext was asked for the sentence with its named placeholders, then filled in.
    assert "%(what)s has amounts in %(others)s, not only in the fund's %(currency)s." in asked
    assert "The award" in asked
    assert str(refused.value) == "««The award» has amounts in EUR, not only in the fund's USD.»"
    Disbursement.objects.filter(pk=paid.pk).update(amount_in_fund_currency="USD")


def test_a_fund_balance_adds_up_paid_approved_and_requested_money_in_four_queries(
    budget, people, django_assert_num_queries
):
    asks, approves = people
    paid = request(budget, asks, amount="100.00")
    approve_disbursement(paid, by=approves)
    pay_disbursement(paid, by=asks, paid_on=PAID_ON, method="mobile_money")
    approve_disbursement(request(budget, asks, amount="200.00"), by=approves)
    request(budget, asks, amount="300.00")  # requested: holds nothing yet
    for _ in range(3):
        make_budget(budget.fund, budget.call, asks)

    with django_assert_num_queries(4):  # the funds, their allocations, totals and approvals
        [balance] = fund_balances()

    assert (balance.committed, balance.budgeted, balance.paid, balance.reserved) == (
        Money("3000.00", "USD"),  # four budgets of 750
        Money("3000.00", "USD"),
        Money("100.00", "USD"),
        Money("300.00", "USD"),  # paid, and approved to pay
    )
    assert balance.available == Money("9700.00", "USD")


@pytest.mark.django_db(transaction=True)
def test_check_ledger_reads_one_snapshot_while_money_moves(budget, people, monkeypatch):
    needs_postgresql()
    from payments import ledger

    asks, approves = people
    disbursement = request(budget, asks)
    approve_disbursement(disbursement, by=approves)
    reading, paid = threading.Event(), threading.Event()
    read_totals = ledger._total_problems

    def pause_before_the_totals(funds, added_up):
        reading.set()
        paid.wait(10)
        return read_totals(funds, added_up)

    monkeypatch.setattr(ledger, "_total_problems", pause_before_the_totals)
    found = []

    def check():
        try:
            found.append(check_ledger())
        finally:
            connection.close()

    thread = threading.Thread(target=check)
    thread.start()
    assert reading.wait(10)
    # Paid, and committed, while the check has read the budgets but not their totals.
    pay_disbursement(disbursement, by=asks, paid_on=PAID_ON, method="mobile_money")
    paid.set()
    thread.join(10)

    assert found == [[]]
    monkeypatch.undo()
    assert BudgetTotal.objects.get().paid == Money("300.00", "USD")
