"""Finding a meeting time for people spread from UTC−8 to UTC+12 (pure: no database).

For each candidate start on a UTC grid (15 or 30 minutes) and each participant, the
start and end are converted with `zoneinfo` at that instant, which follows daylight
saving, half-hour zones and the southern hemisphere. A participant's *pain* is how far,
in minutes, the meeting reaches outside their acceptable local hours: 02:00 for
someone whose day starts at 08:00 is 360, 22:00 for someone whose day ends at 21:00
is 60; a weekend day, unless allowed, is a whole day; running past midnight counts
from the end of their day. Candidates are ranked by how many participants are inside
their hours, then by the worst pain (the worst local hour anyone gets), then by the
total pain, then earlier first. Times that overlap any participant's other meetings
are skipped.

The work is done per time zone and per set of hours, never per person: 500 people
share a few dozen zones, so the cost is slots × zones (see ALGORITHMS.md, section 4).
"""

import heapq
import zoneinfo
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

DEFAULT_EARLIEST = time(8)
DEFAULT_LATEST = time(21)
GRIDS = (15, 30)
WEEKEND_PAIN = 24 * 60


@dataclass(frozen=True)
class Participant:
    key: object
    zone: str
    earliest: time = DEFAULT_EARLIEST
    latest: time = DEFAULT_LATEST


@dataclass(frozen=True)
class LocalTime:
    """One participant's view of one candidate."""

    key: object
    zone: str
    start: datetime
    end: datetime
    pain: int

    @property
    def inside(self):
        return self.pain == 0


@dataclass(frozen=True)
class Candidate:
    start: datetime  # UTC
    end: datetime  # UTC
    inside: int  # participants inside their acceptable hours
    total: int
    worst_pain: int  # how far outside their hours the worst-placed participant is
    total_pain: int
    outside: tuple = field(default=())  # keys of the participants outside their hours

    @property
    def suits_everyone(self):
        return self.inside == self.total


def minutes(moment):
    return moment.hour * 60 + moment.minute


def pain_minutes(local_start, local_end, earliest, latest, *, allow_weekends=False):
    """How far, in minutes, the meeting reaches outside [earliest, latest] on its start's
    day: 0 inside; 60 for a meeting that starts an hour too early or ends an hour too
    late; a whole day (1440) on a weekend day unless weekends are allowed."""
    if not allow_weekends and local_start.weekday() >= 5:
        return WEEKEND_PAIN
    start = minutes(local_start)
    # Wall-clock length: a meeting across a clock change is longer or shorter locally.
    wall = local_end.replace(tzinfo=None) - local_start.replace(tzinfo=None)
    end = start + round(wall.total_seconds() / 60)
    low, high = minutes(earliest), minutes(latest) or 24 * 60
    return max(low - start, end - high, 0)


def grid_starts(first, last, duration, step):
    """UTC starts on the `step`-minute grid from `first` such that the meeting ends by `last`."""
    if step not in GRIDS:
        raise ValueError(f"The grid is 15 or 30 minutes, not {step}.")
    first = first.astimezone(UTC)
    epoch_minutes = int(first.timestamp() // 60)
    aligned = -(-epoch_minutes // step) * step
    start = datetime.fromtimestamp(aligned * 60, tz=UTC)
    latest_start = last.astimezone(UTC) - duration
    stride = timedelta(minutes=step)
    while start <= latest_start:
        yield start
        start += stride


def merge(intervals):
    """Sorted, disjoint intervals covering the same time as `intervals`."""
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class Busy:
    """Intervals (UTC) in which some participant has another meeting."""

    def __init__(self, intervals):
        self.intervals = merge(intervals)
        self.starts = [start for start, _end in self.intervals]

    def clashes(self, start, end):
        index = bisect_left(self.starts, end) - 1
        return index >= 0 and self.intervals[index][1] > start


def rank_slots(
    participants,
    *,
    first,
    last,
    duration,
    step=15,
    busy=(),
    allow_weekends=False,
    limit=5,
    spread=False,
):
    """The best `limit` candidates, best first (see the module's docstring).

    `spread=True` leaves out a candidate that overlaps a better one already chosen, so
    the list offers different times rather than the same time 15 minutes apart.
    """
    participants = list(participants)
    if not participants:
        return []
    # (zone, earliest, latest) → how many people share it; computed once per group.
    groups = defaultdict(int)
    for person in participants:
        groups[(person.zone, person.earliest, person.latest)] += 1
    by_zone = defaultdict(list)
    for (zone, earliest, latest), count in groups.items():
        by_zone[zone].append((earliest, latest, count))
    zones = {zone: zoneinfo.ZoneInfo(zone) for zone in by_zone}
    blocked = Busy(busy)
    total = len(participants)

    scored = []
    for start in grid_starts(first, last, duration, step):
        end = start + duration
        if blocked.clashes(start, end):
            continue
        inside = worst = total_pain = 0
        for zone_name, hour_sets in by_zone.items():
            zone = zones[zone_name]
            local_start, local_end = start.astimezone(zone), end.astimezone(zone)
            for earliest, latest, count in hour_sets:
                pain = pain_minutes(
                    local_start, local_end, earliest, latest, allow_weekends=allow_weekends
                )
                if pain == 0:
                    inside += count
                else:
                    total_pain += pain * count
                    worst = max(worst, pain)
        scored.append((-inside, worst, total_pain, start))

    if spread:
        chosen = []
        for key in sorted(scored):
            start = key[3]
            if all(abs(start - other[3]) >= duration for other in chosen):
                chosen.append(key)
                if len(chosen) == limit:
                    break
    else:
        chosen = heapq.nsmallest(limit, scored)

    return [
        Candidate(
            start=start,
            end=start + duration,
            inside=-negative_inside,
            total=total,
            worst_pain=worst,
            total_pain=total_pain,
            outside=tuple(
                view.key
                for view in local_times(participants, start, duration, allow_weekends)
                if not view.inside
            ),
        )
        for negative_inside, worst, total_pain, start in chosen
    ]


def local_times(participants, start, duration, allow_weekends=False):
    """Each participant's local start and end of a candidate, with their pain."""
    zones = {}
    views = []
    end = start + duration
    for person in participants:
        zone = zones.get(person.zone) or zones.setdefault(
            person.zone, zoneinfo.ZoneInfo(person.zone)
        )
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        views.append(
            LocalTime(
                key=person.key,
                zone=person.zone,
                start=local_start,
                end=local_end,
                pain=pain_minutes(
                    local_start,
                    local_end,
                    person.earliest,
                    person.latest,
                    allow_weekends=allow_weekends,
                ),
            )
        )
    return views
