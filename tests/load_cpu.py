"""`python -m tests.load_cpu`: what one request of the deadline rush costs in CPU, by kind.

The phones of `make load` (tests/load_phones.py: the same answers, the same walk, every
answer and redirect checked) call the WSGI application in this process instead of
gunicorn over HTTP. Without the network, the second process and the other phones, the
figure is the CPU time (`time.process_time`) the portal spends on each request: far
steadier on a shared machine than a throughput, and the instrument for telling whether
a change made the rush cheaper. It seeds the database of `make load` (dropped and made
anew, the same settings and shared cache) and prints the bare view's CPU per request,
then, per kind of request of the rush, the count and the mean, the mean of the whole rush
and the garbage collector's share.

After five other phones, one in each language, have applied once unmeasured (the
templates compiled, the URL resolvers filled), LOAD_CPU_PHONES phones (6) each apply to
LOAD_CPU_CALLS calls (8), one phone after another; LOAD_CPU_PROFILE=path also writes a cProfile of the rush (CPU time) there, to
read with `python -m pstats`. It asserts nothing beyond what the phones check.
"""

import asyncio
import cProfile
import gc
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from django.db import connection

from tests import load
from tests.bench_pages import shared_cache
from tests.load_http import Response
from tests.load_phones import Phone, Stats, plan_journey

PHONES = int(os.environ.get("LOAD_CPU_PHONES", "6"))
CALLS = int(os.environ.get("LOAD_CPU_CALLS", "8"))
PROFILE = os.environ.get("LOAD_CPU_PROFILE", "")
BARE_REQUESTS = 2000


class InProcess:
    """The load test's transport, calling the WSGI application here: a response's
    `seconds` is the CPU time the application took."""

    def __init__(self, application):
        self.application = application
        self.queries = 0  # the last request's

    def count_query(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def call(self, method, path, browser=None, body=None):
        content_type, payload = body or ("", b"")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(payload)),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(payload),
            "wsgi.errors": sys.stderr,
        }
        if browser is not None:
            environ["HTTP_X_FORWARDED_FOR"] = browser.forwarded_for
            if browser.cookies:
                environ["HTTP_COOKIE"] = browser.cookie_header()
        started = {}

        def start_response(status, headers, exc_info=None):
            started.update(status=int(status.split()[0]), headers=headers)

        self.queries = 0
        with connection.execute_wrapper(self.count_query):
            cpu = time.process_time()
            chunks = self.application(environ, start_response)
            content = b"".join(chunks)
            chunks.close()
            cpu = time.process_time() - cpu
        headers = {}
        for name, value in started["headers"]:
            headers.setdefault(name.lower(), []).append(value)
        response = Response(started["status"], headers, content, cpu)
        if browser is not None:
            browser.remember(response)
        return response

    async def request(self, port, method, path, *, browser=None, body=None, timeout=60.0):
        return self.call(method, path, browser, body)


class CountingStats(Stats):
    """The phones' statistics, with the queries of each kind of request."""

    def __init__(self, transport):
        super().__init__()
        self.transport = transport
        self.queries = defaultdict(int)

    def record(self, kind, seconds, ok=True):
        super().record(kind, seconds, ok)
        self.queries[kind] += self.transport.queries


class CollectorClock:
    """CPU time the garbage collector takes, from its start and stop callbacks."""

    def __init__(self):
        self.seconds, self.started = 0.0, 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase, info):
        if phase == "start":
            self.started = time.process_time()
        else:
            self.seconds += time.process_time() - self.started


async def warm_up(transport, calls):
    """Five other phones, one in each language, apply to the last call, unmeasured: every
    template is compiled and every language's URL resolver filled before the figures, as
    in a server that has been up a while."""
    slug, call = list(calls.items())[-1]
    rng = random.Random(0)
    for number in range(PHONES, PHONES + len(load.LANGUAGES)):
        phone = Phone(number, [0, 1], None, float("inf"), transport.request)
        phone.stats = Stats()
        await phone.sign_in(number)
        journey = plan_journey(number, 0, slug, call, rng)
        await phone.apply(replace(journey, stop_before=None), call)  # every page, sent


async def rush(transport, calls, clock):
    await warm_up(transport, calls)
    # Two "ports", both this process: a double tap on "send" still sends twice.
    phones = [
        Phone(number, [0, 1], None, float("inf"), transport.request) for number in range(PHONES)
    ]
    for number, phone in enumerate(phones):
        phone.stats = Stats()
        await phone.sign_in(number)
    stats, rng = CountingStats(transport), random.Random(48)
    profile = cProfile.Profile(time.process_time) if PROFILE else None
    clock.seconds = 0.0
    if profile:
        profile.enable()
    for number, phone in enumerate(phones):
        phone.stats = stats
        for turn, (slug, call) in enumerate(list(calls.items())[:CALLS]):
            await phone.apply(plan_journey(number, turn, slug, call, rng), call)
    if profile:
        profile.disable()
        profile.dump_stats(PROFILE)
    return stats


def main():
    workdir = Path(tempfile.mkdtemp(prefix="scholarships-load-cpu-"))
    try:
        (workdir / "private").mkdir()
        cache_url, cache_description = shared_cache(database=7)
        os.environ.update(load.environment(load.make_database(), workdir / "private", cache_url))
        # The phones are coroutines that call the application synchronously, one at a time.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        calls = load.seed()
        from config.wsgi import application

        transport, clock = InProcess(application), CollectorClock()
        cpu = time.process_time()
        for _ in range(BARE_REQUESTS):
            transport.call("GET", "/load/bare/")
        bare = (time.process_time() - cpu) / BARE_REQUESTS
        stats = asyncio.run(rush(transport, calls, clock))
        report(stats, bare, clock.seconds, cache_description)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(stats, bare, collector, cache_description):
    times = stats.all_times()
    mean = sum(times) / len(times)
    load.say(
        f"In one process, PostgreSQL database {load.PG_NAME}; shared cache: {cache_description}"
    )
    load.say(
        f"Bare Django view: {bare * 1000:.2f} ms of CPU a request ({BARE_REQUESTS:,} requests)"
    )
    load.say(
        f"Deadline rush, {PHONES} phones x {CALLS} calls: {len(times):,} requests, "
        f"{mean * 1000:.2f} ms of CPU a request (the bare view: {bare / mean:.1%} of that); "
        f"garbage collector {collector / len(times) * 1000:.2f} ms a request"
    )
    load.say(f"  {'request':24} {'count':>6} {'CPU ms':>7} {'queries':>8}")
    for kind, kind_times in sorted(stats.times.items()):
        count = len(kind_times)
        load.say(
            f"  {kind:24} {count:>6,} {sum(kind_times) / count * 1000:>7.2f}"
            f" {stats.queries[kind] / count:>8.1f}"
        )
    load.say(
        f"  {'all':24} {len(times):>6,} {mean * 1000:>7.2f}"
        f" {sum(stats.queries.values()) / len(times):>8.1f}"
    )
    if stats.failures:
        load.say(f"Failures: {dict(stats.failures)}")


if __name__ == "__main__":
    main()
