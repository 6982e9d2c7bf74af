"""Estimating what an award will cost: from the call's travel policy, the conference's
dates and city, the per-diem and exchange rates, and where the person flies from.

`estimate_lines` gives a budget's lines (each in its own currency); `estimated_costs`
is what the selection's budget constraint uses (settings.SELECTION_COST_ESTIMATOR):
scholarships calls it by its dotted path and never imports payments.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from scholarships.models import Application

from .enums import LineKind
from .errors import MissingExchangeRate, MissingPerDiemRate
from .models import AirfareEstimate, AwardBudget, TravelPolicy
from .money import round_money, with_code
from .rates import convert, per_diem_rate

# Support kinds that are estimated, in the order budget lines are shown.
ESTIMATED = [
    LineKind.REGISTRATION,
    LineKind.AIRFARE,
    LineKind.ACCOMMODATION,
    LineKind.PER_DIEM,
    LineKind.VISA,
    LineKind.INSURANCE,
    LineKind.LOCAL_TRANSPORT,
]


@dataclass(frozen=True)
class LineEstimate:
    """One estimated line. `amount` is None when a rate or a flat cost is missing: the
    line is then filled in by hand, and `calculation` says what is missing."""

    kind: str
    quantity: Decimal
    unit_amount: Money | None
    amount: Money | None
    calculation: str


@dataclass(frozen=True)
class Stay:
    arrival: datetime.date
    departure: datetime.date

    @property
    def nights(self):
        return (self.departure - self.arrival).days

    @property
    def days(self):
        return self.nights + 1


def travel_policy_for(call):
    """The call's TravelPolicy, or an unsaved one with the defaults (and no flat costs)."""
    try:
        return call.travel_policy
    except TravelPolicy.DoesNotExist:
        return TravelPolicy(call=call)


def stay_for(conference, policy):
    return Stay(
        arrival=conference.start_date - datetime.timedelta(days=policy.days_before),
        departure=conference.end_date + datetime.timedelta(days=policy.days_after),
    )


def per_diem_days(stay, conference, policy, *, lodging_paid, meals_provided):
    """The number of full per-diem days the stay is worth under the policy's rules.

    Each day counts 1, or `travel_day_share` on the first and the last; from it are
    taken `accommodation_reduction` on each day followed by a night whose lodging is
    paid (by the award or the conference), and `meals_reduction` on each conference
    day when the conference provides meals; never below zero.
    """
    total = Decimal(0)
    day = stay.arrival
    while day <= stay.departure:
        share = policy.travel_day_share if day in (stay.arrival, stay.departure) else Decimal(1)
        if lodging_paid and day < stay.departure:
            share -= policy.accommodation_reduction
        if meals_provided and conference.start_date <= day <= conference.end_date:
            share -= policy.meals_reduction
        total += max(share, Decimal(0))
        day += datetime.timedelta(days=1)
    return total


def airfare_for(call, country, region, fares=None):
    """The call's fare estimate from `country`, else from its `region`, else None."""
    if fares is None:
        fares = list(AirfareEstimate.objects.filter(call=call))
    code = getattr(country, "code", country) or ""
    by_country = {fare.country.code: fare for fare in fares if fare.country}
    by_region = {fare.region: fare for fare in fares if fare.region}
    return by_country.get(code) or by_region.get(region)


def flat(kind, money, missing):
    if money is None:
        return LineEstimate(kind, Decimal(1), None, None, missing)
    return LineEstimate(kind, Decimal(1), money, round_money(money), _("flat amount of the call"))


def estimate_lines(
    call,
    *,
    covers,
    departure_country,
    region,
    visa_needed,
    accommodation_provided=False,
    meals_provided=False,
    policy=None,
    fares=None,
    daily_rate=None,
):
    """The estimated lines for an award of `call` that pays for `covers` (support kinds),
    to someone flying from `departure_country`. Reads only; rates that are missing
    leave the line's amount None with the reason in `calculation`.

    `policy`, `fares` and `daily_rate` may be given to estimate many people at once.
    """
    conference = call.conference
    policy = policy or travel_policy_for(call)
    stay = stay_for(conference, policy)
    covers = set(covers)
    lodging_paid = accommodation_provided or LineKind.ACCOMMODATION in covers
    lines = []
    for kind in ESTIMATED:
        if kind not in covers:
            continue
        if kind == LineKind.REGISTRATION:
            fee = conference.registration_fee
            lines.append(
                LineEstimate(kind, Decimal(1), fee, round_money(fee), _("the conference's fee"))
            )
        elif kind == LineKind.AIRFARE:
            fare = airfare_for(call, departure_country, region, fares)
            if fare is None:
                lines.append(
                    LineEstimate(
                        kind, Decimal(1), None, None, _("no fare estimate from this country")
                    )
                )
            else:
                where = fare.country.name if fare.country else fare.get_region_display()
                lines.append(
                    LineEstimate(
                        kind,
                        Decimal(1),
                        fare.amount,
                        round_money(fare.amount),
                        _("return fare from %(place)s") % {"place": where},
                    )
                )
        elif kind == LineKind.ACCOMMODATION:
            if accommodation_provided:
                continue
            nightly = policy.nightly_rate
            if nightly is None:
                lines.append(
                    LineEstimate(kind, Decimal(stay.nights), None, None, _("no nightly rate"))
                )
            else:
                lines.append(
                    LineEstimate(
                        kind,
                        Decimal(stay.nights),
                        nightly,
                        round_money(nightly.amount * stay.nights, nightly.currency),
                        _("%(nights)d nights × %(rate)s")
                        % {"nights": stay.nights, "rate": with_code(nightly)},
                    )
                )
        elif kind == LineKind.PER_DIEM:
            lines.append(
                per_diem_line(
                    call,
                    stay,
                    policy,
                    lodging_paid=lodging_paid,
                    meals_provided=meals_provided,
                    daily_rate=daily_rate,
                )
            )
        elif kind == LineKind.VISA:
            if visa_needed == "no":
                continue
            lines.append(flat(kind, policy.visa_fee, _("no visa fee set for the call")))
        elif kind == LineKind.INSURANCE:
            lines.append(flat(kind, policy.insurance, _("no insurance cost set for the call")))
        elif kind == LineKind.LOCAL_TRANSPORT:
            lines.append(
                flat(kind, policy.local_transport, _("no local transport cost set for the call"))
            )
    return lines


def per_diem_line(call, stay, policy, *, lodging_paid, meals_provided, daily_rate=None):
    conference = call.conference
    if daily_rate is None:
        try:
            daily_rate = per_diem_rate(
                conference.country, conference.city, conference.start_date
            ).daily_rate
        except MissingPerDiemRate as error:
            return LineEstimate(LineKind.PER_DIEM, Decimal(stay.days), None, None, str(error)[:300])
    days = per_diem_days(
        stay, conference, policy, lodging_paid=lodging_paid, meals_provided=meals_provided
    )
    calculation = _(
        "%(days)d days × %(rate)s, worth %(worth)s days: %(share)s %% on the first and last "
        "day%(lodging)s%(meals)s"
    ) % {
        "days": stay.days,
        "rate": with_code(daily_rate),
        "worth": f"{days.normalize():f}",
        "share": f"{(policy.travel_day_share * 100).normalize():f}",
        "lodging": _(", less %(share)s %% on nights with lodging paid")
        % {"share": f"{(policy.accommodation_reduction * 100).normalize():f}"}
        if lodging_paid and policy.accommodation_reduction
        else "",
        "meals": _(", less %(share)s %% on conference days with meals")
        % {"share": f"{(policy.meals_reduction * 100).normalize():f}"}
        if meals_provided and policy.meals_reduction
        else "",
    }
    return LineEstimate(
        LineKind.PER_DIEM,
        Decimal(stay.days),
        daily_rate,
        round_money(daily_rate.amount * days, daily_rate.currency),
        calculation[:300],
    )


def estimate_date(call):
    """The day whose exchange rates price an estimate: today, or the conference's first
    day once it has passed (the rates of the time it was spent)."""
    return min(timezone.localdate(), call.conference.start_date)


def estimated_costs(call, keys):
    """{application public id: estimated cost in the call's selection budget currency (a
    float, as the optimiser wants)} for the applications `keys` (public ids as text).

    An award that has a travel budget costs what the budget commits. Any other
    application is priced from what it asked for; it is left out when anything cannot be
    priced (no fare
    estimate from its country, no flat cost, no rate on the day): the selection then
    uses its region's flat estimate. A call without a budget in its balance policy is
    left to the flat estimates too. A handful of queries, whatever the number of keys.
    """
    policy_budget = getattr(getattr(call, "balance_policy", None), "budget", None)
    if not keys or policy_budget is None:
        return {}
    currency = policy_budget.currency.code
    policy = travel_policy_for(call)
    fares = list(AirfareEstimate.objects.filter(call=call))
    conference = call.conference
    try:
        daily_rate = per_diem_rate(
            conference.country, conference.city, conference.start_date
        ).daily_rate
    except MissingPerDiemRate:
        daily_rate = None
    on_date, cache, costs = estimate_date(call), {}, {}
    # An award with a travel budget costs what its budget commits, not an estimate.
    budgets = AwardBudget.objects.filter(
        decision__application__call=call, decision__application__public_id__in=keys
    ).values_list("decision__application__public_id", "committed_total", "committed_total_currency")
    for public_id, amount, code in budgets:
        try:
            money = convert(Money(amount, code), currency, on_date, cache=cache).money
        except MissingExchangeRate:
            continue
        costs[str(public_id)] = float(money.amount)
    applications = (
        Application.objects.filter(call=call, public_id__in=keys)
        .exclude(public_id__in=list(costs))
        .only("public_id", "departure_country", "region", "visa_needed", "support_requested")
    )
    for application in applications:
        if LineKind.PER_DIEM in application.support_requested and daily_rate is None:
            continue
        lines = estimate_lines(
            call,
            covers=application.support_requested,
            departure_country=application.departure_country,
            region=application.region,
            visa_needed=application.visa_needed,
            policy=policy,
            fares=fares,
            daily_rate=daily_rate,
        )
        if any(line.amount is None for line in lines):
            continue
        try:
            total = sum(
                (convert(line.amount, currency, on_date, cache=cache).money for line in lines),
                Money(0, currency),
            )
        except MissingExchangeRate:
            continue
        costs[str(application.public_id)] = float(total.amount)
    return costs
