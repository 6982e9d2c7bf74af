"""Decisions: from a proposed selection to awards, a waitlist and regrets, and what
follows: the emails the coordinator releases, the awardees' replies, reminders,
lapsed awards and places offered from the waitlist.

One function per change of state. Each locks the rows it changes, so a double click,
a second coordinator or the scheduled job acting at the same moment changes nothing
twice.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.audit import log_action
from notifications.services import queue_email

from .enums import (
    ApplicationStatus,
    Coverage,
    Outcome,
    Reply,
    SupportKind,
)
from .models import Application, Call, Decision, TravellerDetails
from .models.decisions import ANYWHERE_ON_EARTH
from .queries import ranking_for_call
from .selection import MERIT, violations
from .services import (
    REVIEWABLE,
    ScholarshipError,
    candidates_for_selection,
    change_application_status,
    selection_policy,
)

logger = logging.getLogger(__name__)

STATUS_OF = {
    Outcome.AWARD: ApplicationStatus.AWARDED,
    Outcome.WAITLIST: ApplicationStatus.WAITLISTED,
    Outcome.REGRET: ApplicationStatus.NOT_SELECTED,
}
EMAIL_OF = {
    Outcome.AWARD: "decision_award",
    Outcome.WAITLIST: "decision_waitlist",
    Outcome.REGRET: "decision_regret",
}
REMIND_BEFORE = datetime.timedelta(days=3)


def confirm_selection(call, *, run, awards, waitlist_size, reply_by, by):
    """Turn a proposal into decisions for every application still in the running.

    `awards` maps application public ids (as text) to (coverage, covers); every other
    reviewable application goes, best calibrated score first, onto the waitlist (at
    most `waitlist_size`) or receives a regret. All of it happens in one transaction,
    or none of it. Side effects: the call row locked; the applications' statuses;
    one Decision per application; audit entries. No email leaves: the coordinator
    releases them afterwards (release_decisions). Raises ScholarshipError
    (translated) when the call already has decisions, the run is not the latest
    usable proposal, or an award names an application that is not in the running.
    """
    if reply_by <= timezone.localdate():
        raise ScholarshipError(_("Choose a reply-by date after today."))
    if len(awards) > call.number_of_awards:
        raise ScholarshipError(
            _("This call has %(count)d awards at most.") % {"count": call.number_of_awards}
        )
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        if Decision.objects.filter(application__call=call).exists():
            raise ScholarshipError(_("The decisions of this call are already confirmed."))
        latest = call.selection_runs.first()
        if latest is None or latest.pk != run.pk or not run.has_selection:
            raise ScholarshipError(
                _("A newer proposal exists, or this one has no selection: reload the page.")
            )
        in_running = {
            str(application.public_id): application
            for application in Application.objects.select_for_update().filter(
                call=call, status__in=REVIEWABLE
            )
        }
        unknown = set(awards) - set(in_running)
        if unknown:
            raise ScholarshipError(
                _("%(count)d chosen application(s) are no longer in the running: reload the page.")
                % {"count": len(unknown)}
            )
        ranked = [
            str(row["public_id"])
            for row in ranking_for_call(call)[0]
            if str(row["public_id"]) in in_running and str(row["public_id"]) not in awards
        ]
        waitlist = ranked[:waitlist_size]
        decisions = []
        for key, application in in_running.items():
            if key in awards:
                coverage, covers = awards[key]
                decision = Decision(
                    outcome=Outcome.AWARD,
                    coverage=coverage,
                    covers=covers
                    if coverage == Coverage.PARTIAL
                    else list(application.support_requested),
                    reply_by=reply_by,
                )
            elif key in waitlist:
                decision = Decision(outcome=Outcome.WAITLIST, waitlist_rank=waitlist.index(key) + 1)
            else:
                decision = Decision(outcome=Outcome.REGRET)
            decision.application, decision.run, decision.decided_by = application, run, by
            decisions.append(decision)
        Decision.objects.bulk_create(decisions)
        for outcome, status in STATUS_OF.items():
            Application.objects.filter(
                pk__in=[d.application_id for d in decisions if d.outcome == outcome]
            ).update(status=status, updated_at=timezone.now())
        for decision in decisions:
            if decision.outcome != Outcome.REGRET:
                log_action(
                    actor=by,
                    action=f"decision.{decision.outcome}",
                    obj=decision.application,
                    data={"run": run.pk},
                )
        counts = {o: sum(d.outcome == o for d in decisions) for o in Outcome.values}
        log_action(actor=by, action="decision.confirmed", obj=call, data={"run": run.pk, **counts})
    logger.info("Call %s: decisions confirmed by user %s: %s", call.pk, by.pk, counts)
    return counts


def decisions_to_release(call):
    return Decision.objects.filter(application__call=call, released_at__isnull=True)


def decision_email(decision):
    """The template and context of the email a decision sends, in its reader's terms."""
    application = decision.application
    applicant = application.applicant
    return EMAIL_OF[decision.outcome], {
        "name": applicant.display_name,
        "call_title": application.call.public_name_in(applicant.preferred_language),
        "reference": str(application.public_id)[:8],
        "url": settings.SITE_URL + application.get_absolute_url(),
        "reply_by": decision.reply_by,
        "partial": decision.coverage == Coverage.PARTIAL,
        "covers": [label for value, label in SupportKind.choices if value in decision.covers],
    }


def release_decisions(call, *, by):
    """Send every confirmed decision of the call that has not been sent yet.

    Side effects: one email per decision in its applicant's language (none for an
    anonymised application); `released_at` set on each; an audit entry. Rows are
    locked, so two clicks send each email once. Returns how many were released.
    """
    with transaction.atomic():
        decisions = list(
            decisions_to_release(call)
            .select_for_update(of=("self",))
            .select_related("application__applicant", "application__call")
        )
        now = timezone.now()
        for decision in decisions:
            applicant = decision.application.applicant
            if applicant is not None:
                template, context = decision_email(decision)
                queue_email(
                    to=applicant.email,
                    template=template,
                    context=context,
                    language=applicant.preferred_language,
                    user=applicant,
                )
            decision.released_at = now
        Decision.objects.bulk_update(decisions, ["released_at"])
        if decisions:
            log_action(
                actor=by, action="decision.released", obj=call, data={"count": len(decisions)}
            )
    return len(decisions)


def reply_to_award(application, *, accept, by, now=None):
    """The awardee accepts or declines their award before the reply-by date.

    Side effects: the decision's reply and its moment; on a decline the application
    becomes "declined" and its place can be offered from the waitlist; an audit
    entry. Raises ScholarshipError (translated) when there is nothing to reply to,
    it is too late, or a reply was already given.
    """
    now = now or timezone.now()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(application=application)
            .first()
        )
        if (
            decision is None
            or not decision.awaits_reply
            or decision.application.status != ApplicationStatus.AWARDED
        ):
            raise ScholarshipError(_("There is no award waiting for your reply."))
        if now >= decision.reply_deadline:
            raise ScholarshipError(_("The date to reply has passed."))
        decision.reply = Reply.ACCEPTED if accept else Reply.DECLINED
        decision.replied_at = now
        decision.save(update_fields=["reply", "replied_at"])
        if not accept:
            change_application_status(decision.application, to=ApplicationStatus.DECLINED, by=by)
        log_action(actor=by, action=f"award.{decision.reply}", obj=decision.application)
    return decision


def lapse_unanswered_awards(now=None):
    """Awards whose reply-by day has ended without a reply lapse: the place is free.

    Side effects: each such decision marked "expired" and its application "declined";
    an audit entry each. Returns how many lapsed.
    """
    now = now or timezone.now()
    lapsed = 0
    with transaction.atomic():
        for decision in (
            Decision.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("application")
            .filter(
                outcome=Outcome.AWARD,
                reply=Reply.PENDING,
                released_at__isnull=False,
                reply_by__lt=now.astimezone(ANYWHERE_ON_EARTH).date(),
                # An award withdrawn meanwhile has nothing to lapse.
                application__status=ApplicationStatus.AWARDED,
            )
        ):
            decision.reply, decision.replied_at = Reply.EXPIRED, now
            decision.save(update_fields=["reply", "replied_at"])
            change_application_status(decision.application, to=ApplicationStatus.DECLINED, by=None)
            log_action(actor=None, action="award.expired", obj=decision.application)
            lapsed += 1
    return lapsed


def remind_awardees(now=None):
    """Remind, once, each awardee who has not replied and whose reply-by date is near.

    Side effects: one email each in their language; `reminded_at` set. Rows being
    handled by another run at the same moment are skipped, so nobody gets two.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        for decision in (
            Decision.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("application__applicant", "application__call")
            .filter(
                outcome=Outcome.AWARD,
                reply=Reply.PENDING,
                released_at__isnull=False,
                reminded_at__isnull=True,
                reply_by__lte=(now + REMIND_BEFORE).astimezone(ANYWHERE_ON_EARTH).date(),
                reply_by__gte=now.astimezone(ANYWHERE_ON_EARTH).date(),
            )
        ):
            applicant = decision.application.applicant
            if applicant is not None:
                _template, context = decision_email(decision)
                queue_email(
                    to=applicant.email,
                    template="award_reminder",
                    context=context,
                    language=applicant.preferred_language,
                    user=applicant,
                )
                sent += 1
            decision.reminded_at = now
            decision.save(update_fields=["reminded_at"])
    return sent


def places_to_offer(call):
    """Awards given up (declined or lapsed) that no waitlisted person has taken yet."""
    decisions = Decision.objects.filter(application__call=call)
    given_up = decisions.filter(reply__in=(Reply.DECLINED, Reply.EXPIRED)).count()
    offered = decisions.filter(offered_from_waitlist_at__isnull=False).count()
    return max(given_up - offered, 0)


def next_on_waitlist(call):
    """The best-placed waitlisted person whose award keeps the policy met, with the
    rules each better-placed person would have broken, in waitlist order.

    Returns (application or None, [(application, broken families)]). When nobody
    keeps the policy met, the first on the waitlist is suggested with what it breaks.
    """
    waitlist = list(
        Decision.objects.filter(
            application__call=call,
            outcome=Outcome.WAITLIST,
            application__status=ApplicationStatus.WAITLISTED,
        )
        .select_related("application")
        .order_by("waitlist_rank")
    )
    if not waitlist:
        return None, []
    candidates = candidates_for_selection(
        call, statuses=(ApplicationStatus.AWARDED, ApplicationStatus.WAITLISTED)
    )
    policy = selection_policy(call, objective=MERIT)
    # Pins were for the proposal; the waitlist keeps only the rules of balance.
    policy = dataclasses.replace(policy, pinned_in=frozenset(), pinned_out=frozenset())
    awarded = [
        str(key)
        for key in call.applications.filter(status=ApplicationStatus.AWARDED).values_list(
            "public_id", flat=True
        )
    ]
    skipped = []
    for decision in waitlist:
        key = str(decision.application.public_id)
        broken = sorted(
            {family for family, _group in violations(candidates, policy, [*awarded, key])}
        )
        if not broken:
            return decision.application, skipped
        skipped.append((decision.application, broken))
    return waitlist[0].application, skipped


def offer_waitlisted_place(call, *, application, reply_by, by):
    """Offer a place given up by an awardee to a waitlisted applicant.

    Side effects: the decision becomes a full award with its own reply-by date, held
    for release like every decision; the application becomes "awarded"; an audit
    entry. Raises ScholarshipError (translated) when no place is free, the person is
    no longer on the waitlist, or the date is not after today.
    """
    if reply_by <= timezone.localdate():
        raise ScholarshipError(_("Choose a reply-by date after today."))
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        if not places_to_offer(call):
            raise ScholarshipError(_("No place is free to offer."))
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(
                application=application,
                application__call=call,
                outcome=Outcome.WAITLIST,
                application__status=ApplicationStatus.WAITLISTED,
            )
            .first()
        )
        if decision is None:
            raise ScholarshipError(_("This person is no longer on the waitlist."))
        decision.outcome = Outcome.AWARD
        decision.coverage = Coverage.FULL
        decision.covers = list(decision.application.support_requested)
        decision.waitlist_rank = None
        decision.reply_by = reply_by
        decision.released_at = None
        decision.offered_from_waitlist_at = timezone.now()
        decision.decided_by = by
        decision.save()
        change_application_status(decision.application, to=ApplicationStatus.AWARDED, by=by)
        log_action(actor=by, action="decision.offered_from_waitlist", obj=decision.application)
    return decision


@sensitive_variables("data")
def save_traveller_details(application, *, data, by):
    """Keep the passport details of an awardee who accepted. Raises ScholarshipError
    (translated) unless the award is accepted. Side effects: the encrypted row made or
    replaced; an audit entry (without the details)."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(application=application)
            .first()
        )
        if decision is None or not decision.is_accepted:
            raise ScholarshipError(_("Travel details are asked for once you accept an award."))
        TravellerDetails.objects.update_or_create(
            application=application,
            defaults={
                "legal_name": data["legal_name"],
                "nationality": data["nationality"],
                "date_of_birth": data["date_of_birth"].isoformat(),
                "passport_number": data["passport_number"],
                "passport_expires_on": data["passport_expires_on"].isoformat(),
            },
        )
        log_action(actor=by, action="traveller.details_saved", obj=application)


def latest_usable_run(call):
    run = call.selection_runs.first()
    return run if run and run.has_selection else None
