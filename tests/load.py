"""`make load`: the deadline rush against two gunicorn instances sharing one database.

A fresh PostgreSQL database (`scholarships_load` on 127.0.0.1:5432, dropped and made
anew; LOAD_PG_SERVER overrides the server) gets LOAD_CALLS calls closing within 48 hours
and one applicant account per phone. Two "machines" run on this one: each a gunicorn
instance (sync workers, production settings over plain HTTP) on its own port and a
task worker (`db_worker`, sending the confirmation emails to a file through
Django's console backend), sharing that database, one private storage folder and,
when Redis answers on 127.0.0.1:6379, one cache (database 7, emptied; the sessions are
read from it, as in production), and nothing else. LOAD_CLIENTS simulated phones work at
once, each request going to the other instance than the one before, so that every
session, draft, upload and CSRF token must survive a change of server:

1. for LOAD_BARE_SECONDS, a bare Django view (tests/load_urls.py: every middleware, no
   session, no database) is asked as fast as it answers, LOAD_BARE_WORKERS (2) workers
   on each instance: the ceiling of this machine;
2. each instance goes to LOAD_WORKERS (1) workers, which serve the rush best here (the
   cores are shared with PostgreSQL, Redis, the task workers and the client), and every
   phone signs its applicant in through the login form (the CSRF token read from the
   page, cookies kept per phone);
3. for LOAD_SECONDS, the rush: each phone applies to one call after another: the call's
   page, the eligibility questions, each wizard step saved (a third upload a support
   letter), the review, send, the application's page, "My applications". One
   application in five taps "send" twice at once, one tap on each instance; one in five
   stops half-way and stays a draft. The load test plays the load balancer: each phone's
   requests carry its own X-Forwarded-For address;
4. every phone signs out, the task workers send the last confirmations, and the
   instances go back to LOAD_BARE_WORKERS workers for the bare view again: the machine's
   speed drifts within a run by more than a session's changes move the rush, so the rush
   is compared with the mean of the bare view on both sides of it (the task workers and
   the database then idle: their CPU in the "after" column shows it).

It prints requests per second, errors and latency percentiles (p50, p95, p99), the
rush's throughput as a share of the bare view's, where the machine's CPU went in each of
the two (the app servers, the task workers, PostgreSQL, Redis, the load client: CPU
milliseconds a request, read from /proc) and what the target leaves a rush request, and
then checks in the database that every application a phone sent is there once,
submitted, with the answers it sent (its letter in the storage, byte for byte) and one
audit entry; one confirmation email per submission in the outbox, sent once by one of
the two workers; that every draft holds exactly the steps its phone saved; and that no
other application exists.

Slow figures are printed beside their targets and never fail the run; an error or a
lost, duplicated or altered submission or step exits with status 1.

Beside this file: tests/load_phones.py (what a phone answers and how it walks the
portal), tests/load_http.py (the HTTP client), tests/load_checks.py (the database check),
tests/load_machine.py (the CPU by process), tests/load_settings.py and
tests/load_urls.py (the bare view); tests/load_cpu.py plays the same phones in one
process and prints the CPU time of each kind of request.
"""

import asyncio
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from tests.bench_pages import ENVIRONMENT, free_port, percentile, shared_cache
from tests.load_checks import check_database
from tests.load_http import HTTPError, request
from tests.load_machine import Meter, process_times, report_lines
from tests.load_phones import (
    COUNTRIES,
    PASSWORD,
    SUPPORT,
    JourneyError,
    Phone,
    Stats,
    TimeUp,
    email_of,
    plan_journey,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("LOAD_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "scholarships_load"
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "24"))
# Sync workers per instance: for the bare view, enough to keep both cores busy; for the
# rush, where PostgreSQL, Redis, the task workers and the client share the cores, one a
# core in all, which served the rush 12 % faster than two and two (README, Performance).
BARE_WORKERS = int(os.environ.get("LOAD_BARE_WORKERS", "2"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "1"))
RUSH_SECONDS = float(os.environ.get("LOAD_SECONDS", "45"))
BARE_SECONDS = float(os.environ.get("LOAD_BARE_SECONDS", "10"))
CALLS = int(os.environ.get("LOAD_CALLS", "40"))
TARGET_RATIO = 0.15
LANGUAGES = ["en", "fr", "es", "ru", "zh-hans"]


def say(text=""):
    print(text, flush=True)


# ----------------------------------------------------------------------------- set-up


def make_database():
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as db:
        db.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {PG_NAME}")
    return f"{PG_SERVER}/{PG_NAME}"


def environment(database_url, storage, cache_url):
    return {
        **ENVIRONMENT,
        "CACHE_URL": cache_url,
        "DJANGO_SETTINGS_MODULE": "tests.load_settings",
        "DATABASE_URL": database_url,
        "PRIVATE_STORAGE_ROOT": str(storage),
        # The load test is the load balancer: it appends each phone's address.
        "TRUSTED_PROXY_COUNT": "1",
        # The task workers "send" to their standard output, which the check reads.
        "MAILER_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }


def seed():
    """CALLS calls closing within 48 hours and CLIENTS applicants; returns per call's slug
    what its forms need (eligibility answers, motivation question ids)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from djmoney.money import Money

    from accounts.models import User
    from conferences.enums import ConferenceKind
    from conferences.models import Conference
    from scholarships.enums import CallStatus
    from scholarships.models import Call, EligibilityQuestion, MotivationQuestion

    now = timezone.now()
    conference = Conference.objects.create(
        kind=ConferenceKind.INTERNATIONAL_AIDS,
        name="International AIDS Conference (load test)",
        acronym="AIDS LOAD",
        city="Cape Town",
        country="ZA",
        time_zone="Africa/Johannesburg",
        start_date=date(2028, 7, 23),
        end_date=date(2028, 7, 28),
        registration_fee=Money("750.00", "USD"),
    )
    calls = {}
    for number in range(CALLS):
        call = Call.objects.create(
            conference=conference,
            slug=f"rush-{number:02d}",
            title={"en": f"Scholarships {number}", "fr": f"Bourses {number}"},
            summary={"en": "Travel and subsistence."},
            description={"en": "The description."},
            status=CallStatus.PUBLISHED,
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(hours=12 + number * 2),
            number_of_awards=200,
            reviewers_per_application=2,
            support_offered=SUPPORT,
        )
        eligibility = [
            EligibilityQuestion.objects.create(
                call=call, text={"en": text}, required_answer=needed, position=position
            )
            for position, (text, needed) in enumerate(
                [("Are you a member of a network organisation?", True), ("Other funding?", False)]
            )
        ]
        motivation = [
            MotivationQuestion.objects.create(call=call, text={"en": text}, position=position)
            for position, text in enumerate(["Why do you want to attend?", "What will you share?"])
        ]
        calls[call.slug] = {
            "eligibility": {
                f"eligibility-q{q.pk}": "yes" if q.required_answer else "no" for q in eligibility
            },
            "motivation": [q.pk for q in motivation],
        }
    password = make_password(PASSWORD)  # hashed once here: the hasher is slow on purpose
    User.objects.bulk_create(
        User(
            email=email_of(number),
            display_name=f"Applicant {number:05d}",
            preferred_language=LANGUAGES[number % len(LANGUAGES)],
            country=COUNTRIES[number % len(COUNTRIES)],
            password=password,
        )
        for number in range(CLIENTS)
    )
    return calls


class Servers:
    """Two "machines" on one: each a gunicorn instance on its own port and a task worker
    (`db_worker`, which sends the confirmation emails to a file); one database, one
    storage folder."""

    def __init__(self, env, workdir):
        self.ports = [free_port(), free_port()]
        self.mail_logs = [workdir / f"mail-{number}.log" for number in range(2)]
        self.processes, self.files = [], []
        env = {**os.environ, **env}
        for number, port in enumerate(self.ports):
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(BARE_WORKERS),
                        "--timeout",
                        "120",
                        "--error-logfile",
                        str(workdir / f"gunicorn-{number}.log"),
                    ],
                    cwd=BASE_DIR,
                    env=env,
                )
            )
        for number, mail_log in enumerate(self.mail_logs):
            # Open while the worker runs; closed in stop().
            self.files += [
                open(mail_log, "wb"),  # noqa: SIM115
                open(workdir / f"worker-{number}.log", "wb"),  # noqa: SIM115
            ]
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "db_worker",
                        "--interval",
                        "0.5",
                        "--no-startup-delay",
                        "--no-reload",
                        "--worker-id",
                        f"load-{number}",
                    ],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=self.files[-2],
                    stderr=self.files[-1],
                )
            )
        self.server_pids = [process.pid for process in self.processes[: len(self.ports)]]
        self.workers = BARE_WORKERS
        self.worker_pids = [process.pid for process in self.processes[len(self.ports) :]]
        try:
            for port in self.ports:
                self.wait_for(port, workdir)
        except Exception:
            self.stop()
            raise

    @staticmethod
    def wait_for(port, workdir):
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn on port {port} did not start: see {workdir}")

    def set_workers(self, count, timeout=30):
        """Bring each instance to `count` workers, through gunicorn's TTIN and TTOU signals
        (one worker more or fewer each), and wait until it has them."""
        for master in self.server_pids:
            for _ in range(abs(count - self.workers)):
                os.kill(master, signal.SIGTTIN if count > self.workers else signal.SIGTTOU)
        self.workers = count
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            processes = process_times()
            if not processes:  # no /proc to count them in: trust the signals
                time.sleep(2)
                return
            parents = Counter(parent for parent, *_rest in processes.values())
            if all(parents[master] == count for master in self.server_pids):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the gunicorn instances did not settle at {count} workers each")

    def drain_outbox(self, timeout=60):
        """Wait until the task workers have sent every queued email; the seconds it took."""
        from notifications.enums import EmailStatus
        from notifications.models import OutgoingEmail

        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists():
                break
            time.sleep(0.5)
        return time.monotonic() - started

    def emails_sent(self):
        """Recipients of the emails the workers sent (the console backend's output)."""
        return Counter(
            address.decode()
            for mail_log in self.mail_logs
            for address in re.findall(rb"^To: (\S+)$", mail_log.read_bytes(), re.MULTILINE)
        )

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)
        for handle in self.files:
            handle.close()


# ----------------------------------------------------------------------------- phases


async def bare_phase(ports):
    stats = Stats()
    deadline = time.monotonic() + BARE_SECONDS

    async def loop(number):
        turn = number
        while time.monotonic() < deadline:
            turn += 1
            try:
                response = await request(ports[turn % len(ports)], "GET", "/load/bare/")
            except HTTPError as error:
                stats.record("bare view", None)
                stats.errors.append(str(error))
                continue
            ok = response.status == 200 and response.body == b"ok"
            stats.record("bare view", response.seconds, ok=ok)
            if not ok:
                stats.errors.append(f"bare view answered {response.status}")

    started = time.monotonic()
    await asyncio.gather(*(loop(number) for number in range(CLIENTS)))
    return stats, time.monotonic() - started


async def sign_in_phase(phones):
    """Every phone signs its applicant in at once."""
    stats = Stats()
    started = time.monotonic()
    for phone in phones:
        phone.stats = stats

    async def one(phone, number):
        try:
            await phone.sign_in(number)
        except JourneyError as error:
            stats.errors.append(f"{email_of(number)}: {error}")

    await asyncio.gather(*(one(phone, number) for number, phone in enumerate(phones)))
    return stats, time.monotonic() - started


async def rush_phase(phones, calls, rng):
    """Each signed-in phone applies to one call after another until the time is up."""
    stats = Stats()
    deadline = time.monotonic() + RUSH_SECONDS
    journeys, ran_out = [], []

    async def loop(number, phone):
        phone.stats, phone.deadline = stats, deadline
        for turn, (slug, call) in enumerate(calls.items()):
            journey = plan_journey(number, turn, slug, call, rng)
            journeys.append(journey)
            try:
                await phone.apply(journey, call)
            except TimeUp:
                return
            except JourneyError as error:
                stats.errors.append(f"{journey.email} on {slug}: {error}")
        ran_out.append(number)

    started = time.monotonic()
    await asyncio.gather(*(loop(number, phone) for number, phone in enumerate(phones)))
    return stats, time.monotonic() - started, journeys, ran_out


async def sign_out_phase(phones):
    stats = Stats()
    for phone in phones:
        phone.stats, phone.deadline = stats, float("inf")

    async def one(phone):
        try:
            await phone.sign_out()
        except JourneyError as error:
            stats.errors.append(f"sign out: {error}")

    await asyncio.gather(*(one(phone) for phone in phones))
    return stats


async def phases(servers, calls, meter):
    """The bare view, the sign-ins, the rush and the sign-outs, in one event loop; the
    bare view's and the rush's CPU by process (`meter.usage`)."""
    ports = servers.ports
    await warm_up(ports)
    meter.start()
    bare = await bare_phase(ports)
    meter.stop("bare view")
    servers.set_workers(WORKERS)
    await warm_up(ports)
    phones = [Phone(number, ports, None, float("inf")) for number in range(CLIENTS)]
    signed_in = await sign_in_phase(phones)
    meter.start()
    rush = await rush_phase(phones, calls, random.Random(48))
    meter.stop("rush")
    signed_out = await sign_out_phase(phones)
    return bare, signed_in, rush, signed_out


async def bare_again(servers, meter):
    """The bare view once more, after the rush, on as many workers as before it."""
    servers.set_workers(BARE_WORKERS)
    await warm_up(servers.ports)
    meter.start()
    bare = await bare_phase(servers.ports)
    meter.stop("bare view, after")
    return bare


async def warm_up(ports):
    for port in ports:
        for _ in range(max(WORKERS, BARE_WORKERS) * 4):
            await request(port, "GET", "/load/bare/")
            await request(port, "GET", "/accounts/login/")


# ----------------------------------------------------------------------------- report


def hash_seconds():
    """What checking one password costs on this machine (Django's default hasher)."""
    from django.contrib.auth.hashers import make_password

    started = time.monotonic()
    make_password(PASSWORD)
    return time.monotonic() - started


def figures(stats, seconds):
    times = stats.all_times()
    errors = sum(stats.failures.values())
    line = (
        f"{stats.requests():,} requests in {seconds:.1f} s: {stats.requests() / seconds:,.1f} req/s"
    )
    if times:
        line += (
            f", errors {errors}, latency p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms, p99 {percentile(times, 0.99) * 1000:.0f} ms"
        )
    return line, errors


def report_kinds(stats):
    header = (
        f"  {'request':<26} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    say(header)
    for kind, times in stats.times.items():
        say(
            f"  {kind:<26} {len(times):>6,} {stats.failures[kind]:>6} "
            f"{statistics.median(times) * 1000:>7.0f} {percentile(times, 0.95) * 1000:>7.0f} "
            f"{percentile(times, 0.99) * 1000:>7.0f}"
        )


def main():
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    workdir = Path(tempfile.mkdtemp(prefix="scholarships-load-"))
    try:
        sys.exit(run(workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(workdir):
    try:
        database_url = make_database()
    except Exception as error:  # without PostgreSQL there is nothing to measure
        say(f"make load needs PostgreSQL at {PG_SERVER}: {error}")
        return 2
    storage = workdir / "private"
    storage.mkdir()
    cache_url, cache_description = shared_cache(database=7)
    env = environment(database_url, storage, cache_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    calls = seed()
    say(
        f"Deadline rush: PostgreSQL database {PG_NAME} (dropped and made anew), {CALLS} calls "
        f"closing within 48 h, {CLIENTS} applicants: ready in {time.monotonic() - started:.1f} s"
    )
    servers = Servers(env, workdir)
    try:
        say(
            f"Two gunicorn instances ({BARE_WORKERS} sync workers each for the bare view, "
            f"{WORKERS} for the rush) on 127.0.0.1:"
            f"{servers.ports[0]} and :{servers.ports[1]}, sharing the database and the storage "
            f"folder; {CLIENTS} phones at once, each request going to the other instance."
        )
        say(f"Shared cache: {cache_description}.")
        meter = Meter(servers.server_pids, servers.worker_pids)
        bare, signed_in, rush, signed_out = asyncio.run(phases(servers, calls, meter))
        drained = servers.drain_outbox()  # before the bare view again, the workers idle
        bares = bare, asyncio.run(bare_again(servers, meter))
    finally:
        servers.stop()
    say(f"The task workers sent the last confirmation email {drained:.1f} s after the rush.")
    return report(bares, signed_in, rush, signed_out, calls, servers.emails_sent(), meter.usage)


def report_machine(usage, bares, bare_rate, rush, rush_seconds):
    """Where the CPU went, a request of each phase, and what the target leaves the rush."""
    (before, before_seconds), (after, after_seconds) = bares
    lines = report_lines(
        [
            ("bare view", before.requests(), *usage["bare view"], before_seconds),
            ("rush", rush.requests(), *usage["rush"], rush_seconds),
            ("bare, after", after.requests(), *usage["bare view, after"], after_seconds),
        ],
        os.cpu_count(),
    )
    if not lines:
        return
    say()
    for line in lines:
        say(line)
    budget = os.cpu_count() / (TARGET_RATIO * bare_rate)
    say(
        f"  At {TARGET_RATIO:.0%} of the bare view's rate, a rush request could cost the "
        f"whole machine at most {budget * 1000:.2f} ms of CPU (when the rush keeps it busy)."
    )


def report(bares, signed_in, rush, signed_out, calls, sent, usage):
    """Print the figures and the database check; the exit status (1: errors or lost data)."""
    signed_in, sign_in_seconds = signed_in
    rush, rush_seconds, journeys, ran_out = rush
    load = os.getloadavg()[0]
    say()
    rates, bare_errors = [], 0
    for when, (bare, bare_seconds) in zip(("before", "after"), bares, strict=True):
        bare_line, errors = figures(bare, bare_seconds)
        bare_errors += errors
        rates.append(bare.requests() / bare_seconds)
        say(f"Bare Django view, {BARE_SECONDS:.0f} s {when} the rush: {bare_line}")
    sign_in_line, sign_in_errors = figures(signed_in, sign_in_seconds)
    rush_line, rush_errors = figures(rush, rush_seconds)
    say(
        f"Sign-in of {CLIENTS} phones at once: {sign_in_line} (Django's password hasher: about "
        f"{hash_seconds() * 1000:.0f} ms of CPU a sign-in here, on purpose)"
    )
    say(f"Deadline rush, {RUSH_SECONDS:.0f} s:    {rush_line}")
    rush_rate, bare_rate = rush.requests() / rush_seconds, max(statistics.mean(rates), 1e-9)
    ratio = rush_rate / bare_rate
    say(
        f"Rush throughput / bare view throughput (the mean of before and after): {ratio:.1%} "
        f"(target >= {TARGET_RATIO:.0%})"
        + ("" if ratio >= TARGET_RATIO else "  (misses the target)")
        + f"; against the bare view before alone {rush_rate / max(rates[0], 1e-9):.1%}, "
        f"after alone {rush_rate / max(rates[1], 1e-9):.1%}"
    )
    say(f"Load average over the last minute: {load:.2f} ({os.cpu_count()} cores).")
    report_machine(usage, bares, bare_rate, rush, rush_seconds)
    say()
    report_kinds(rush)
    submitted = [j for j in journeys if j.submitted]
    drafts = [j for j in journeys if j.public_id and not j.submitted]
    say()
    say(
        f"Applications: {len(submitted):,} submitted ({sum(j.double_tap for j in submitted):,} "
        f"with send tapped twice, {sum(j.letter for j in submitted):,} with a letter), "
        f"{len(drafts):,} left as drafts ({sum(len(j.saved) for j in drafts):,} steps saved "
        f"besides eligibility)."
    )
    if ran_out:
        say(f"  {len(ran_out)} phones applied to every call before the end: raise LOAD_CALLS.")
    problems = check_database(journeys, calls, sent)
    say(
        f"Database check: {len(submitted) + len(drafts):,} applications expected, "
        f"{len(problems)} problems (lost, duplicated or different submissions or steps)."
    )
    errors = [error for bare, _seconds in bares for error in bare.errors]
    errors += signed_in.errors + rush.errors + signed_out.errors
    for line in errors[:10]:
        say(f"  error: {line}")
    for line in problems[:20]:
        say(f"  problem: {line}")
    failures = bare_errors + sign_in_errors + rush_errors + sum(signed_out.failures.values())
    if failures or errors or problems:
        say("FAILED: errors or lost/duplicated data (see above).")
        return 1
    say("OK: no errors, every submission and every saved step is in the database once.")
    return 0


if __name__ == "__main__":
    main()
