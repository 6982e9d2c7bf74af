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
Within a zone a start is reduced to its UTC offset (a few dozen conversions give every
grid point's: `utc_offsets`) and its local minute of the day, weekday and wall-clock
length; the zone's score for such a local time is worked out once, since a fortnight's
1,344 starts meet only a few hundred.
"""

import functools
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
    blocked = Busy(busy)
    total = len(participants)
    starts = [
        start
        for start in grid_starts(first, last, duration, step)
        if not blocked.clashes(start, start + duration)
    ]
    # Each start and end as whole seconds since the epoch (the grid is on whole minutes).
    moments = [int(start.timestamp()) for start in starts]
    length = int(duration.total_seconds())
    inside = [0] * len(starts)
    worst = [0] * len(starts)
    total_pain = [0] * len(starts)
    for zone_name, hour_sets in by_zone.items():
        zone = zone_named(zone_name)
        hours = [
            (minutes(earliest), minutes(latest) or 24 * 60, n) for earliest, latest, n in hour_sets
        ]
        # moment -> UTC offset in seconds, starts and ends (which share grid points).
        offsets = utc_offsets(sorted({*moments, *(moment + length for moment in moments)}), zone)
        # (weekend, local start in minutes, wall-clock length) -> this zone's share of the
        # score. A zone sees a few hundred such keys in a month, whatever the grid.
        scores = {}
        for index, moment in enumerate(moments):
            start_offset, end_offset = offsets[moment], offsets[moment + length]
            local = moment + start_offset
            key = (
                (local // 86400 + 3) % 7 >= 5,  # 1 January 1970 was a Thursday
                local // 60 % 1440,
                round((length + end_offset - start_offset) / 60),
            )
            score = scores.get(key)
            if score is None:
                score = scores[key] = zone_score(key, hours, allow_weekends)
            inside[index] += score[0]
            if score[1] > worst[index]:
                worst[index] = score[1]
            total_pain[index] += score[2]
    scored = [
        (-inside[index], worst[index], total_pain[index], start)
        for index, start in enumerate(starts)
    ]

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


@functools.cache
def zone_named(name):
    """The ZoneInfo of a name, kept: zoneinfo's own cache holds only a few of the dozens of
    zones a search meets, and reads the others' files again."""
    return zoneinfo.ZoneInfo(name)


def utc_offset(moment, zone):
    """`zone`'s UTC offset in seconds at `moment` (seconds since the epoch)."""
    offset = datetime.fromtimestamp(moment, tz=zone).utcoffset()
    return offset.days * 86400 + offset.seconds


# No time zone changes its UTC offset twice within this many seconds (changes are weeks
# or months apart): two moments this close with the same offset have it in between too.
STEADY = 6 * 3600


def utc_offsets(moments, zone):
    """{moment: `zone`'s UTC offset in seconds} for sorted `moments` (seconds since the
    epoch), converting only some: between two moments at most STEADY apart that have the
    same offset, every moment has it; elsewhere the span is halved. A fortnight on a
    15-minute grid, 1,350 moments, takes some 70 conversions."""
    if not moments:
        return {}
    offsets = dict.fromkeys(moments)
    offsets[moments[0]] = utc_offset(moments[0], zone)
    offsets[moments[-1]] = utc_offset(moments[-1], zone)
    spans = [(0, len(moments) - 1)]
    while spans:
        low, high = spans.pop()
        if high - low < 2:
            continue
        offset = offsets[moments[low]]
        if offset == offsets[moments[high]] and moments[high] - moments[low] <= STEADY:
            for moment in moments[low + 1 : high]:
                offsets[moment] = offset
            continue
        middle = (low + high) // 2
        offsets[moments[middle]] = utc_offset(moments[middle], zone)
        spans += [(low, middle), (middle, high)]
    return offsets


def zone_score(key, hours, allow_weekends):
    """(inside, worst pain, total pain) of the people of one zone, `hours` being their
    (earliest, latest, count) in minutes, for a meeting that starts at a local minute of
    the day and lasts a wall-clock length (`key`, with whether the day is a weekend);
    the same figures as pain_minutes() gives each of them."""
    weekend, start, wall = key
    end = start + wall
    inside = worst = total = 0
    for low, high, count in hours:
        pain = WEEKEND_PAIN if weekend and not allow_weekends else max(low - start, end - high, 0)
        if pain == 0:
            inside += count
        else:
            total += pain * count
            worst = max(worst, pain)
    return inside, worst, total


def local_times(participants, start, duration, allow_weekends=False):
    """Each participant's local start and end of a candidate, with their pain (converted
    once per time zone, the pain worked out once per zone and hours)."""
    end = start + duration
    zones = {}
    pains = {}
    views = []
    for person in participants:
        local = zones.get(person.zone)
        if local is None:
            zone = zone_named(person.zone)
            local = zones[person.zone] = (start.astimezone(zone), end.astimezone(zone))
        hours = (person.zone, person.earliest, person.latest)
        pain = pains.get(hours)
        if pain is None:
            pain = pains[hours] = pain_minutes(
                *local, person.earliest, person.latest, allow_weekends=allow_weekends
            )
        views.append(
            LocalTime(key=person.key, zone=person.zone, start=local[0], end=local[1], pain=pain)
        )
    return views
