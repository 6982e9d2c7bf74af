"""Demo funds, allocations, exchange rates and per-diem rates (run by `manage.py load_demo`).

Idempotent: running it again changes nothing. Invented figures, in the style of the
UN's Daily Subsistence Allowance tables and central banks' reference rates.
"""

from datetime import date, timedelta
from decimal import Decimal

from djmoney.money import Money

from accounts.models import User
from scholarships.models import Call

from .models import ExchangeRate, Fund, PerDiemRate
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
# Weekly from six weeks before the conference (tickets are bought early) to after it.
RATE_DATES = [date(2028, 6, 12) + timedelta(weeks=week) for week in range(9)]
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


def load_demo_payments():
    """Create (or leave as they are) the demo funds and their allocations to the demo calls,
    exchange rates for the conference period and per-diem rates; give the demo finance
    administrator admin-site access, where funds and rates are kept. Returns a summary."""
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
    return (
        f"Payments demo: {len(FUNDS)} funds (USD, EUR) allocated to the demo calls, "
        f"{len(RATES) * len(RATE_DATES)} exchange rates, {len(PER_DIEM)} per-diem rates; "
        "finance@demo.example keeps them in the admin site (/admin/)."
    )
