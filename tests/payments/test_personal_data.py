"""Payments in the person's data: an awardee's budget and payments exported and, on
erasure, kept to the cent without free text or receipts; a finance user who moved
donors' money cannot be erased, and is told so before anything changes."""

import uuid
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from djmoney.money import Money

from accounts.models import User
from accounts.personal_data import ErasureRefused, erase_account, export_personal_data
from notifications.models import OutgoingEmail
from payments.budgets import create_budget, set_budget_line
from payments.disbursements import (
    approve_disbursement,
    pay_disbursement,
    reconcile_disbursement,
    request_disbursement,
)
from payments.enums import DisbursementStatus
from payments.models import AwardBudget, Disbursement, LedgerEntry
from scholarships.models import Application
from tests.factories import PASSWORD, CallFactory, UserFactory, queue_reset_email
from tests.helpers import sign_in
from tests.payments.factories import FundAllocationFactory, FundFactory, accepted_award

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "SENTINEL-awardee-bank-IBAN"


@pytest.fixture
def paid_award():
    """An awardee with a budget, a payment reconciled with its receipt and one requested;
    another awardee paid from the same fund; the two finance users who did it."""
    asks, approves = UserFactory(finance=True), UserFactory(finance=True)
    call = CallFactory()
    fund = FundFactory(amount=Money("10000.00", "USD"))
    FundAllocationFactory(fund=fund, call=call, amount=Money("5000.00", "USD"))
    mine = accepted_award(call, covers=["registration"])
    theirs = accepted_award(call, covers=["registration"])
    budget = create_budget(mine, fund=fund, by=asks, priced_on=date(2028, 6, 1))
    other_budget = create_budget(theirs, fund=fund, by=asks, priced_on=date(2028, 6, 1))
    set_budget_line(
        budget,
        kind="other",
        amount=Money("20.00", "USD"),
        reason="Taxi",
        description=f"Taxi to {SECRET}",
        by=asks,
    )
    payments = []
    for each, amount in ((budget, "300.00"), (other_budget, "400.00")):
        disbursement = request_disbursement(
            each,
            amount=Money(amount, "USD"),
            kind="registration",
            by=asks,
            idempotency_key=uuid.uuid4(),
            description=f"Fee for {SECRET}",
        )
        approve_disbursement(disbursement, by=approves)
        pay_disbursement(
            disbursement,
            by=approves,
            paid_on=date(2026, 11, 2),
            method="bank_transfer",
            reference=f"IBAN {SECRET}",
        )
        payments.append(disbursement)
    reconcile_disbursement(
        payments[0],
        receipt=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
        by=approves,
    )
    request_disbursement(
        budget,
        amount=Money("50.00", "USD"),
        kind="registration",
        by=asks,
        idempotency_key=uuid.uuid4(),
    )
    payments[0].refresh_from_db()
    return mine.application.applicant, budget, payments, (asks, approves)


def test_the_awardee_exports_their_budget_lines_and_payments_and_nobody_elses(paid_award):
    awardee, budget, _payments, staff = paid_award

    [exported] = export_personal_data(awardee)["payments"]

    assert exported["planned"] == "770.00 USD" and exported["paid"] == "300.00 USD"
    assert [(line["for"], line["amount"]) for line in exported["lines"]] == [
        ("Conference registration", "750.00 USD"),
        ("Other", "20.00 USD"),
    ]
    # What was paid: not the request still waiting, nor the other awardee's payment.
    assert exported["payments"] == [
        {
            "for": "Conference registration",
            "amount": "300.00 USD",
            "in_fund_currency": "300.00 USD",
            "paid_on": "2026-11-02",
            "method": "Bank transfer",
        }
    ]
    text = str(exported)
    assert "400.00" not in text
    assert not any(person.email in text or person.display_name in text for person in staff)


def test_erasing_an_awardee_keeps_the_money_without_free_text_or_receipts(
    paid_award, django_capture_on_commit_callbacks
):
    awardee, budget, payments, _staff = paid_award
    receipt = payments[0].receipt.name
    assert default_storage.exists(receipt)
    entries = LedgerEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        erase_account(awardee)

    assert not User.objects.filter(pk=awardee.pk).exists()
    mine = Disbursement.objects.get(pk=payments[0].pk)
    assert (mine.description, mine.reference, mine.receipt.name) == ("", "", "")
    assert (mine.amount, mine.status, mine.paid_on) == (
        Money("300.00", "USD"),
        DisbursementStatus.RECONCILED,
        date(2026, 11, 2),
    )
    assert not default_storage.exists(receipt)
    assert [line.description for line in AwardBudget.objects.get(pk=budget.pk).lines.all()] == [
        "",
        "",
    ]
    assert AwardBudget.objects.get(pk=budget.pk).paid_total == Money("300.00", "USD")
    theirs = Disbursement.objects.get(pk=payments[1].pk)
    assert SECRET in theirs.description and SECRET in theirs.reference
    assert LedgerEntry.objects.count() == entries


def test_a_finance_user_who_approved_a_payment_is_told_their_account_cannot_be_erased(
    client, paid_award
):
    _awardee, _budget, _payments, (_asks, approves) = paid_award
    queue_reset_email(approves)
    sign_in(client, approves)

    response = client.post(reverse("accounts:delete-account"), {"password": PASSWORD}, follow=True)

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "You handled donors' money in the portal (budgets, disbursements or the ledger), "
        "and the finance records must keep who did what: this account cannot be erased. "
        "Ask the portal's administrators to close it."
    ]
    # Nothing erased, and still signed in.
    assert User.objects.filter(pk=approves.pk).exists()
    assert OutgoingEmail.objects.filter(user=approves).exists()
    assert client.get(reverse("accounts:profile")).status_code == 200
    with pytest.raises(ErasureRefused):
        erase_account(approves)
    assert User.objects.filter(pk=approves.pk).exists()


def test_the_erasure_service_refuses_before_it_changes_anything(paid_award):
    """The requester is also an applicant: their application stays as it is."""
    _awardee, _budget, _payments, (asks, _approves) = paid_award
    application = accepted_award(CallFactory(), applicant=asks).application

    with pytest.raises(ErasureRefused, match="cannot be erased"):
        erase_account(asks)

    kept = Application.objects.get(pk=application.pk)
    assert (kept.applicant, kept.anonymised_at) == (asks, None)
