"""The database check of `make load` (tests/load.py): what the phones did, against what
the database holds. Every function returns a list of problems; an empty one is a pass."""

from collections import Counter, defaultdict

from tests.load_phones import LETTER


def check_database(journeys, calls, sent):
    """Problems found comparing what the phones did with the database (none: an empty list)."""
    from django.core.files.storage import default_storage

    from accounts.audit import AuditEntry
    from notifications.enums import EmailStatus
    from notifications.models import OutgoingEmail
    from scholarships.models import Application

    problems = []
    rows = defaultdict(list)
    for application in Application.objects.select_related("applicant", "call"):
        rows[application.applicant.email, application.call.slug].append(application)
    emails = Counter(
        OutgoingEmail.objects.filter(template="application_submitted").values_list(
            "recipient", flat=True
        )
    )
    audits = Counter(
        AuditEntry.objects.filter(action="application.submitted").values_list(
            "object_id", flat=True
        )
    )
    for journey in journeys:
        found = rows.pop((journey.email, journey.slug), [])
        if not journey.public_id:
            if found:
                problems.append(f"{journey.email} on {journey.slug}: an application never begun")
            continue
        if len(found) != 1:
            problems.append(f"{journey.email} on {journey.slug}: {len(found)} applications, not 1")
            continue
        row = found[0]
        if str(row.public_id) != journey.public_id:
            problems.append(f"{journey.email}: another application than the one it filled")
        if journey.submitted:
            problems.extend(check_submitted(journey, row, audits, default_storage))
        else:
            problems.extend(check_draft(journey, row, calls[journey.slug]))
    for (email, slug), found in rows.items():
        problems.append(f"{email} on {slug}: {len(found)} application(s) no phone began")
    submitted = Counter(journey.email for journey in journeys if journey.submitted)
    for email in {journey.email for journey in journeys}:
        if emails[email] != submitted[email] or sent[email] != submitted[email]:
            problems.append(
                f"{email}: {emails[email]} confirmation emails in the outbox and "
                f"{sent[email]} sent, for {submitted[email]} submissions"
            )
    unsent = OutgoingEmail.objects.exclude(status=EmailStatus.SENT).count()
    if unsent:
        problems.append(f"{unsent} emails in the outbox were not sent")
    return problems


def check_submitted(journey, row, audits, storage):
    problems = []
    who = f"{journey.email} on {journey.slug}"
    if row.status != "submitted" or row.submitted_at is None or row.draft:
        problems.append(f"{who}: status {row.status}, not submitted")
    about, organisation = journey.answers["about"], journey.answers["organisation"]
    travel, motivation = journey.answers["travel"], journey.answers["motivation"]
    expected = {
        "country_of_residence": about["about-country_of_residence"],
        "gender": about["about-gender"],
        "languages": about["about-languages"],
        "organisation_name": organisation["organisation-organisation_name"],
        "role": organisation["organisation-role"],
        "motivation": {
            name.removeprefix("motivation-q"): text for name, text in motivation.items()
        },
        "departure_city": travel["travel-departure_city"],
        "support_requested": travel["travel-support_requested"],
    }
    for name, value in expected.items():
        stored = getattr(row, name)
        if str(stored) != str(value) and stored != value:
            problems.append(f"{who}: {name} is {stored!r}, it sent {value!r}")
    if journey.letter:
        if not row.support_letter or not storage.exists(row.support_letter.name):
            problems.append(f"{who}: the support letter is missing")
        else:
            with storage.open(row.support_letter.name) as letter:
                if letter.read() != LETTER:
                    problems.append(f"{who}: the support letter differs from the upload")
    elif row.support_letter:
        problems.append(f"{who}: a support letter it never sent")
    if audits[journey.public_id] != 1:
        problems.append(f"{who}: {audits[journey.public_id]} submission audit entries, not 1")
    return problems


def check_draft(journey, row, call):
    who = f"{journey.email} on {journey.slug}"
    if row.status != "draft":
        return [f"{who}: status {row.status}, but it never sent the application"]
    stored = (row.draft or {}).get("step_data", {})
    expected = {"eligibility": call["eligibility"]} | {
        step: journey.answers[step] for step in journey.saved
    }
    problems = []
    if set(stored) != set(expected):
        problems.append(f"{who}: draft holds {sorted(stored)}, it saved {sorted(expected)}")
    for step, fields in expected.items():
        posted = {
            name: value if isinstance(value, list) else [value] for name, value in fields.items()
        }
        if step in stored and stored[step] != posted:
            problems.append(f"{who}: step {step} holds {stored[step]!r}, it sent {posted!r}")
    return problems
