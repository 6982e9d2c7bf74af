"""Every write to calls: one function per change of state."""

import hashlib
import json
import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.audit import AuditEntry, log_action
from conferences.queries import region_for_country
from config.compiled import CompiledQuery
from notifications.services import queue_email

from .answers import answer_sections
from .assignment import Paper, Reviewer, assign
from .enums import (
    APPLICATION_TRANSITIONS,
    CALL_TRANSITIONS,
    WITHDRAWABLE,
    ApplicationStatus,
    ReviewStatus,
)
from .models import (
    Application,
    BalancePolicy,
    Call,
    Conflict,
    ReviewAssignment,
    SelectionRun,
    TravellerDetails,
)
from .queries import ranking_for_call
from .selection import (
    Bounds,
    Candidate,
    Policy,
    greedy,
    price_of_balance,
    select,
    violations,
)
from .wizard import UPLOAD_FOLDER

logger = logging.getLogger(__name__)


class ScholarshipError(Exception):
    """A change that the rules of the portal refuse; the message is shown to the user."""


def change_call_status(call, *, to, by):
    """Move a call to status `to` if CALL_TRANSITIONS allows it from its current status.

    Side effects: the call row is locked and saved with its new status; a log line
    names who made the change. Raises
    ScholarshipError (translated) when the change is not allowed.
    """
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if to not in CALL_TRANSITIONS[locked.status]:
            raise ScholarshipError(
                _("A call cannot go from “%(current)s” to “%(target)s”.")
                % {"current": locked.get_status_display(), "target": to.label}
            )
        previous = locked.status
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        log_action(
            actor=by, action="call.status_changed", obj=locked, data={"from": previous, "to": to}
        )
    logger.info("Call %s moved to %s by user %s", call.pk, to, by.pk)
    call.status = locked.status
    return call


# The version of the consent text on the review step; change it when the text changes.
CONSENT_VERSION = "2026-11"

# The row a submission locks, with the call and the person it writes and emails to:
# compiled once (config.compiled).
SUBMITTING = CompiledQuery(
    lambda pk: (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__conference", "applicant")
        .filter(pk=pk)
    ),
    pk=Application._meta.pk,
)


def start_application(call, *, applicant, eligibility_data):
    """Open a draft application after the applicant passed the eligibility questions.

    Side effects: one draft Application row (or the existing one, untouched: one
    application per person per call), holding the eligibility answers as the
    wizard's first completed step. Raises ScholarshipError when the call is not open.
    """
    if not call.is_open():
        raise ScholarshipError(_("This call is not taking applications."))
    draft = {
        "step": "about",
        "step_data": {"eligibility": eligibility_data},
        "step_files": {},
        "extra_data": {},
    }
    # Created first, as get_or_create would after reading the row that the eligibility
    # page has just looked for; the constraint on (call, applicant) answers a second tap.
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, applicant=applicant, draft=draft, language=applicant.preferred_language
            )
    except IntegrityError:
        return Application.objects.get(call=call, applicant=applicant)
    logger.info("Application %s started by user %s", application.pk, applicant.pk)
    return application


def submit_application(application, *, answers, by):
    """Turn a draft into a submitted application, once.

    `answers` maps each wizard step to its form's cleaned data. Side effects: the row
    is locked, its typed fields written, the draft cleared, the status set to
    submitted; the support letter is stored under a random name; a confirmation
    email in the applicant's language is queued after commit. A second call (a double
    click, a replayed POST) finds the application submitted and changes nothing.
    Returns (application, submitted_now). Raises ScholarshipError when the call closed.
    """
    stored_letter = None
    try:
        with transaction.atomic():
            locked = SUBMITTING.first(pk=application.pk)
            if locked is None:
                raise Application.DoesNotExist(f"Application {application.pk} is gone.")
            if locked.status != ApplicationStatus.DRAFT:
                return locked, False
            if not locked.call.is_open():
                raise ScholarshipError(
                    _(
                        "The call closed before your application was sent, so it cannot be "
                        "submitted any more. Your draft stays here for you to read."
                    )
                )
            write_answers(locked, answers)
            letter = answers["documents"].get("support_letter")
            if letter:
                locked.support_letter.save(letter.name, letter, save=False)
                stored_letter = locked.support_letter.name
            locked.consent_version = CONSENT_VERSION
            locked.consented_at = timezone.now()
            locked.language = translation.get_language() or locked.applicant.preferred_language
            locked.status = ApplicationStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.draft = {}
            locked.save()
            log_action(actor=by, action="application.submitted", obj=locked)
            applicant = locked.applicant
            queue_email(
                to=applicant.email,
                template="application_submitted",
                context={
                    "name": applicant.display_name,
                    "call_title": locked.call.public_name_in(applicant.preferred_language),
                    "reference": str(locked.public_id)[:8],
                    "url": settings.SITE_URL + locked.get_absolute_url(),
                },
                language=applicant.preferred_language,
                user=applicant,
            )
    except BaseException:
        # The row rolled back; the letter written beside it must go too.
        if stored_letter:
            default_storage.delete(stored_letter)
        raise
    logger.info("Application %s submitted by user %s", locked.pk, by.pk)
    return locked, True


def write_answers(application, answers):
    """Copy the wizard's cleaned answers onto the application's typed fields."""
    about, organisation = answers["about"], answers["organisation"]
    travel = answers["travel"]
    application.country_of_residence = about["country_of_residence"]
    application.region = region_for_country(about["country_of_residence"]) or ""
    application.gender = about["gender"]
    application.gender_self_description = about["gender_self_description"]
    application.languages = about["languages"]
    application.access_needs = about["access_needs"]
    application.organisation_name = organisation["organisation_name"]
    application.organisation_is_sex_worker_led = organisation["organisation_is_sex_worker_led"]
    application.role = organisation["role"]
    application.first_time_attendee = organisation["first_time_attendee"]
    application.previous_scholarships = organisation["previous_scholarships"]
    application.motivation = {
        name.removeprefix("q"): text for name, text in answers["motivation"].items()
    }
    application.departure_city = travel["departure_city"]
    application.departure_country = travel["departure_country"]
    application.visa_needed = travel["visa_needed"]
    application.support_requested = travel["support_requested"]
    application.other_funding = travel["other_funding"]


def change_application_status(application, *, to, by, allowed_from=None):
    """Move an application to `to` if APPLICATION_TRANSITIONS allows it.

    `allowed_from` narrows the states the change may start from (an applicant may
    withdraw only while nothing is decided); it is checked on the locked row.
    Side effects: the row is locked and saved; withdrawing records the moment; an
    audit entry. Raises ScholarshipError (translated) when the change is not allowed.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if allowed_from is not None and locked.status not in allowed_from:
            raise ScholarshipError(_("This application can no longer be withdrawn."))
        # A draft is submitted only by submit_application, which writes its answers.
        if (
            locked.status == ApplicationStatus.DRAFT
            or to not in APPLICATION_TRANSITIONS[locked.status]
        ):
            raise ScholarshipError(
                _("An application cannot go from “%(current)s” to “%(target)s”.")
                % {"current": locked.get_status_display(), "target": to.label}
            )
        previous = locked.status
        locked.status = to
        fields = ["status", "updated_at"]
        if to == ApplicationStatus.WITHDRAWN:
            locked.withdrawn_at = timezone.now()
            fields.append("withdrawn_at")
        locked.save(update_fields=fields)
        log_action(
            actor=by,
            action="application.status_changed",
            obj=locked,
            data={"from": previous, "to": to},
        )
    logger.info("Application %s moved to %s by user %s", locked.pk, to, getattr(by, "pk", None))
    application.status, application.withdrawn_at = locked.status, locked.withdrawn_at
    return application


def withdraw_application(application, *, by):
    """The applicant withdraws a submitted application. Raises ScholarshipError otherwise.

    The status is checked again under the row lock: a decision taken at the same
    moment wins over the withdrawal, not the other way round."""
    return change_application_status(
        application, to=ApplicationStatus.WITHDRAWN, by=by, allowed_from=WITHDRAWABLE
    )


def clean_abandoned_uploads(*, older_than=timedelta(hours=24)):
    """Delete wizard uploads that no draft names any more, once they are old enough.

    An upload is abandoned when it was replaced, when its application was submitted
    or removed, or when the request that stored it failed before the draft saved it.
    Side effects: files deleted from private storage. Returns how many.
    """
    storage = default_storage
    if not storage.exists(UPLOAD_FOLDER):
        return 0
    cutoff = timezone.now() - older_than
    folders, _files = storage.listdir(UPLOAD_FOLDER)
    drafts = {
        application.public_id.hex: application
        for application in Application.objects.filter(
            status=ApplicationStatus.DRAFT,
            public_id__in=[folder for folder in folders if len(folder) == 32],
        )
    }
    deleted = 0
    for folder in folders:
        application = drafts.get(folder)
        named = set()
        if application is not None:
            for step_files in (application.draft or {}).get("step_files", {}).values():
                named.update(entry["tmp_name"] for entry in step_files.values())
        for name in storage.listdir(f"{UPLOAD_FOLDER}/{folder}")[1]:
            path = f"{UPLOAD_FOLDER}/{folder}/{name}"
            if path not in named and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                deleted += 1
    return deleted


# What anonymisation erases; region, gender category, countries, dates and statuses
# stay, so that totals and reports still add up.
ERASED_ON_ANONYMISATION = {
    "gender_self_description": "",
    "access_needs": "",
    "organisation_name": "",
    "role": "",
    "previous_scholarships": "",
    "motivation": {},
    "departure_city": "",
    "other_funding": "",
    "draft": {},
}


def anonymise_application(application):
    """Erase what identifies the applicant; keep what the totals need.

    Side effects: personal answers emptied, the support letter and any wizard uploads
    deleted, the link to the account cut; a draft is deleted outright.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        files = []
        folder = f"{UPLOAD_FOLDER}/{locked.public_id.hex}"
        if default_storage.exists(folder):
            files += [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
        if locked.support_letter:
            files.append(locked.support_letter.name)
        # Files go only once the rows are changed for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
        # The audit entries about it would say who it was and from where.
        AuditEntry.objects.filter(object_id=str(locked.public_id)).redact()
        if locked.status == ApplicationStatus.DRAFT:
            locked.delete()
            return None
        TravellerDetails.objects.filter(application=locked).delete()
        locked.support_letter = ""
        for field, empty in ERASED_ON_ANONYMISATION.items():
            setattr(locked, field, empty)
        locked.applicant = None
        locked.anonymised_at = timezone.now()
        locked.save()
        log_action(actor=None, action="application.anonymised", data={"call": locked.call_id})
    return locked


def applications_due_for_retention(today=None):
    """Applications of calls whose retention period after the conference has ended."""
    today = today or timezone.localdate()
    due = [
        call.pk
        for call in Call.objects.select_related("conference")
        if call.retention_ends_on < today
    ]
    return Application.objects.filter(call__in=due, anonymised_at__isnull=True)


def apply_retention(today=None):
    """Anonymise every application whose call's retention period is over.

    Returns (anonymised, drafts deleted). Run daily: `manage.py apply_retention`.
    """
    anonymised = deleted = 0
    for application in applications_due_for_retention(today):
        try:
            result = anonymise_application(application)
        except Exception:
            # One bad row (a lost key, a storage error) must not stop the others.
            logger.exception("Retention failed for application %s", application.pk)
            continue
        if result is None:
            deleted += 1
        else:
            anonymised += 1
    return anonymised, deleted


def export_applications(user):
    """The person's applications, every answer included, for their data export."""
    return [
        {
            "reference": str(application.public_id),
            "call": str(application.call.title),
            "status": application.status_for_applicant.value,
            "status_label": str(application.status_for_applicant.label),
            "created_at": application.created_at.isoformat(),
            "submitted_at": application.submitted_at.isoformat()
            if application.submitted_at
            else None,
            "answers": {
                str(section["title"]): {str(label): value for label, value in section["rows"]}
                for section in answer_sections(application)
            },
            # A draft's steps as saved, eligibility answers included.
            "draft_steps": (application.draft or {}).get("step_data", {}),
            "consent_version": application.consent_version,
            "has_support_letter": bool(application.support_letter),
        }
        | traveller_details(application)
        for application in Application.objects.filter(applicant=user).select_related(
            "call__conference", "decision", "traveller"
        )
    ]


def traveller_details(application):
    """An awardee's passport details, for their own data export only."""
    traveller = getattr(application, "traveller", None)
    if traveller is None:
        return {}
    return {
        "traveller": {
            "legal_name": traveller.legal_name,
            "nationality": traveller.nationality,
            "date_of_birth": traveller.date_of_birth,
            "passport_number": traveller.passport_number,
            "passport_expires_on": traveller.passport_expires_on,
        }
    }


def erase_applications(user):
    """For an account being erased: drafts deleted, the other applications anonymised."""
    for application in Application.objects.filter(applicant=user):
        anonymise_application(application)


REVIEWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def assign_reviewers(call, *, by):
    """Give every submitted application of the call k reviewers from its panel.

    Hard rules: the reviewer reads the application's language, has not declared a
    conflict with it, lives elsewhere and works elsewhere; existing assignments stay.
    Side effects: new ReviewAssignment rows; an audit entry. Raises ScholarshipError
    naming how many applications have too few eligible reviewers.
    """
    with transaction.atomic():
        # One assignment run per call at a time: a double click waits, then adds nothing.
        Call.objects.select_for_update().get(pk=call.pk)
        return _assign_reviewers(call, by=by)


def _assign_reviewers(call, *, by):
    # Only what the rules compare: the encrypted answers are not decrypted for nothing.
    applications = list(
        call.applications.filter(status__in=REVIEWABLE).only(
            "pk", "language", "country_of_residence", "organisation_name", "region", "applicant_id"
        )
    )
    members = list(call.panel.select_related("reviewer").prefetch_related("conflicts"))
    own = defaultdict(set)  # a reviewer's own applications, by their account
    for application in applications:
        own[application.applicant_id].add(str(application.pk))
    papers = [
        Paper(
            key=str(application.pk),
            language=application.language,
            country=application.country_of_residence.code or "",
            organisation=application.organisation_name,
            region=application.region,
        )
        for application in applications
    ]
    reviewers = [
        Reviewer(
            key=str(member.pk),
            languages=frozenset(member.languages),
            country=member.reviewer.country.code or "",
            organisation=member.organisation,
            # Declared conflicts, and the reviewer's own application.
            conflicts=frozenset(str(c.application_id) for c in member.conflicts.all())
            | own[member.reviewer_id],
            floor=member.min_reviews,
            cap=member.max_reviews,
        )
        for member in members
    ]
    existing = set(
        ReviewAssignment.objects.filter(application__call=call).values_list(
            "application_id", "member_id"
        )
    )
    result = assign(
        papers,
        reviewers,
        k=call.reviewers_per_application,
        fixed=[(str(a), str(m)) for a, m in existing],
    )
    if result.capacity:
        raise ScholarshipError(
            _(
                "The panel's largest loads allow %(allowed)d reviews, but %(needed)d are needed. "
                "Raise the reviewers' largest loads or add reviewers, then try again."
            )
            % {"allowed": result.capacity[0], "needed": result.capacity[1]}
        )
    if result.status != "optimal":
        raise ScholarshipError(
            _(
                "%(count)d application(s) cannot get %(k)d reviewers who read their language "
                "and have no conflict. Add reviewers to the panel, then try again."
            )
            % {"count": max(len(result.short), 1), "k": call.reviewers_per_application}
        )
    new = [
        ReviewAssignment(application_id=int(a), member_id=int(m))
        for a, m in result.pairs
        if (int(a), int(m)) not in existing
    ]
    ReviewAssignment.objects.bulk_create(new, batch_size=2000)
    log_action(actor=by, action="call.reviewers_assigned", obj=call, data={"new": len(new)})
    return len(new)


def save_review(assignment, *, scores, comment, recommendation, submit, by):
    """Save a reviewer's scores as a draft, or submit them (then they are final).

    Side effects: the assignment row locked and saved; an audit entry. Raises
    ScholarshipError when the review was submitted already, or when submitting
    without every criterion scored and a recommendation.
    """
    with transaction.atomic():
        locked = (
            ReviewAssignment.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(pk=assignment.pk)
            .first()
        )
        if locked is None or locked.application.status in (
            ApplicationStatus.DRAFT,
            ApplicationStatus.WITHDRAWN,
        ):
            raise ScholarshipError(_("This application is no longer assigned to you."))
        if locked.status == ReviewStatus.SUBMITTED:
            raise ScholarshipError(_("This review is submitted and can no longer change."))
        criteria = list(locked.application.call.criteria.all())
        if submit and (any(str(c.pk) not in scores for c in criteria) or not recommendation):
            raise ScholarshipError(
                _("Score every criterion and give a recommendation before you submit.")
            )
        locked.scores = {key: int(value) for key, value in scores.items()}
        locked.comment = comment
        locked.recommendation = recommendation
        if submit:
            locked.status = ReviewStatus.SUBMITTED
            locked.submitted_at = timezone.now()
        locked.save()
        log_action(
            actor=by,
            action="review.submitted" if submit else "review.saved",
            obj=locked.application,
        )
    return locked


def declare_conflict(member, application, *, by):
    """A reviewer declares a conflict: they are no longer assigned the application, and a
    review they had written no longer counts.

    Side effects: a Conflict row; their assignment to it (and its review) deleted; an
    audit entry.
    """
    with transaction.atomic():
        Conflict.objects.get_or_create(member=member, application=application)
        ReviewAssignment.objects.filter(member=member, application=application).delete()
        log_action(actor=by, action="review.conflict_declared", obj=application)


def estimated_costs(call, keys):
    """{public id: cost in the policy budget's currency} from the estimator named by
    settings.SELECTION_COST_ESTIMATOR (payments' travel estimates: a dotted path, so that
    scholarships never imports payments); empty when none is set."""
    path = getattr(settings, "SELECTION_COST_ESTIMATOR", "")
    return import_string(path)(call, keys) if path and keys else {}


def candidates_for_selection(call, statuses=(*REVIEWABLE, ApplicationStatus.AWARDED)):
    """The reviewed applications in `statuses` as optimiser candidates: calibrated merit,
    the estimated cost of each person (else the region's flat estimate), region, gender
    category, first-time flag."""
    rows, _line, _reviewer_flags = ranking_for_call(call)
    policy = getattr(call, "balance_policy", None)
    costs = (
        {t.region: float(t.estimated_cost) for t in policy.region_targets.all()} if policy else {}
    )
    # A region without an estimate costs as much as the dearest one: never free.
    fallback = max(costs.values(), default=0.0)
    priced = estimated_costs(
        call, [str(row["public_id"]) for row in rows if row["status"] in statuses]
    )
    first_time = set(
        Application.objects.filter(call=call, first_time_attendee=True).values_list(
            "public_id", flat=True
        )
    )
    return [
        Candidate(
            key=str(row["public_id"]),
            merit=row["calibrated"],
            cost=priced.get(str(row["public_id"]), costs.get(row["region"], fallback)),
            region=row["region"],
            gender=row["gender"],
            flags=frozenset({"first_time"}) if row["public_id"] in first_time else frozenset(),
        )
        for row in rows
        if row["status"] in statuses
    ]


def selection_policy(call, *, objective, fixed_awards=None, threshold=0.0):
    policy = getattr(call, "balance_policy", None)
    if policy is None:
        return Policy(
            max_awards=call.number_of_awards,
            objective=objective,
            fixed_awards=fixed_awards,
            threshold=threshold,
        )
    return Policy(
        max_awards=call.number_of_awards,
        budget=float(policy.budget.amount) if policy.budget else None,
        objective=objective,
        fixed_awards=fixed_awards,
        threshold=threshold,
        regions={
            t.region: Bounds(
                min_count=t.min_count,
                min_share=float(t.min_share),
                max_share=float(t.max_share) if t.max_share is not None else None,
            )
            for t in policy.region_targets.all()
        },
        genders={t.gender: float(t.min_share) for t in policy.gender_targets.all() if t.min_share},
        pinned_in=frozenset(policy.pinned_in),
        pinned_out=frozenset(policy.pinned_out),
        flags={"first_time": float(policy.first_time_min_share)}
        if policy.first_time_min_share
        else {},
    )


def propose_selection(call, *, objective, by, fixed_awards=None, threshold=0.0):
    """Solve the selection for the call's policy and keep the run for audit.

    Side effects: a SelectionRun row with the inputs' hash, the policy, the result, the
    score-order list, the price of balance, the conflicts if any, the gap, the solver;
    an audit entry. The same inputs give the same selection.
    """
    candidates = candidates_for_selection(call)
    policy = selection_policy(
        call, objective=objective, fixed_awards=fixed_awards, threshold=threshold
    )
    # Places already awarded count against the awards and the budget: they are pinned in.
    awarded = frozenset(
        str(key)
        for key in call.applications.filter(status=ApplicationStatus.AWARDED).values_list(
            "public_id", flat=True
        )
    )
    known = {candidate.key for candidate in candidates}
    policy = Policy(
        **{
            **policy.__dict__,
            # Pins on applications that left the running (withdrawn) no longer count.
            "pinned_in": (policy.pinned_in | awarded) & known,
            "pinned_out": policy.pinned_out & known,
        }
    )
    result = select(candidates, policy)
    score_order = greedy(candidates, policy)
    merit = {c.key: c.merit for c in candidates}
    policy_record = {
        "max_awards": policy.max_awards,
        "budget": policy.budget,
        "objective": policy.objective,
        "fixed_awards": policy.fixed_awards,
        "threshold": policy.threshold,
        "regions": {r: b.__dict__ for r, b in policy.regions.items()},
        "genders": policy.genders,
        "flags": policy.flags,
    }
    inputs = json.dumps(
        [[c.key, c.merit, c.cost, c.region, c.gender, sorted(c.flags)] for c in candidates]
        + [policy_record],
        sort_keys=True,
    )
    run = SelectionRun.objects.create(
        call=call,
        created_by=by,
        objective=objective,
        inputs_hash=hashlib.sha256(inputs.encode()).hexdigest(),
        policy=policy_record,
        status=result.status,
        chosen=result.chosen,
        greedy=score_order,
        total_merit=result.total_merit,
        greedy_merit=sum(merit[key] for key in score_order),
        greedy_breaks=sorted(
            {family for family, _group in violations(candidates, policy, score_order)}
        ),
        total_cost=round(result.total_cost, 2),
        price_of_balance=price_of_balance(candidates, policy, base=result)
        if result.status == "optimal"
        else {},
        conflicts=result.conflicts,
        gap=result.gap,
        solver=result.solver,
        seconds=result.seconds,
    )
    log_action(actor=by, action="selection.proposed", obj=call, data={"run": run.pk})
    return run


def pin_application(call, *, application, how, by):
    """Keep an application in ("in") or out ("out") of every proposal, or neither
    ("clear"). Side effects: the call's balance policy saved (made if missing); an audit
    entry."""
    key = str(application.public_id)
    with transaction.atomic():
        policy, _created = BalancePolicy.objects.select_for_update().get_or_create(call=call)
        pinned_in = [k for k in policy.pinned_in if k != key]
        pinned_out = [k for k in policy.pinned_out if k != key]
        if how == "in":
            pinned_in.append(key)
        elif how == "out":
            pinned_out.append(key)
        policy.pinned_in, policy.pinned_out = pinned_in, pinned_out
        policy.save(update_fields=["pinned_in", "pinned_out"])
        log_action(actor=by, action=f"selection.pinned_{how}", obj=application)
    return policy
