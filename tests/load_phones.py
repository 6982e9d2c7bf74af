"""The phones of `make load` (tests/load.py): what each applicant answers, and how a phone
walks the portal over HTTP, checking every answer and redirect on the way."""

import asyncio
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tests.load_http import Browser, HTTPError, form_body, multipart_body, request

PASSWORD = "load-test-only-passphrase-0123"
PREFIX = "application_wizard"
STEPS = ["about", "organisation", "motivation", "travel", "documents"]
COUNTRIES = ["SN", "KE", "TH", "BR", "UA", "IN", "ZA", "MX", "KG", "FR"]
GENDERS = ["woman", "man", "transgender", "non_binary", "prefer_not_to_say"]
SUPPORT = ["registration", "airfare", "accommodation", "per_diem", "visa"]
LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def email_of(number):
    return f"applicant-{number:05d}@load.example"


class JourneyError(Exception):
    pass


class TimeUp(Exception):
    pass


@dataclass
class Journey:
    """One application by one phone's applicant, to compare with the database afterwards."""

    number: int  # of the phone, and so of its applicant
    email: str
    slug: str
    answers: dict
    stop_before: str | None  # a step never saved: the application stays a draft
    double_tap: bool
    letter: bool
    public_id: str | None = None
    saved: list = field(default_factory=list)
    submitted: bool = False


def plan_journey(number, turn, slug, call, rng):
    """What applicant `number` answers in its `turn`-th application (to call `slug`)."""
    first, second = call["motivation"]
    mark = f"{number:03d}/{turn:02d}"
    answers = {
        "about": {
            "about-country_of_residence": COUNTRIES[number % len(COUNTRIES)],
            "about-gender": GENDERS[number % len(GENDERS)],
            "about-gender_self_description": "",
            "about-languages": rng.sample(["en", "fr", "es", "ru", "pt"], k=2),
            "about-access_needs": "Step-free access" if number % 7 == 0 else "",
        },
        "organisation": {
            "organisation-organisation_name": f"Collective {mark}",
            "organisation-organisation_is_sex_worker_led": rng.choice(["yes", "no", "unsure"]),
            "organisation-role": f"Peer educator {mark}",
            "organisation-first_time_attendee": rng.choice(["yes", "no"]),
            "organisation-previous_scholarships": "",
        },
        "motivation": {
            f"motivation-q{first}": f"To learn and bring it home ({mark}).",
            f"motivation-q{second}": f"Our outreach model ({mark}).",
        },
        "travel": {
            "travel-departure_city": f"City {mark}",
            "travel-departure_country": COUNTRIES[number % len(COUNTRIES)],
            "travel-visa_needed": rng.choice(["yes", "no", "unsure"]),
            "travel-support_requested": rng.sample(SUPPORT, k=2),
            "travel-other_funding": "",
        },
        "documents": {},
    }
    kind = rng.random()
    return Journey(
        number=number,
        email=email_of(number),
        slug=slug,
        answers=answers,
        stop_before=rng.choice(STEPS[1:]) if kind < 0.2 else None,
        double_tap=0.2 <= kind < 0.4,
        letter=rng.random() < 0.33,
    )


class Phone:
    """One simulated phone: a browser, and the instance its next request goes to."""

    def __init__(self, number, ports, stats, deadline, transport=request):
        self.ports = ports
        self.turn = number % len(ports)
        self.stats = stats
        self.deadline = deadline
        self.browser = None
        self.transport = transport  # load_http.request, or tests.load_cpu's in-process call

    def next_port(self):
        port = self.ports[self.turn]
        self.turn = (self.turn + 1) % len(self.ports)
        return port

    async def send(self, kind, method, path, *, body=None, expect=200):
        # Time is up between requests; a submission's second tap still goes.
        if time.monotonic() > self.deadline and kind != "submit":
            raise TimeUp
        try:
            response = await self.transport(
                self.next_port(), method, path, browser=self.browser, body=body
            )
        except HTTPError as error:
            self.stats.record(kind, None)
            raise JourneyError(f"{kind}: {error}") from error
        self.stats.record(kind, response.seconds, ok=response.status == expect)
        if response.status != expect:
            raise JourneyError(f"{kind}: {method} {path} answered {response.status}")
        return response

    def token(self, response):
        found = CSRF.search(response.body)
        if not found:
            raise JourneyError(f"no CSRF token in the page {response.status}")
        return found.group(1).decode()

    async def post(self, kind, path, fields, token, *, files=None, expect_location=None):
        fields = {**fields, "csrfmiddlewaretoken": token}
        body = multipart_body(fields, files) if files else form_body(fields)
        response = await self.send(kind, "POST", path, body=body, expect=302)
        location = response.header("location")
        if expect_location is not None and location != expect_location:
            raise JourneyError(f"{kind}: {path} sent to {location!r}, not {expect_location!r}")
        return location

    async def sign_in(self, number):
        """Through the login form, as a person does: the token comes from the page."""
        self.browser = Browser(forwarded_for=f"10.{number >> 8 & 255}.{number & 255}.7")
        page = await self.send("login page", "GET", "/accounts/login/")
        await self.post(
            "sign in",
            "/accounts/login/",
            {"username": email_of(number), "password": PASSWORD, "next": "/applications/"},
            self.token(page),
            expect_location="/applications/",
        )

    async def sign_out(self):
        page = await self.send("my applications", "GET", "/applications/")
        await self.post("sign out", "/accounts/logout/", {}, self.token(page))

    async def apply(self, journey, call):
        """One application: the call, its eligibility questions, every step, and send."""
        page = f"/calls/{journey.slug}/"
        await self.send("call page", "GET", page)
        form = await self.send("eligibility (GET)", "GET", f"{page}apply/")
        location = await self.post(
            "eligibility (POST)", f"{page}apply/", call["eligibility"], self.token(form)
        )
        found = re.fullmatch(r"/applications/([0-9a-f-]{36})/about/", location)
        if not found:
            raise JourneyError(f"eligibility sent to {location!r}")
        journey.public_id = found.group(1)
        base = f"/applications/{journey.public_id}/"
        for number, step in enumerate(STEPS):
            if step == journey.stop_before:
                break
            form = await self.send("step (GET)", "GET", f"{base}{step}/")
            following = STEPS[number + 1] if number + 1 < len(STEPS) else "review"
            files = None
            if step == "documents" and journey.letter:
                files = {"documents-support_letter": ("letter.pdf", "application/pdf", LETTER)}
            await self.post(
                "step (POST)",
                f"{base}{step}/",
                {f"{PREFIX}-current_step": step, **journey.answers[step]},
                self.token(form),
                files=files,
                expect_location=f"{base}{following}/",
            )
            journey.saved.append(step)
        else:
            await self.submit(journey, base)
        await self.send("my applications", "GET", "/applications/")

    async def submit(self, journey, base):
        form = await self.send("review (GET)", "GET", f"{base}review/")
        token = self.token(form)
        fields = {f"{PREFIX}-current_step": "review", "review-consent": "on"}
        if journey.double_tap:
            # Two taps at once, one on each instance, as a retried request may do.
            await asyncio.gather(
                *(
                    self.post("submit", f"{base}review/", fields, token, expect_location=base)
                    for _ in self.ports
                )
            )
        else:
            await self.post("submit", f"{base}review/", fields, token, expect_location=base)
        journey.submitted = True
        await self.send("application page", "GET", base)


class Stats:
    """Each request's time by kind, the failed ones, and what went wrong."""

    def __init__(self):
        self.times = defaultdict(list)
        self.failures = Counter()
        self.errors = []
        self.count = 0

    def record(self, kind, seconds, ok=True):
        self.count += 1
        if seconds is not None:
            self.times[kind].append(seconds)
        if seconds is None or not ok:
            self.failures[kind] += 1

    def all_times(self):
        return [t for times in self.times.values() for t in times]

    def requests(self):
        return self.count
