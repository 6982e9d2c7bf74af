"""`make bench`, second part: the coordinator's and the reviewer's pages on a seeded database.

Seeds a fresh database with two realistic calls, one of 1,000 and one of 10,000
submitted applications (plus 5 % drafts), each with 150 reviewers, 3 reviews per
application (30,000 at 10,000), a rubric, a balance policy and a proposed selection;
prints the time of the assignment and of the optimiser on each, then per page and size
its query count and the median and 95th-percentile server time over repeated requests
through a real HTTP server (gunicorn, one sync worker, signed in through the login and
second-factor pages).

- Database: PostgreSQL `scholarships_bench` on 127.0.0.1:5432, dropped and made anew,
  when reachable (BENCH_PG_SERVER overrides the server); else a temporary SQLite file.
- Query counts: Django's test client in this process (force_login and the second-factor
  session marker, as tests/helpers.py does), after a warm-up request.
- Server time: gunicorn's own time per request (its access log, %(D)s), after a warm-up.
- BENCH_SIZES=1000 (comma-separated) runs fewer sizes, for a quick look.

Prints figures beside their targets; asserts nothing.
"""

import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "scholarships_bench"
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(","))
REVIEWERS = 150
PER_APPLICATION = 3
DRAFT_SHARE = 0.05
PASSWORD = "bench-only-passphrase-0123"
REPEATS = 20  # timed requests per page and size after the warm-up...
PAGE_BUDGET = 10.0  # ...fewer (at least MIN_REPEATS) when they would take longer (seconds)
MIN_REPEATS = 5

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

# Page: (url name, who asks, kind of page for its target)
PAGES = {
    "ranking": ("scholarships:call-ranking", "coordinator", "list"),
    "selection/balance": ("scholarships:call-selection", "coordinator", "dashboard"),
    "reviewer queue": ("scholarships:review-queue", "reviewer", "list"),
    "call applications": ("scholarships:call-applications", "coordinator", "list"),
}
TARGET_MS = {"list": 150, "dashboard": 300}
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


# ----------------------------------------------------------------------------- measuring


def page_urls(calls, reviewers):
    """(page, size, url, who) for every page and size."""
    from django.urls import reverse

    rows = []
    for page, (name, who, _kind) in PAGES.items():
        for size, call in calls.items():
            url = reverse(name) if who == "reviewer" else reverse(name, args=[call.slug])
            rows.append((page, size, url, reviewers[size] if who == "reviewer" else who))
    return rows


def count_queries(urls, users):
    """Queries per page through the test client, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import sign_in

    clients = {}
    counts = {}
    for page, size, url, who in urls:
        if who not in clients:
            clients[who] = sign_in(Client(), users[who])
        client = clients[who]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[page, size] = len(queries) if response.status_code == 200 else None
        if response.status_code != 200:
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

    def time_page(self, session, url):
        """Server times (ms) of repeated requests after a warm-up, as gunicorn logged them
        (each request tagged with a header to find its line); None on an error."""
        first = session.get(self.base + url)
        if first.status_code != 200:
            return None, f"HTTP {first.status_code}"
        started, tags = time.monotonic(), set()
        while len(tags) < REPEATS:
            self.requests += 1
            tag = f"{self.requests}"
            response = session.get(self.base + url, headers={"X-Bench": tag})
            if response.status_code != 200:
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
        return times, 200


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
    say()
    say(f"Pages on a seeded database: {description}")
    started = time.monotonic()
    setup_django(database_url, workdir)
    say(f"  migrated in {time.monotonic() - started:.1f} s")

    coordinator = make_staff("coordinator@bench.example", is_coordinator=True)
    rng = random.Random(2028)
    calls, reviewers = {}, {}
    for size in SIZES:
        call = seed(size, rng, coordinator)
        if call is None:
            continue
        calls[size] = call
        # The reviewer with the most assignments in this call, signed in like staff.
        member = call.panel.order_by("-max_reviews", "pk").first()
        member.reviewer.set_password(PASSWORD)
        member.reviewer.save(update_fields=["password"])
        from accounts.two_factor import TOTPDevice

        TOTPDevice.objects.create(user=member.reviewer, name="bench", confirmed=True)
        reviewers[size] = member.reviewer
    users = {"coordinator": coordinator, **{r: r for r in reviewers.values()}}
    urls = page_urls(calls, reviewers)
    counts = count_queries(urls, users)

    results = {(page, size): (None, "not measured") for page, size, _url, _who in urls}
    try:
        server = Server(workdir)
        try:
            sessions = {}
            for page, size, url, who in urls:
                if who not in sessions:
                    sessions[who] = server.sign_in(users[who])
                results[page, size] = server.time_page(sessions[who], url)
        finally:
            server.stop()
    except Exception as error:  # the figures already printed stand; say what went wrong
        say(f"  HTTP measurement stopped: {error}")
    load = os.getloadavg()[0]

    say()
    say(
        "Server time per page: gunicorn (1 sync worker) on 127.0.0.1, signed in through the "
        "login and second-factor pages;"
    )
    say(
        "time from gunicorn's access log after one warm-up request; queries counted with "
        "Django's test client;"
    )
    say(f"load average of this machine over the last minute: {load:.2f} ({os.cpu_count()} cores).")
    header = (
        f"{'page':<20} {'size':>7} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'n':>3}  target"
    )
    say(header)
    say("-" * len(header))
    for page, (_name, _who, kind) in PAGES.items():
        for size in calls:
            times, status = results[page, size]
            queries = counts[page, size]
            target = f"p95 < {TARGET_MS[kind]} ms, <= {TARGET_QUERIES} queries"
            if times is None:
                say(f"{page:<20} {size:>7,} {queries or '?':>8}  {status}")
                continue
            median, p95 = statistics.median(times), percentile(times, 0.95)
            misses = []
            if p95 >= TARGET_MS[kind]:
                misses.append("time")
            if queries is not None and queries > TARGET_QUERIES:
                misses.append("queries")
            say(
                f"{page:<20} {size:>7,} {queries if queries is not None else '?':>8} "
                f"{median:>10.1f} {p95:>8.1f} {len(times):>3}  {target}"
                + (f"  (misses: {', '.join(misses)})" if misses else "")
            )
    if len(calls) > 1:
        small, large = min(calls), max(calls)
        say()
        say(f"Growth from {small:,} to {large:,} applications (target: p95 at most 1.5 times):")
        for page in PAGES:
            a, b = results[page, small][0], results[page, large][0]
            if a and b:
                say(
                    f"  {page:<20} p95 x{percentile(b, 0.95) / percentile(a, 0.95):.1f}, "
                    f"queries {counts[page, small]} -> {counts[page, large]}"
                )


if __name__ == "__main__":
    main()
