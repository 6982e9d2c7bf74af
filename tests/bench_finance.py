"""`make bench`: the finance reports and balances with 2,000 award budgets (three lines
each, in two funds of two currencies, a paid disbursement on every other one), on a
temporary SQLite database. Target: each report under 200 ms. Prints figures; asserts
nothing.
"""

import os
import shutil
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

AWARDS = 2000


def seed():
    from django.utils import timezone
    from djmoney.money import Money

    from accounts.models import User
    from payments.ledger import add_up_budgets
    from payments.models import AwardBudget, BudgetLine, Disbursement, LedgerEntry
    from scholarships.enums import ApplicationStatus, Coverage, Outcome, Reply
    from scholarships.models import Application, Decision
    from tests.factories import CallFactory
    from tests.payments.factories import FundAllocationFactory, FundFactory

    call = CallFactory(number_of_awards=AWARDS)
    funds = [
        FundFactory(amount=Money("5000000.00", "USD")),
        FundFactory(amount=Money("5000000.00", "EUR")),
    ]
    for fund in funds:
        FundAllocationFactory(
            fund=fund, call=call, amount=Money("4000000.00", fund.amount.currency)
        )
    finance = User.objects.create(email="bench-finance@example.org", is_finance=True)
    approver = User.objects.create(email="bench-approver@example.org", is_finance=True)
    users = User.objects.bulk_create(
        User(email=f"bench-{n}@example.org", display_name=f"B{n}") for n in range(AWARDS)
    )
    regions = ["africa", "asia_pacific", "europe", "latin_america", "north_america_caribbean"]
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            applicant=user,
            status=ApplicationStatus.AWARDED,
            submitted_at=now,
            region=regions[n % 5],
        )
        for n, user in enumerate(users)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            application=application,
            outcome=Outcome.AWARD,
            coverage=Coverage.FULL,
            reply_by=now.date(),
            reply=Reply.ACCEPTED,
        )
        for application in applications
    )
    # bulk_create writes each money field's currency column (bulk_update would not).
    budgets = []
    for n, decision in enumerate(decisions):
        fund = funds[n % 2]
        code = fund.amount.currency.code
        paid = Money("400.00" if n % 4 < 2 else "0.00", code)
        budgets.append(
            AwardBudget(
                decision=decision,
                fund=fund,
                call=call,
                region=decision.application.region,
                priced_on=date(2028, 6, 1),
                planned_total=Money("2400.00", code),
                paid_total=paid,
                committed_total=Money("2400.00", code),
                created_by=finance,
            )
        )
    budgets = AwardBudget.objects.bulk_create(budgets)
    lines, entries, disbursements = [], [], []
    for n, budget in enumerate(budgets):
        code = budget.planned_total.currency.code
        for kind in ("registration", "airfare", "per_diem"):
            money = Money("800.00", code)
            lines.append(
                BudgetLine(
                    budget=budget, kind=kind, unit_amount=money, amount=money, amount_in_fund=money
                )
            )
        entries.append(
            LedgerEntry(
                kind="budget_created",
                fund_id=budget.fund_id,
                budget=budget,
                committed_change=budget.planned_total,
                paid_change=Money(0, code),
                actor=finance,
            )
        )
        if budget.paid_total.amount:
            disbursements.append(
                Disbursement(
                    budget=budget,
                    fund_id=budget.fund_id,
                    kind="airfare",
                    amount=budget.paid_total,
                    amount_in_fund=budget.paid_total,
                    status="paid",
                    idempotency_key=uuid.uuid4(),
                    requested_by=finance,
                    approved_by=approver,
                    paid_by=approver,
                    paid_on=date(2026, 11, 2),
                    method="bank_transfer",
                )
            )
            entries.append(
                LedgerEntry(
                    kind="paid",
                    fund_id=budget.fund_id,
                    budget=budget,
                    committed_change=Money(0, code),
                    paid_change=budget.paid_total,
                    actor=approver,
                )
            )
    BudgetLine.objects.bulk_create(lines)
    Disbursement.objects.bulk_create(disbursements)
    LedgerEntry.objects.bulk_create(entries)
    add_up_budgets()  # the finance reports read the totals that the services would keep


def timed(label, action, repeat=5):
    from django.db import connection, reset_queries

    action()  # warm-up
    times = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    queries = len(connection.queries)
    print(f"  {label:38} {min(times) * 1000:7.1f} ms (best of {repeat}), {queries} queries")


def main():
    workdir = Path(tempfile.mkdtemp(prefix="scholarships-bench-finance-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["PRIVATE_STORAGE_ROOT"] = str(workdir / "private")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        call_command("migrate", verbosity=0)
        from payments.ledger import check_ledger
        from payments.queries import finance_report, fund_balances

        started = time.monotonic()
        seed()
        print(
            f"Finance with {AWARDS:,} award budgets (seeded in {time.monotonic() - started:.1f} s):"
        )
        settings.DEBUG = True  # count queries
        for group in ("fund", "call", "region"):
            timed(f"report per {group}", lambda group=group: finance_report(group))
        timed("fund balances", fund_balances)
        timed("check_ledger (every budget, to the cent)", check_ledger, repeat=3)
        problems = check_ledger()
        print(f"  the ledger {'adds up' if not problems else 'does NOT add up'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
