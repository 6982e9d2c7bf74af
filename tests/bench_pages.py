"""`make bench`, second part: every key page on a seeded database, at two sizes.

Seeds a fresh database with two realistic calls, one of 1,000 and one of 10,000
submitted applications (plus 5 % drafts), each with 150 reviewers, 3 reviews per
application (30,000 at 10,000), a rubric, a balance policy and a proposed selection;
prints the time of the assignment and of the optimiser on each. Then, on each call,
one application in five is an accepted award (2,000 at 10,000, 200 at 1,000) with a
travel budget (three lines, from a USD or a EUR fund allocated to the call) and
disbursements (the airfare paid, the per diem requested for one in two); a prep
meeting invites 500 of the awardees (all 200 at 1,000), spread over 26 time zones, a
fifth with narrower hours, and 20 other meetings keep some of them busy; three open
calls beside take an applicant's applications: a draft with every step saved, a draft
half done, one sent (and their award on the big call).

Each size is seeded, then measured, before the next is seeded, so that the pages that
read the whole database (the fund report) see 1,000 applications, then 11,000. Per page
and size it prints the query count and the median and 95th-percentile server time over
repeated requests through a real HTTP server (gunicorn, one sync worker, staff signed in
through the login and second-factor pages, the applicant through the login page).

- Database: PostgreSQL `scholarships_bench` on 127.0.0.1:5432, dropped and made anew,
  when reachable (BENCH_PG_SERVER overrides the server); else a temporary SQLite file.
- Query counts: SQL statements (BEGIN and COMMIT, which Django logs too, not counted)
  through Django's test client in this process (force_login and the second-factor
  session marker, as tests/helpers.py does), after a warm-up request.
- The slot finder's figures grow with the people invited (200, then 500), not with the
  applications.
- Server time: gunicorn's own time per request (its access log, %(D)s), after a warm-up.
- BENCH_SIZES=1000 (comma-separated) runs fewer sizes, for a quick look.

Prints figures beside their targets; asserts nothing.
"""

import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "scholarships_bench"
# The app servers' shared cache, as production has it (settings: CACHE_URL).
CACHE_SERVER = os.environ.get("BENCH_CACHE_SERVER", "redis://127.0.0.1:6379")
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(","))
REVIEWERS = 150
PER_APPLICATION = 3
DRAFT_SHARE = 0.05
PASSWORD = "bench-only-passphrase-0123"
# Timed requests per page and size after the warm-up (the p95 is then the fifth slowest;
# of 40 it was the third, and one hiccup of the machine moved a page's growth by half)...
REPEATS = 100
PAGE_BUDGET = 30.0  # ...fewer (at least MIN_REPEATS) when they would take longer (seconds)
MIN_REPEATS = 5
AWARD_SHARE = 0.2  # of the submitted applications: 2,000 awards at 10,000
MEETING_PEOPLE = 500  # invited to the prep meeting whose time is sought

# Production settings (DEBUG off) for this run, served over plain HTTP on 127.0.0.1.
ENVIRONMENT = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "LOG_LEVEL": "WARNING",
    # WhiteNoise warns that `collectstatic` has not run: no page here needs static files.
    "PYTHONWARNINGS": "ignore:No directory at",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}

# Page: kind of page for its target ("list" or "dashboard"). Rows for each size are made
# by page_rows(), in this order.
WIZARD_STEPS = ["eligibility", "about", "organisation", "motivation", "travel", "documents"]
PAGES = {
    "call detail (anonymous)": "list",
    "call detail (applicant)": "list",
    **{f"wizard {step}": "list" for step in [*WIZARD_STEPS, "review"]},
    "wizard about (POST)": "list",
    "my applications": "list",
    "reviewer queue": "list",
    "call applications": "list",
    "ranking": "list",
    "selection/balance": "dashboard",
    "fund report": "dashboard",
    "fund report by region": "dashboard",
    "meeting slot finder": "dashboard",
}
TARGET_MS = {"list": 150, "dashboard": 300}
# The finance reports read every call's budgets: they are timed before the next size is
# seeded. Every other page reads one call's data, one person's or one meeting's: they
# are timed once every size is seeded, each page at one size and then at the next, so
# that the machine's drift over a minute (seen here: a page that reads no more at
# 10,000 taking 1.7 times as long) falls on both sizes alike.
GLOBAL_PAGES = {"fund report", "fund report by region"}
TARGET_QUERIES = 10

# Languages the reviewers read, and how many of the 150 read each combination.
PANEL_LANGUAGES = [
    (["en"], 45),
    (["en", "es"], 35),
    (["es"], 10),
    (["en", "fr"], 25),
    (["fr"], 5),
    (["en", "ru"], 18),
    (["ru"], 4),
    (["en", "zh-hans"], 8),
]
PANEL_COUNTRIES = ["ML", "GH", "CL", "UY", "MD", "TJ", "MY", "BE", "NZ", "BS", "CA", "AM"]
COMMENTS = [
    "Clear plan for sharing what is learned with the community.",
    "Strong links with peers; the motivation could say more about follow-up.",
    "Relevant work, but the answers are short.",
]


def say(text=""):
    print(text, flush=True)


# ----------------------------------------------------------------------------- database


def choose_database(workdir):
    """A fresh PostgreSQL database when the server answers, else a temporary SQLite file."""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as db:
            db.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            db.execute(f"CREATE DATABASE {PG_NAME}")
        return f"{PG_SERVER}/{PG_NAME}", f"PostgreSQL, database {PG_NAME} (dropped and made anew)"
    except Exception as error:  # any failure means: no PostgreSQL to use here
        path = workdir / "bench.sqlite3"
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"sqlite:///{path}", f"SQLite, temporary file {path} (PostgreSQL: {reason})"


def shared_cache(database):
    """(CACHE_URL, description): a Redis database, emptied, when Redis answers, as the
    app servers share in production; else ("", why): each process caches on its own and
    sessions live in the database alone."""
    url = f"{CACHE_SERVER}/{database}"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception as error:  # any failure means: no shared cache here
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return "", f"none, each process its own (Redis at {url}: {reason})"
    return url, f"Redis at {url} (emptied), sessions read from it"


def setup_django(database_url, workdir):
    os.environ.update(ENVIRONMENT)
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = database_url
    os.environ["PRIVATE_STORAGE_ROOT"] = str(workdir / "private")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# ----------------------------------------------------------------------------- seeding


def make_staff(email, **roles):
    """A staff account with a password and a confirmed authenticator."""
    from accounts.models import User
    from accounts.two_factor import TOTPDevice

    user = User(email=email, display_name=email.split("@")[0], **roles)
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def seed_call(size, rng):
    """One closed call of `size` submitted applications (and 5 % drafts), its panel of
    REVIEWERS, a three-line rubric and a balance policy. Returns (call, criteria)."""
    from django.utils import timezone
    from djmoney.money import Money

    from accounts.models import User
    from conferences.enums import ConferenceKind
    from conferences.models import Conference, CountryRegion
    from scholarships.enums import ApplicationStatus, CallStatus, SupportKind
    from scholarships.management.commands import _demo_applications as demo
    from scholarships.management.commands._demo_reviews import CRITERIA, REGION_TARGETS
    from scholarships.models import (
        Application,
        BalancePolicy,
        Call,
        Conflict,
        Criterion,
        MotivationQuestion,
        PanelMember,
    )

    now = timezone.now()
    tag = f"bench{size}"
    conference = Conference.objects.create(
        kind=ConferenceKind.INTERNATIONAL_AIDS,
        name=f"International AIDS Conference (bench {size})",
        acronym=f"AIDS B{size}",
        city="Cape Town",
        country="ZA",
        time_zone="Africa/Johannesburg",
        start_date=date(2028, 7, 23),
        end_date=date(2028, 7, 28),
        registration_fee=Money("750.00", "USD"),
    )
    awards = max(size // 10, 10)
    call = Call.objects.create(
        conference=conference,
        slug=f"bench-{size}",
        title={"en": f"Scholarships, {size} applications", "fr": f"Bourses, {size} candidatures"},
        summary={"en": "Travel and subsistence."},
        description={"en": "The description."},
        status=CallStatus.PUBLISHED,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=7),
        number_of_awards=awards,
        reviewers_per_application=PER_APPLICATION,
        support_offered=[kind.value for kind in SupportKind],
    )
    questions = [
        MotivationQuestion.objects.create(call=call, text={"en": text}, word_limit=250, position=i)
        for i, text in enumerate(["Why do you want to attend?", "Which issue matters most?"])
    ]
    criteria = [
        Criterion.objects.create(call=call, name=name, weight=weight, scale=5, position=position)
        for position, (name, weight) in enumerate(CRITERIA)
    ]
    policy = BalancePolicy.objects.create(
        call=call, budget=Money(awards * 2_700, "USD"), first_time_min_share="0.30"
    )
    for region, (low, high, cost) in REGION_TARGETS.items():
        policy.region_targets.create(
            region=region, min_share=low, max_share=high, estimated_cost=cost
        )
    for gender, share in (("woman", "0.40"), ("transgender", "0.12")):
        policy.gender_targets.create(gender=gender, min_share=share)

    regions = dict(CountryRegion.objects.values_list("country", "region"))
    drafts = int(size * DRAFT_SHARE)
    users, plans = [], []
    for number in range(size + drafts):
        region = rng.choices(list(demo.REGION_WEIGHTS), weights=demo.REGION_WEIGHTS.values())[0]
        country, city, language = rng.choice(demo.PLACES[region])
        gender = rng.choices(list(demo.GENDER_WEIGHTS), weights=demo.GENDER_WEIGHTS.values())[0]
        user = User(
            email=f"{tag}-applicant-{number:05d}@bench.example",
            display_name=f"{rng.choice(demo.NAMES)} {number:05d}",
            preferred_language=language,
            country=country,
        )
        user.set_unusable_password()
        users.append(user)
        plans.append((regions.get(country, region), country, city, language, gender))
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(email__startswith=f"{tag}-applicant-").order_by("email"))
    applications = []
    for number, (user, (region, country, city, language, gender)) in enumerate(
        zip(users, plans, strict=True)
    ):
        if number >= size:
            applications.append(
                Application(
                    call=call,
                    applicant=user,
                    status=ApplicationStatus.DRAFT,
                    draft={"step": "about", "step_data": {"eligibility": {}}},
                    language=language,
                )
            )
            continue
        submitted_at = now - timedelta(days=7, hours=rng.randint(1, 24 * 50))
        applications.append(
            Application(
                call=call,
                applicant=user,
                status=ApplicationStatus.SUBMITTED,
                language=language,
                country_of_residence=country,
                region=region,
                gender=gender,
                languages=[language[:2]],
                organisation_name=rng.choice(demo.ORGANISATIONS[language]),
                organisation_is_sex_worker_led=rng.choice(["yes", "yes", "unsure"]),
                role=rng.choice(demo.ROLES[language]),
                first_time_attendee=rng.random() < 0.55,
                motivation={
                    str(questions[0].pk): rng.choice(demo.WHY[language]),
                    str(questions[1].pk): rng.choice(demo.ISSUE[language]),
                },
                departure_city=city,
                departure_country=country,
                visa_needed=rng.choice(["yes", "no", "unsure"]),
                support_requested=rng.sample(
                    [kind.value for kind in SupportKind], k=rng.randint(2, 5)
                ),
                consent_version="2026-11",
                consented_at=submitted_at,
                submitted_at=submitted_at,
            )
        )
    Application.objects.bulk_create(applications, batch_size=2000)

    reviewers = []
    languages = [combo for combo, count in PANEL_LANGUAGES for _ in range(count)]
    for number in range(REVIEWERS):
        user = User(
            email=f"{tag}-reviewer-{number:03d}@bench.example",
            display_name=f"Reviewer {number:03d}",
            country=PANEL_COUNTRIES[number % len(PANEL_COUNTRIES)],
            is_reviewer=True,
        )
        user.set_unusable_password()
        reviewers.append(user)
    User.objects.bulk_create(reviewers)
    reviewers = User.objects.filter(email__startswith=f"{tag}-reviewer-").order_by("email")
    load = size * PER_APPLICATION / REVIEWERS
    PanelMember.objects.bulk_create(
        PanelMember(
            call=call,
            reviewer=reviewer,
            languages=languages[number % len(languages)],
            organisation=f"Reviewers Collective {number % 40}",
            min_reviews=int(load * 0.6),
            max_reviews=int(load * 1.6) + 2,
        )
        for number, reviewer in enumerate(reviewers)
    )
    # A few conflicts declared before the assignment (about one application in 500).
    members = list(call.panel.values_list("pk", flat=True))
    submitted = list(
        call.applications.filter(status=ApplicationStatus.SUBMITTED).values_list("pk", flat=True)
    )
    Conflict.objects.bulk_create(
        Conflict(member_id=rng.choice(members), application_id=application)
        for application in rng.sample(submitted, max(size // 500, 1))
    )
    return call, criteria


def write_reviews(call, criteria, rng):
    """Turn the assignments the solver made into reviews: 95 % submitted, with scores from
    each application's hidden quality and each reviewer's leniency."""
    from django.utils import timezone

    from scholarships.enums import ApplicationStatus, Recommendation, ReviewStatus
    from scholarships.models import ReviewAssignment

    assigned = ReviewAssignment.objects.filter(application__call=call)
    pairs = list(assigned.order_by("pk").values_list("application_id", "member_id"))
    assigned.delete()
    quality, leniency = {}, {}
    now = timezone.now()
    recommendations = list(Recommendation.values)
    reviews = []
    for application, member in pairs:
        q = quality.setdefault(application, rng.betavariate(4, 2.5))
        lean = leniency.setdefault(member, rng.gauss(0, 0.5))
        if rng.random() < 0.05:
            reviews.append(ReviewAssignment(application_id=application, member_id=member))
            continue
        scores = {
            str(c.pk): max(1, min(5, round(1 + 4 * q + lean + rng.gauss(0, 0.6)))) for c in criteria
        }
        mean = sum(scores.values()) / len(scores)
        reviews.append(
            ReviewAssignment(
                application_id=application,
                member_id=member,
                status=ReviewStatus.SUBMITTED,
                scores=scores,
                comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
                recommendation=recommendations[max(0, min(3, round(4.5 - mean)))],
                submitted_at=now - timedelta(hours=rng.randint(1, 24 * 6)),
            )
        )
    ReviewAssignment.objects.bulk_create(reviews, batch_size=2000)
    call.applications.filter(status=ApplicationStatus.SUBMITTED).update(
        status=ApplicationStatus.UNDER_REVIEW
    )
    return len(reviews), sum(1 for r in reviews if r.status == ReviewStatus.SUBMITTED)


def seed(size, rng, coordinator):
    """Seed one call and run the assignment and the optimiser on it; say how long each took."""
    from django.db import connection

    from scholarships.queries import ranking_for_call
    from scholarships.services import ScholarshipError, assign_reviewers, propose_selection

    started = time.monotonic()
    call, criteria = seed_call(size, rng)
    seeded = time.monotonic() - started
    started = time.monotonic()
    try:
        pairs = assign_reviewers(call, by=coordinator)
    except ScholarshipError as error:
        say(f"  assignment failed: {error}")
        return None
    assignment = time.monotonic() - started
    started = time.monotonic()
    reviews, submitted = write_reviews(call, criteria, rng)
    written = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.monotonic()
    ranking_for_call(call)
    ranking = time.monotonic() - started
    started = time.monotonic()
    run = propose_selection(call, objective="merit", by=coordinator)
    proposal = time.monotonic() - started
    say(
        f"{size:,} applications ({int(size * DRAFT_SHARE):,} drafts besides), {REVIEWERS} "
        f"reviewers, {reviews:,} reviews ({submitted:,} submitted): seeded in "
        f"{seeded + written:.1f} s"
    )
    say(f"  assign_reviewers: {assignment:.2f} s for {pairs:,} pairs (target <= 5 s)")
    say(f"  ranking_for_call (calibration): {ranking:.2f} s")
    say(
        f"  propose_selection: {proposal:.2f} s in all (target <= 10 s), of which the "
        f"optimiser {run.seconds:.2f} s; {run.status}, gap {run.gap}, {run.solver}"
    )
    say(
        f"  optimum: {len(run.chosen)} awards, total calibrated merit {run.total_merit:.1f}; "
        f"score order (greedy): {len(run.greedy)} awards, {run.greedy_merit:.1f}, meets the "
        f"policy: {'yes' if not run.greedy_breaks else 'no (' + ', '.join(run.greedy_breaks) + ')'}"
    )
    return call


def make_awards(call, rng, coordinator, finance, approver):
    """One submitted application in five (at random) an accepted award, with a travel
    budget of three lines from one of two funds (USD, EUR) allocated to the call, the
    airfare paid and, for one in two, the per diem requested. Bulk writes, each amount a
    Money so that django-money fills its currency column. Returns the awards' users."""
    from decimal import Decimal

    from django.utils import timezone
    from djmoney.money import Money

    from payments.enums import DisbursementStatus, LineKind, PaymentMethod
    from payments.ledger import add_up_budgets
    from payments.models import AwardBudget, BudgetLine, Disbursement, Fund, FundAllocation
    from scholarships.enums import ApplicationStatus, Coverage, Outcome, Reply, SupportKind
    from scholarships.models import Application, Decision

    now = timezone.now()
    reviewed = list(
        call.applications.filter(status=ApplicationStatus.UNDER_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(reviewed, int(len(reviewed) * AWARD_SHARE)))
    Decision.objects.bulk_create(
        (
            Decision(
                application_id=pk,
                outcome=Outcome.AWARD,
                coverage=Coverage.FULL,
                covers=[kind.value for kind in SupportKind],
                reply_by=(now + timedelta(days=14)).date(),
                reply=Reply.ACCEPTED,
                replied_at=now - timedelta(days=rng.randint(1, 10)),
                released_at=now - timedelta(days=12),
                decided_by=coordinator,
            )
            for pk in chosen
        ),
        batch_size=2000,
    )
    call.applications.filter(pk__in=chosen).update(status=ApplicationStatus.AWARDED)

    funds = []
    for currency, amount in (("USD", 4_000_000), ("EUR", 3_000_000)):
        fund = Fund.objects.create(
            donor=f"Donor {currency} ({call.slug})",
            name=f"Travel grant {currency}",
            amount=Money(amount, currency),
            period_start=date(2026, 1, 1),
            period_end=date(2029, 12, 31),
        )
        FundAllocation.objects.create(fund=fund, call=call, amount=Money(amount // 2, currency))
        funds.append(fund)
    decisions = list(
        Decision.objects.filter(application__call=call, outcome=Outcome.AWARD).order_by("pk")
    )
    regions = dict(Application.objects.filter(call=call).values_list("pk", "region"))
    budgets = []
    for number, decision in enumerate(decisions):
        fund = funds[number % 2]
        currency = fund.amount.currency.code
        budgets.append(
            AwardBudget(
                decision=decision,
                fund=fund,
                call=call,
                region=regions[decision.application_id],
                priced_on=date(2028, 6, 12),
                planned_total=Money(0, currency),
                paid_total=Money(0, currency),
                committed_total=Money(0, currency),
                created_by=finance,
            )
        )
    AwardBudget.objects.bulk_create(budgets, batch_size=2000)
    budgets = list(AwardBudget.objects.filter(decision__in=decisions).select_related("fund"))
    lines, disbursements = [], []
    for number, budget in enumerate(budgets):
        currency = budget.fund.amount.currency.code
        fare = Decimal(rng.randrange(500, 1800))
        per_diem = Decimal(rng.randrange(60, 120))
        night = Decimal(rng.randrange(90, 160))
        amounts = {
            LineKind.AIRFARE: (1, fare),
            LineKind.PER_DIEM: (7, per_diem),
            LineKind.ACCOMMODATION: (6, night),
        }
        for kind, (quantity, unit) in amounts.items():
            lines.append(
                BudgetLine(
                    budget=budget,
                    kind=kind,
                    quantity=quantity,
                    unit_amount=Money(unit, currency),
                    amount=Money(unit * quantity, currency),
                    amount_in_fund=Money(unit * quantity, currency),
                    calculation=f"{quantity} × {unit} {currency}",
                )
            )
        planned = sum(unit * quantity for quantity, unit in amounts.values())
        budget.planned_total = budget.committed_total = Money(planned, currency)
        budget.paid_total = Money(fare, currency)
        paid_on = (now - timedelta(days=rng.randint(1, 20))).date()
        disbursements.append(
            Disbursement(
                budget=budget,
                fund=budget.fund,
                kind=LineKind.AIRFARE,
                amount=Money(fare, currency),
                amount_in_fund=Money(fare, currency),
                status=DisbursementStatus.PAID,
                idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                requested_by=finance,
                requested_at=now - timedelta(days=30),
                approved_by=approver,
                approved_at=now - timedelta(days=29),
                paid_by=finance,
                paid_on=paid_on,
                method=PaymentMethod.PURCHASED,
                reference=f"TKT-{budget.pk}",
            )
        )
        if number % 4 < 2:  # one in two, from both funds
            disbursements.append(
                Disbursement(
                    budget=budget,
                    fund=budget.fund,
                    kind=LineKind.PER_DIEM,
                    amount=Money(per_diem * 7, currency),
                    amount_in_fund=Money(per_diem * 7, currency),
                    idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                    requested_by=finance,
                )
            )
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    Disbursement.objects.bulk_create(disbursements, batch_size=2000)
    AwardBudget.objects.bulk_update(
        budgets, ["planned_total", "committed_total", "paid_total"], batch_size=2000
    )
    add_up_budgets()  # the finance reports read the totals that the services would keep
    return [
        decision.application.applicant
        for decision in Decision.objects.filter(pk__in=[d.pk for d in decisions])
        .select_related("application__applicant")
        .order_by("pk")
    ], len(disbursements)


def make_meeting(call, awardees, coordinator, rng):
    """A prep meeting of the call's conference inviting MEETING_PEOPLE of its awardees
    (all of them if fewer), in varied time zones, a fifth with narrower hours; 20 other
    meetings in the next fortnight invite some of them (times to avoid)."""
    from django.utils import timezone

    from accounts.models import User
    from meetings.models import Invitation, MeetingHours, PrepMeeting
    from tests.bench_meetings import HOURS, ZONES

    people = awardees[:MEETING_PEOPLE]
    for person in people:
        person.time_zone = rng.choice(ZONES)
    User.objects.bulk_update(people, ["time_zone"], batch_size=2000)
    MeetingHours.objects.bulk_create(
        MeetingHours(
            user=person,
            earliest=datetime.min.replace(hour=earliest).time(),
            latest=datetime.min.replace(hour=latest).time(),
        )
        for person, (earliest, latest) in (
            (person, rng.choice(HOURS[1:])) for person in people if rng.random() < 0.2
        )
    )
    now = timezone.now()
    meeting = PrepMeeting.objects.create(
        conference=call.conference,
        title={"en": f"Getting ready for the conference ({call.slug})"},
        starts_at=now + timedelta(days=20),
        duration_minutes=90,
        time_zone=call.conference.time_zone,
        online_link="https://meet.example.org/prep",
        created_by=coordinator,
    )
    Invitation.objects.bulk_create(Invitation(meeting=meeting, user=person) for person in people)
    for number in range(20):
        other = PrepMeeting.objects.create(
            conference=call.conference,
            title={"en": f"Regional meeting {number} ({call.slug})"},
            starts_at=now + timedelta(days=1, minutes=15 * rng.randrange(13 * 96)),
            duration_minutes=60,
            time_zone=call.conference.time_zone,
            online_link="https://meet.example.org/regional",
            created_by=coordinator,
        )
        Invitation.objects.bulk_create(
            Invitation(meeting=other, user=person, sent_sequence=0, invited_at=now)
            for person in rng.sample(people, max(len(people) // 20, 1))
        )
    return meeting


def make_applicant(call, awardee, rng):
    """The awardee of `call` signs in and applies to three open calls of the same
    conference: a draft with every step saved (through the wizard, in this process), a
    draft half done, one sent. Returns (applicant, draft, wizard POST data)."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from scholarships.enums import ApplicationStatus, CallStatus, SupportKind
    from scholarships.models import Application, Call, EligibilityQuestion, MotivationQuestion
    from tests.helpers import sign_in
    from tests.load_phones import PREFIX, plan_journey

    now = timezone.now()
    awardee.set_password(PASSWORD)
    awardee.save(update_fields=["password"])
    opened = []
    for number in range(3):
        open_call = Call.objects.create(
            conference=call.conference,
            slug=f"{call.slug}-open-{number}",
            title={"en": f"Youth scholarships {number} ({call.slug})"},
            summary={"en": "Travel and subsistence."},
            description={"en": "The description."},
            status=CallStatus.PUBLISHED,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=30),
            number_of_awards=50,
            reviewers_per_application=2,
            support_offered=[kind.value for kind in SupportKind],
        )
        for position, (text, needed) in enumerate(
            [("Are you a member of a network organisation?", True), ("Other funding?", False)]
        ):
            EligibilityQuestion.objects.create(
                call=open_call, text={"en": text}, required_answer=needed, position=position
            )
        for position, text in enumerate(["Why do you want to attend?", "What will you share?"]):
            MotivationQuestion.objects.create(
                call=open_call, text={"en": text}, word_limit=250, position=position
            )
        opened.append(open_call)

    client = sign_in(Client(), awardee)
    drafts = []
    for number, open_call in enumerate(opened[:2]):
        eligibility = {
            f"eligibility-q{q.pk}": "yes" if q.required_answer else "no"
            for q in open_call.eligibility_questions.all()
        }
        response = client.post(
            reverse("scholarships:application-start", args=[open_call.slug]), eligibility
        )
        if response.status_code != 302:
            raise RuntimeError(f"Eligibility not passed: HTTP {response.status_code}")
        draft = Application.objects.get(call=open_call, applicant=awardee)
        motivation = list(open_call.motivation_questions.order_by("position"))
        journey = plan_journey(
            awardee.pk % 1000, 0, open_call.slug, {"motivation": [q.pk for q in motivation]}, rng
        )
        steps = WIZARD_STEPS[1:] if number == 0 else WIZARD_STEPS[1:3]
        for step in steps:
            url = reverse(
                "scholarships:application-step",
                kwargs={"public_id": draft.public_id, "step": step},
            )
            response = client.post(url, {f"{PREFIX}-current_step": step, **journey.answers[step]})
            if response.status_code != 302:
                raise RuntimeError(f"Wizard step {step} not saved: HTTP {response.status_code}")
        drafts.append((draft, {f"{PREFIX}-current_step": "about", **journey.answers["about"]}))
    Application.objects.create(
        call=opened[2],
        applicant=awardee,
        status=ApplicationStatus.SUBMITTED,
        language="en",
        country_of_residence=awardee.country or "KE",
        submitted_at=now - timedelta(days=2),
        consent_version="2026-11",
        consented_at=now - timedelta(days=2),
    )
    draft, post = drafts[0]
    return awardee, draft, post


# ----------------------------------------------------------------------------- measuring


def page_rows(size, call, people, meeting, draft, post):
    """(page, size, method, url, data, who, expected status) for every page at one size."""
    from django.urls import reverse

    today = date.today()
    step_url = lambda step: reverse(  # noqa: E731
        "scholarships:application-step", kwargs={"public_id": draft.public_id, "step": step}
    )
    slots = reverse("meetings:meeting-slots", kwargs={"public_id": meeting.public_id})
    slots += f"?first_day={today + timedelta(days=1)}&last_day={today + timedelta(days=14)}&step=15"
    detail = reverse("scholarships:call-detail", args=[call.slug])
    rows = {
        "call detail (anonymous)": ("GET", detail, None, None, 200),
        "call detail (applicant)": ("GET", detail, None, people["applicant"], 200),
        **{
            f"wizard {step}": ("GET", step_url(step), None, people["applicant"], 200)
            for step in [*WIZARD_STEPS, "review"]
        },
        # Saving "about" again: every step is saved, so it goes on to the review.
        "wizard about (POST)": ("POST", step_url("about"), post, people["applicant"], 302),
        "my applications": (
            "GET",
            reverse("scholarships:my-applications"),
            None,
            people["applicant"],
            200,
        ),
        "reviewer queue": (
            "GET",
            reverse("scholarships:review-queue"),
            None,
            people["reviewer"],
            200,
        ),
        "call applications": (
            "GET",
            reverse("scholarships:call-applications", args=[call.slug]),
            None,
            people["coordinator"],
            200,
        ),
        "ranking": (
            "GET",
            reverse("scholarships:call-ranking", args=[call.slug]),
            None,
            people["coordinator"],
            200,
        ),
        "selection/balance": (
            "GET",
            reverse("scholarships:call-selection", args=[call.slug]),
            None,
            people["coordinator"],
            200,
        ),
        "fund report": (
            "GET",
            reverse("payments:finance-report", args=["fund"]),
            None,
            people["finance"],
            200,
        ),
        "fund report by region": (
            "GET",
            reverse("payments:finance-report", args=["region"]),
            None,
            people["finance"],
            200,
        ),
        "meeting slot finder": ("GET", slots, None, people["coordinator"], 200),
    }
    return [(page, size, *rows[page]) for page in PAGES]


# Django logs BEGIN and COMMIT beside the statements; they are not queries of the page.
TRANSACTION = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.I)


def count_queries(rows, clients):
    """SQL statements per page through the test client, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import sign_in

    counts = {}
    for page, size, method, url, data, who, expected in rows:
        if who not in clients:
            clients[who] = Client() if who is None else sign_in(Client(), who)
        send = getattr(clients[who], method.lower())
        send(url, data) if data else send(url)
        with CaptureQueriesContext(connection) as queries:
            response = send(url, data) if data else send(url)
        statements = [q for q in queries.captured_queries if not TRANSACTION.match(q["sql"])]
        counts[page, size] = len(statements) if response.status_code == expected else None
        if response.status_code != expected:
            say(f"  {page} at {size:,}: HTTP {response.status_code} from the test client")
    return counts


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with one sync worker, its access log giving each request's time."""

    def __init__(self, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "access.log"
        self.requests = 0
        self.log.touch()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "120",
                "--access-logfile",
                str(self.log),
                "--access-logformat",
                "%(s)s %(D)s %({x-bench}i)s",
                "--error-logfile",
                str(workdir / "error.log"),
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
        )
        import requests

        for _ in range(300):
            try:
                requests.get(f"{self.base}/health/", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start: see " + str(workdir / "error.log"))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def lines(self):
        return self.log.read_text().splitlines()

    def session(self):
        """A requests session of an anonymous visitor."""
        import requests

        return requests.Session()

    def sign_in(self, user):
        """A requests session signed in through the login page and the second factor."""
        import requests

        from accounts.two_factor import TOTPDevice

        session = requests.Session()
        login = f"{self.base}/accounts/login/"
        session.get(login)
        response = session.post(
            login,
            data={
                "username": user.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
        )
        verify = f"{self.base}/accounts/two-factor/verify/"
        if not (user.is_reviewer or user.is_coordinator or user.is_finance or user.is_staff):
            if response.url.startswith(f"{self.base}/accounts/login/"):
                raise RuntimeError(f"Could not sign in as {user.email} over HTTP")
            return session
        if not response.url.startswith(verify):
            session.get(verify)
        for attempt in range(2):
            if attempt:  # a code is accepted once: wait for the authenticator's next one
                time.sleep(31 - time.time() % 30)
            code = TOTPDevice.objects.get(user=user, name="bench").current_token()
            response = session.post(
                verify, data={"code": code, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
            )
            if not response.url.startswith(verify) and "/accounts/login/" not in response.url:
                return session
        raise RuntimeError(f"Could not sign in as {user.email} over HTTP")

    def time_page(self, session, method, url, data=None, expected=200):
        """Server times (ms) of repeated requests after a warm-up, as gunicorn logged them
        (each request tagged with a header to find its line); None on an error."""

        def send(headers=None):
            if method == "GET":
                return session.get(self.base + url, headers=headers, allow_redirects=False)
            token = {"csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
            return session.post(
                self.base + url, data={**data, **token}, headers=headers, allow_redirects=False
            )

        first = send()
        if first.status_code != expected:
            return None, f"HTTP {first.status_code}"
        started, tags = time.monotonic(), set()
        while len(tags) < REPEATS:
            self.requests += 1
            tag = f"{self.requests}"
            response = send({"X-Bench": tag})
            if response.status_code != expected:
                return None, f"HTTP {response.status_code}"
            tags.add(tag)
            spent = time.monotonic() - started
            if len(tags) >= MIN_REPEATS and spent / len(tags) * REPEATS > PAGE_BUDGET:
                break
        for _ in range(50):  # gunicorn writes a line once the response is sent
            times = [
                int(fields[1]) / 1000
                for fields in (line.split(" ", 2) for line in self.lines())
                if len(fields) == 3 and fields[2] in tags
            ]
            if len(times) == len(tags):
                break
            time.sleep(0.05)
        return times, expected


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def main():
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    workdir = Path(tempfile.mkdtemp(prefix="scholarships-bench-"))
    try:
        measure(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(workdir):
    database_url, description = choose_database(workdir)
    cache_url, cache_description = shared_cache(database=8)
    os.environ["CACHE_URL"] = cache_url
    say()
    say(f"Pages on a seeded database: {description}; shared cache: {cache_description}")
    started = time.monotonic()
    setup_django(database_url, workdir)
    say(f"  migrated in {time.monotonic() - started:.1f} s")

    from django.db import DatabaseError, connection

    from accounts.two_factor import TOTPDevice

    coordinator = make_staff("coordinator@bench.example", is_coordinator=True)
    finance = make_staff("finance@bench.example", is_finance=True)
    approver = make_staff("treasurer@bench.example", is_finance=True)
    rng = random.Random(2028)
    sizes, counts, results, clients, sessions, later = [], {}, {}, {}, {}, []
    server = None
    try:
        server = Server(workdir)
    except Exception as error:  # the query counts still stand; say what went wrong
        say(f"  HTTP measurement not possible: {error}")
    for size in SIZES:
        call = seed(size, rng, coordinator)
        if call is None:
            continue
        started = time.monotonic()
        awardees, disbursements = make_awards(call, rng, coordinator, finance, approver)
        meeting = make_meeting(call, awardees, coordinator, rng)
        applicant, draft, post = make_applicant(call, awardees[-1], rng)
        # The reviewer with the most assignments in this call, signed in like staff.
        reviewer = call.panel.order_by("-max_reviews", "pk").first().reviewer
        reviewer.set_password(PASSWORD)
        reviewer.save(update_fields=["password"])
        TOTPDevice.objects.create(user=reviewer, name="bench", confirmed=True)
        if connection.vendor == "postgresql":
            # VACUUM too: left to autovacuum, the freshly written tables were vacuumed
            # while the larger size's pages were being timed, which they then paid for.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
                # And CHECKPOINT: the larger seed left far more pages to write, which the
                # checkpointer otherwise writes while the finance reports are timed.
                try:
                    cursor.execute("CHECKPOINT")
                except DatabaseError as error:  # not a superuser: time without it
                    say(f"  no CHECKPOINT before timing: {error}")
        say(
            f"  {len(awardees):,} accepted awards with budgets and {disbursements:,} "
            f"disbursements, a meeting of {meeting.invitations.count()} people, an applicant's "
            f"drafts: {time.monotonic() - started:.1f} s"
        )
        sizes.append(size)
        people = {
            "coordinator": coordinator,
            "finance": finance,
            "reviewer": reviewer,
            "applicant": applicant,
        }
        rows = page_rows(size, call, people, meeting, draft, post)
        counts.update(count_queries(rows, clients))
        results.update({(page, size): (None, "not measured") for page, *_rest in rows})
        later += [row for row in rows if row[0] not in GLOBAL_PAGES]
        if server is not None:
            time_rows(server, [row for row in rows if row[0] in GLOBAL_PAGES], sessions, results)
    if server is not None:
        order = list(PAGES)
        time_rows(
            server, sorted(later, key=lambda row: (order.index(row[0]), row[1])), sessions, results
        )
        server.stop()
    report(sizes, counts, results)


def time_rows(server, rows, sessions, results):
    started = time.monotonic()
    try:
        for page, size, method, url, data, who, expected in rows:
            if who not in sessions:
                sessions[who] = server.session() if who is None else server.sign_in(who)
            results[page, size] = server.time_page(sessions[who], method, url, data, expected)
    except Exception as error:  # the figures already taken stand; say what went wrong
        say(f"  HTTP measurement stopped: {error}")
    say(f"  {len(rows)} pages timed in {time.monotonic() - started:.1f} s")


def report(sizes, counts, results):
    load = os.getloadavg()[0]
    say()
    say(
        "Server time per page: gunicorn (1 sync worker) on 127.0.0.1, staff signed in through "
        "the login and second-factor pages,"
    )
    say(
        "the applicant through the login page; time from gunicorn's access log after one "
        "warm-up request; queries counted"
    )
    say(
        f"with Django's test client (SQL statements; BEGIN and COMMIT not counted); load average of this machine over the last minute: "
        f"{load:.2f} ({os.cpu_count()} cores)."
    )
    header = (
        f"{'page':<24} {'size':>7} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'n':>3}  target"
    )
    say(header)
    say("-" * len(header))
    for page, kind in PAGES.items():
        for size in sizes:
            times, status = results[page, size]
            queries = counts.get((page, size))
            target = f"p95 < {TARGET_MS[kind]} ms, <= {TARGET_QUERIES} queries"
            if times is None:
                say(f"{page:<24} {size:>7,} {queries or '?':>8}  {status}")
                continue
            median, p95 = statistics.median(times), percentile(times, 0.95)
            misses = []
            if p95 >= TARGET_MS[kind]:
                misses.append("time")
            if queries is not None and queries > TARGET_QUERIES:
                misses.append("queries")
            say(
                f"{page:<24} {size:>7,} {queries if queries is not None else '?':>8} "
                f"{median:>10.1f} {p95:>8.1f} {len(times):>3}  {target}"
                + (f"  (misses: {', '.join(misses)})" if misses else "")
            )
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        say()
        say(f"Growth from {small:,} to {large:,} applications (target: p95 at most 1.5 times):")
        for page in PAGES:
            a, b = results[page, small][0], results[page, large][0]
            if a and b:
                growth = percentile(b, 0.95) / percentile(a, 0.95)
                say(
                    f"  {page:<24} p95 x{growth:.2f}, queries {counts[page, small]} -> "
                    f"{counts[page, large]}" + ("  (misses)" if growth > 1.5 else "")
                )


if __name__ == "__main__":
    main()
