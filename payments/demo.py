"""Demo funds, allocations, exchange rates, per-diem rates, award budgets and
disbursements (run by `manage.py load_demo`).

Idempotent: running it again changes nothing. Invented figures, in the style of the
UN's Daily Subsistence Allowance tables and central banks' reference rates.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from djmoney.money import Money

from accounts.models import User
from scholarships.enums import Outcome, Reply
from scholarships.models import Call, Decision

from .budgets import create_budget
from .disbursements import (
    approve_disbursement,
    cancel_disbursement,
    pay_disbursement,
    reconcile_disbursement,
    request_disbursement,
)
from .models import AirfareEstimate, AwardBudget, ExchangeRate, Fund, PerDiemRate, TravelPolicy
from .services import allocate_fund

FUNDS = [
    # donor, name, amount, start, end, restrictions, {call slug: allocation}
    (
        "Open Horizons Foundation",
        "Community voices at AIDS 2028 (grant OHF-2027-114)",
        Money("180000.00", "USD"),
        date(2027, 10, 1),
        date(2028, 12, 31),
        "Travel, accommodation, registration and per diem of community delegates. "
        "No staff salaries.",
        {"aids-2028": Money("120000.00", "USD")},
    ),
    (
        "Nordic Rights Fund",
        "Participation grant 2028",
        Money("95000.00", "EUR"),
        date(2028, 1, 1),
        date(2028, 12, 31),
        "Participants from Africa, Asia and the Pacific, and Latin America only.",
        {"aids-2028": Money("60000.00", "EUR"), "aids-2028-youth": Money("15000.00", "EUR")},
    ),
]

# 1 USD in each currency around the conference (23–28 July 2028), and 1 EUR in rand.
RATES = {
    ("USD", "EUR"): Decimal("0.9180"),
    ("USD", "ZAR"): Decimal("18.2450"),
    ("USD", "KES"): Decimal("129.40"),
    ("USD", "XOF"): Decimal("602.15"),
    ("USD", "THB"): Decimal("35.870"),
    ("USD", "INR"): Decimal("84.120"),
    ("USD", "BRL"): Decimal("5.4320"),
    ("USD", "MXN"): Decimal("18.9100"),
    ("EUR", "ZAR"): Decimal("19.8750"),
}
# The euro fund pays in every currency too: its cross rates, from the dollar's.
RATES |= {
    ("EUR", to_currency): (rate / RATES[("USD", "EUR")]).quantize(Decimal("0.0001"))
    for (from_currency, to_currency), rate in list(RATES.items())
    if from_currency == "USD" and to_currency != "EUR" and ("EUR", to_currency) not in RATES
}
# Weekly from six weeks before the conference (tickets are bought early) to after it, and
# one set from the start of 2026 for the demo's payments, which are made in the past.
RATE_DATES = [date(2026, 1, 1)] + [date(2028, 6, 12) + timedelta(weeks=week) for week in range(9)]
RATE_SOURCE = "Demo reference rates (invented)"

PER_DIEM = [
    # country, city ("" for the rest of the country), daily rate
    ("ZA", "Cape Town", Money("285.00", "USD")),
    ("ZA", "", Money("190.00", "USD")),
    ("KE", "Nairobi", Money("264.00", "USD")),
    ("KE", "", Money("150.00", "USD")),
    ("SN", "Dakar", Money("239.00", "USD")),
    ("TH", "Bangkok", Money("176.00", "USD")),
    ("CH", "Geneva", Money("404.00", "USD")),
    ("US", "New York", Money("432.00", "USD")),
    ("BR", "", Money("168.00", "USD")),
    ("IN", "New Delhi", Money("231.00", "USD")),
]
PER_DIEM_FROM = date(2028, 1, 1)


def load_demo_payments(*, call=None, by=None):
    """Create (or leave as they are) the demo funds and their allocations to the demo calls,
    exchange rates for the conference period and per-diem rates, budgets for the accepted
    awards and disbursements in every state; give the demo finance administrator admin-site
    access, where funds and rates are kept. Returns a summary."""
    finance = User.objects.get(email="finance@demo.example")
    if not finance.is_staff:
        finance.is_staff = True
        finance.save(update_fields=["is_staff"])
    calls = {
        call.slug: call for call in Call.objects.filter(slug__in=["aids-2028", "aids-2028-youth"])
    }
    for donor, name, amount, start, end, restrictions, allocations in FUNDS:
        fund, _created = Fund.objects.update_or_create(
            donor=donor,
            name=name,
            defaults={
                "amount": amount,
                "period_start": start,
                "period_end": end,
                "restrictions": restrictions,
            },
        )
        for slug, allocation in allocations.items():
            if slug in calls:
                allocate_fund(fund, call=calls[slug], amount=allocation, by=finance)
    for (from_currency, to_currency), rate in RATES.items():
        for week, valid_on in enumerate(RATE_DATES):
            # A small, repeatable drift so that the date of a conversion visibly matters.
            drift = Decimal(1) + Decimal(week - 4) / Decimal(400)
            ExchangeRate.objects.update_or_create(
                from_currency=from_currency,
                to_currency=to_currency,
                valid_on=valid_on,
                defaults={
                    "rate": (rate * drift).quantize(Decimal("0.0001")),
                    "source": RATE_SOURCE,
                },
            )
    for country, city, daily_rate in PER_DIEM:
        PerDiemRate.objects.update_or_create(
            country=country,
            city=city,
            valid_from=PER_DIEM_FROM,
            defaults={"daily_rate": daily_rate},
        )
    budgets, disbursements = load_demo_budgets(finance)
    return (
        f"Payments demo: {len(FUNDS)} funds (USD, EUR) allocated to the demo calls, "
        f"{len(RATES) * len(RATE_DATES)} exchange rates, {len(PER_DIEM)} per-diem rates, "
        f"{budgets} new award budgets and {disbursements} new disbursements; "
        "finance@demo.example keeps them in the admin site (/admin/) and at /manage/finance/. "
        f"A second finance administrator approves requests: {TREASURER[0]} "
        f"{TREASURER_PASSWORD} (finance)."
    )


# The second finance administrator: four eyes need two people to approve a request.
TREASURER = ("treasurer@demo.example", "Thandiwe", "en", "ZA", "Africa/Johannesburg")
TREASURER_PASSWORD = "demo-treasurer-pass"
BUDGETS_PRICED_ON = date(2028, 6, 12)
REQUESTED_ON = date(2026, 10, 1)
PAID_ON = date(2026, 11, 2)
FARES = [
    # country or "", region or "", return fare to Cape Town
    ("SN", "", Money("720.00", "EUR")),
    ("KE", "", Money("61000.00", "KES")),
    ("", "africa", Money("650.00", "USD")),
    ("", "asia_pacific", Money("1350.00", "USD")),
    ("", "europe", Money("980.00", "EUR")),
    ("", "latin_america", Money("1600.00", "USD")),
    ("", "north_america_caribbean", Money("1450.00", "USD")),
]
# One disbursement in each state, each in its own currency: (state, amount, kind, method).
DISBURSEMENTS = [
    ("reconciled", Money("850.00", "USD"), "airfare", "purchased"),
    ("paid", Money("3900.00", "ZAR"), "per_diem", "cash_on_site"),
    ("approved", Money("26000.00", "KES"), "local_transport", "mobile_money"),
    ("requested", Money("95000.00", "XOF"), "visa", "bank_transfer"),
    ("cancelled", Money("120.00", "USD"), "insurance", "bank_transfer"),
]
DEMO_RECEIPT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def treasurer():
    email, name, language, country, zone = TREASURER
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "display_name": name,
            "preferred_language": language,
            "country": country,
            "time_zone": zone,
            "is_finance": True,
        },
    )
    if created:
        user.set_password(TREASURER_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_demo_budgets(finance):
    """The demo call's travel policy and fares; a budget for each accepted award (from the
    two funds in turn) and, on the first, a disbursement in each state. Returns the
    number of budgets and of disbursements created."""
    call = Call.objects.filter(slug="aids-2028").first()
    if call is None:
        return 0, 0
    TravelPolicy.objects.get_or_create(
        call=call,
        defaults={
            "nightly_rate": Money("1650.00", "ZAR"),
            "visa_fee": Money("45.00", "USD"),
            "insurance": Money("38.00", "EUR"),
            "local_transport": Money("900.00", "ZAR"),
            "meals_reduction": Decimal("0.15"),
        },
    )
    for country, region, amount in FARES:
        AirfareEstimate.objects.get_or_create(
            call=call, country=country, region=region, defaults={"amount": amount}
        )
    funds = list(Fund.objects.filter(allocations__call=call).order_by("pk"))
    accepted = Decision.objects.filter(
        application__call=call, outcome=Outcome.AWARD, reply=Reply.ACCEPTED
    ).select_related("application__call__conference")
    approver = treasurer()
    budgets = disbursements = 0
    for number, decision in enumerate(accepted.order_by("pk")):
        if AwardBudget.objects.filter(decision=decision).exists() or not funds:
            continue
        budget = create_budget(
            decision,
            fund=funds[number % len(funds)],
            by=finance,
            priced_on=BUDGETS_PRICED_ON,
            meals_provided=True,
        )
        budgets += 1
        if number == 0:
            disbursements += load_demo_disbursements(budget, finance, approver)
    return budgets, disbursements


def load_demo_disbursements(budget, finance, approver):
    """A disbursement in each state, each in another currency, on `budget` (a USD fund)."""
    paid_on = min(PAID_ON, timezone.localdate())
    for index, (state, amount, kind, method) in enumerate(DISBURSEMENTS):
        disbursement = request_disbursement(
            budget,
            amount=amount,
            kind=kind,
            by=finance,
            idempotency_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-disbursement-{index}"),
            on=REQUESTED_ON,
            # Recorded only if the request goes beyond the award's budget or the fund.
            override_reason="Demo: paid in advance of the final budget",
        )
        if state == "cancelled":
            cancel_disbursement(disbursement, reason="Insurance bought by the network", by=approver)
            continue
        if state == "requested":
            continue
        approve_disbursement(
            disbursement, by=approver, override_reason="Demo: approved beyond the budget"
        )
        if state == "approved":
            continue
        pay_disbursement(
            disbursement,
            by=finance,
            paid_on=paid_on,
            method=method,
            reference=f"DEMO-{index}",
            override_reason="Demo: paid beyond the budget at the day's rate",
        )
        if state == "reconciled":
            receipt = SimpleUploadedFile(
                "receipt.pdf", DEMO_RECEIPT, content_type="application/pdf"
            )
            reconcile_disbursement(disbursement, receipt=receipt, by=approver)
    return len(DISBURSEMENTS)
