"""Awardees' travel dates, for the prep meetings' slot finder (meetings/travel.py).

An accepted award with an open budget travels for its call's stay: from the travel
policy's days before the conference to its days after. A closed budget (a no-show, a
refused visa) travels not at all, so it gives no dates.
"""

from scholarships.enums import ApplicationStatus

from .enums import BudgetStatus
from .estimates import stay_for, travel_policy_for
from .models import AwardBudget


def travel_dates(conference, user_ids):
    """{user id: (arrival, departure)} at the venue of `conference`, for those of
    `user_ids` whose award there has an open budget."""
    budgets = AwardBudget.objects.filter(
        status=BudgetStatus.OPEN,
        decision__application__call__conference=conference,
        decision__application__status=ApplicationStatus.AWARDED,
        decision__application__applicant_id__in=user_ids,
    ).select_related("decision__application__call")
    policies, dates = {}, {}
    for budget in budgets:
        call = budget.decision.application.call
        if call.pk not in policies:
            policies[call.pk] = travel_policy_for(call)
        stay = stay_for(conference, policies[call.pk])
        dates[budget.decision.application.applicant_id] = (stay.arrival, stay.departure)
    return dates
