"""Demo decisions: the proposal confirmed and released, some replies, one place freed."""

from datetime import timedelta

from django.utils import timezone

from scholarships.decisions import confirm_selection, reply_to_award
from scholarships.enums import Coverage, Outcome
from scholarships.models import Decision

AWARDEE_PASSWORD = "demo-awardee-pass"


def load_demo_decisions(call, run, *, by):
    """Confirm the demo proposal the first time. Returns the number of awards and the
    login of the awardee who has not replied yet (they can log in with AWARDEE_PASSWORD)."""
    decisions = Decision.objects.filter(application__call=call)
    if not decisions.exists() and run is not None and run.has_selection:
        awards = {
            key: (Coverage.PARTIAL, ["registration", "per_diem"])
            if number % 8 == 7
            else (Coverage.FULL, [])
            for number, key in enumerate(run.chosen)
        }
        confirm_selection(
            call,
            run=run,
            awards=awards,
            waitlist_size=15,
            reply_by=timezone.localdate() + timedelta(days=14),
            by=by,
        )
        # Released without queuing some 300 emails into the demo's outbox.
        decisions.update(released_at=timezone.now())
        awarded = list(
            decisions.filter(outcome=Outcome.AWARD)
            .select_related("application__applicant")
            .order_by("pk")
        )
        for decision in awarded[1:6]:
            application = decision.application
            reply_to_award(application, accept=True, by=application.applicant)
        declined = awarded[6].application
        reply_to_award(declined, accept=False, by=declined.applicant)
    awards = decisions.filter(outcome=Outcome.AWARD).select_related("application__applicant")
    first = awards.order_by("pk").first()
    if first is None:
        return 0, None
    # The first awardee has not replied: log in as them to accept or decline.
    awardee = first.application.applicant
    awardee.set_password(AWARDEE_PASSWORD)
    awardee.save(update_fields=["password"])
    return awards.count(), awardee.email
