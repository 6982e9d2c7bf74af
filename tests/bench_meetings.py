"""`make bench`: the prep meetings' slot finder for 500 participants over 14 days on a
15-minute grid (1,344 start times), spread over the zones the network lives in, from
UTC−8 to UTC+12, a fifth with narrower hours of their own, and 40 other meetings to
avoid. Target: under 1 s. Prints figures; asserts nothing.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from meetings.slots import Participant, rank_slots

ZONES = [
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/New_York",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Jamaica",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Asia/Bishkek",
    "Africa/Dakar",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Manila",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Fiji",
    "Pacific/Auckland",
]
HOURS = [(8, 21), (9, 17), (7, 12), (12, 22)]


def participants(n, rng):
    people = []
    for key in range(n):
        earliest, latest = HOURS[0] if rng.random() < 0.8 else rng.choice(HOURS[1:])
        people.append(
            Participant(
                key,
                rng.choice(ZONES),
                datetime.min.replace(hour=earliest).time(),
                datetime.min.replace(hour=latest).time(),
            )
        )
    return people


def main():
    rng = random.Random(2028)
    people = participants(500, rng)
    first = datetime(2027, 3, 22, tzinfo=UTC)  # across Europe's clock change on 28 March
    last = first + timedelta(days=14)
    busy = [
        (start, start + timedelta(minutes=90))
        for start in (first + timedelta(minutes=15 * rng.randrange(14 * 96)) for _ in range(40))
    ]
    started = time.perf_counter()
    best = rank_slots(
        people,
        first=first,
        last=last,
        duration=timedelta(minutes=90),
        step=15,
        busy=busy,
        limit=5,
        spread=True,
    )
    elapsed = time.perf_counter() - started
    groups = len({(p.zone, p.earliest, p.latest) for p in people})
    print(
        f"Slot finder: 500 participants ({len(ZONES)} zones, {groups} zone-and-hours groups), "
        f"14 days on a 15-minute grid, 40 other meetings: {elapsed * 1000:.0f} ms (target < 1 s)"
    )
    for candidate in best:
        print(
            f"  {candidate.start:%a %d %b %H:%M} UTC: {candidate.inside} of {candidate.total} "
            f"inside their hours, worst {candidate.worst_pain} min outside"
        )


if __name__ == "__main__":
    main()
