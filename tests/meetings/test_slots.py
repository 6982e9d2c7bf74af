"""The slot finder, without a database: daylight saving, narrower hours, clashes."""

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

from meetings.slots import (
    Participant,
    grid_starts,
    local_times,
    pain_minutes,
    rank_slots,
    utc_offset,
    utc_offsets,
    zone_named,
)

HOUR = timedelta(hours=1)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def team(berlin_latest=time(21)):
    return [
        Participant("new-york", "America/New_York"),
        Participant("nairobi", "Africa/Nairobi"),
        Participant("manila", "Asia/Manila"),
        Participant("berlin", "Europe/Berlin", latest=berlin_latest),
    ]


def suiting_everyone(participants, first, last, **options):
    candidates = rank_slots(
        participants, first=first, last=last, duration=HOUR, limit=1000, **options
    )
    return sorted(c.start for c in candidates if c.suits_everyone)


def test_new_york_and_manila_share_an_hour_only_once_new_york_moves_its_clocks():
    # Until 8 March 2026 New York is UTC−5: 08:00 there is 13:00 UTC, 21:00 in Manila.
    assert suiting_everyone(team(), utc(2026, 3, 2), utc(2026, 3, 7)) == []
    # From 8 March it is UTC−4: 12:00–13:00 UTC is 08:00–09:00 there, 20:00–21:00 in Manila.
    assert suiting_everyone(team(), utc(2026, 3, 23), utc(2026, 3, 28)) == [
        utc(2026, 3, day, 12) for day in (23, 24, 25, 26, 27)
    ]


def test_berlin_moving_its_clocks_on_29_march_pushes_a_narrower_day_out():
    # Berlin only until 14:00: 12:00 UTC is 13:00 there before 29 March, 14:00 after.
    participants = team(berlin_latest=time(14))

    assert suiting_everyone(participants, utc(2026, 3, 26), utc(2026, 4, 1)) == [
        utc(2026, 3, 26, 12),
        utc(2026, 3, 27, 12),
    ]
    ranked = rank_slots(participants, first=utc(2026, 3, 30), last=utc(2026, 4, 1), duration=HOUR)
    # After the change one of them is an hour outside: New York at 07:00 or Berlin until
    # 15:00. Both are ahead of 06:00 UTC, which suits three too but puts New York at 02:00.
    assert [(c.start, c.inside, c.total, c.outside, c.worst_pain) for c in ranked[:2]] == [
        (utc(2026, 3, 30, 11), 3, 4, ("new-york",), 60),
        (utc(2026, 3, 30, 12), 3, 4, ("berlin",), 60),
    ]


def test_each_participant_sees_the_time_in_their_own_zone_after_the_change():
    views = {view.key: view for view in local_times(team(), utc(2026, 3, 30, 12), HOUR)}

    assert {key: view.start.strftime("%a %H:%M %z") for key, view in views.items()} == {
        "new-york": "Mon 08:00 -0400",
        "nairobi": "Mon 15:00 +0300",
        "manila": "Mon 20:00 +0800",
        "berlin": "Mon 14:00 +0200",
    }
    assert all(view.inside for view in views.values())


def test_a_time_when_someone_has_another_meeting_is_skipped():
    busy = [(utc(2026, 3, 26, 11, 30), utc(2026, 3, 26, 12, 30))]

    assert suiting_everyone(team(), utc(2026, 3, 26), utc(2026, 3, 28), busy=busy) == [
        utc(2026, 3, 27, 12)
    ]


def test_a_meeting_that_ends_as_another_starts_does_not_clash():
    busy = [(utc(2026, 3, 26, 13), utc(2026, 3, 26, 14))]

    assert utc(2026, 3, 26, 12) in suiting_everyone(
        team(), utc(2026, 3, 26), utc(2026, 3, 27), busy=busy
    )


def test_weekends_count_as_outside_unless_allowed():
    participants = team(berlin_latest=time(14))
    first, last = utc(2026, 3, 27), utc(2026, 3, 30)

    assert suiting_everyone(participants, first, last) == [utc(2026, 3, 27, 12)]
    # Sunday 29 March Berlin is already on summer time: 14:00–15:00 there.
    assert suiting_everyone(participants, first, last, allow_weekends=True) == [
        utc(2026, 3, 27, 12),
        utc(2026, 3, 28, 12),
    ]


def test_ranking_is_by_people_inside_then_by_the_worst_hour():
    participants = [Participant("a", "UTC"), Participant("b", "UTC", earliest=time(10))]

    ranked = rank_slots(
        participants, first=utc(2026, 3, 23, 7), last=utc(2026, 3, 23, 10), duration=HOUR, limit=3
    )

    # Only a is inside before 10:00; b is an hour early at 09:00, 75 minutes at 08:45.
    assert [(c.start, c.inside, c.worst_pain) for c in ranked] == [
        (utc(2026, 3, 23, 9), 1, 60),
        (utc(2026, 3, 23, 8, 45), 1, 75),
        (utc(2026, 3, 23, 8, 30), 1, 90),
    ]


def test_a_participant_who_sets_narrower_hours_is_kept_inside_them():
    participants = [
        Participant("early", "Asia/Manila", earliest=time(7), latest=time(10)),
        Participant("anyone", "Europe/London"),
    ]

    best = rank_slots(participants, first=utc(2026, 3, 23), last=utc(2026, 3, 24), duration=HOUR)

    # Manila 09:00 = 01:00 London (outside); the one hour inside Manila's 07–10 that
    # London finds acceptable does not exist, so one of them is outside: the worst hour
    # decides, and the earliest such time comes first.
    assert best[0].inside == 1
    assert [c.inside for c in best] == [1] * 5


def test_the_grid_is_aligned_to_quarter_and_half_hours_in_utc():
    starts = list(grid_starts(utc(2026, 3, 23, 10, 7), utc(2026, 3, 23, 12), HOUR, 15))
    assert starts == [
        utc(2026, 3, 23, 10, 15),
        utc(2026, 3, 23, 10, 30),
        utc(2026, 3, 23, 10, 45),
        utc(2026, 3, 23, 11),
    ]
    assert list(grid_starts(utc(2026, 3, 23, 10, 7), utc(2026, 3, 23, 12), HOUR, 30)) == [
        utc(2026, 3, 23, 10, 30),
        utc(2026, 3, 23, 11),
    ]


def test_half_hour_zones_are_handled():
    kolkata = [Participant("k", "Asia/Kolkata", earliest=time(9), latest=time(10))]

    best = rank_slots(kolkata, first=utc(2026, 3, 23), last=utc(2026, 3, 24), duration=HOUR)[0]

    assert best.start == utc(2026, 3, 23, 3, 30)  # 09:00 in Kolkata
    assert best.suits_everyone


def test_crossing_midnight_is_outside():
    late = Participant("l", "UTC", earliest=time(8), latest=time(23, 59))
    assert (
        pain_minutes(utc(2026, 3, 23, 23, 30), utc(2026, 3, 24, 0, 30), late.earliest, late.latest)
        == 31
    )


def test_spread_offers_different_times():
    ranked = rank_slots(
        team(), first=utc(2026, 3, 23), last=utc(2026, 3, 28), duration=HOUR, spread=True
    )

    starts = [c.start for c in ranked]
    assert all(abs(a - b) >= HOUR for a in starts for b in starts if a != b)
    assert starts[0] == utc(2026, 3, 23, 12)


def test_nobody_to_meet_gives_no_candidates():
    assert rank_slots([], first=utc(2026, 3, 23), last=utc(2026, 3, 24), duration=HOUR) == []


def test_five_hundred_people_in_a_few_zones_rank_as_their_zones_do():
    few = team()
    many = [Participant(n, few[n % 4].zone) for n in range(500)]

    best_few = rank_slots(few, first=utc(2026, 3, 23), last=utc(2026, 3, 25), duration=HOUR)
    best_many = rank_slots(many, first=utc(2026, 3, 23), last=utc(2026, 3, 25), duration=HOUR)

    assert [c.start for c in best_few] == [c.start for c in best_many]
    assert best_many[0].inside == 500


def test_utc_offsets_agree_with_converting_every_moment_across_clock_changes():
    # 45 days around each change, on a 15-minute grid, with the meeting's ends too:
    # New York and Berlin in March, Lord Howe's half-hour change in April, Casablanca's
    # two changes around Ramadan, and zones that never change.
    windows = {
        "America/New_York": datetime(2027, 3, 7, tzinfo=UTC),
        "Europe/Berlin": datetime(2027, 3, 22, tzinfo=UTC),
        "Australia/Lord_Howe": datetime(2027, 3, 30, tzinfo=UTC),
        "Africa/Casablanca": datetime(2027, 1, 30, tzinfo=UTC),
        "Asia/Kathmandu": datetime(2027, 3, 22, tzinfo=UTC),
        "UTC": datetime(2027, 3, 22, tzinfo=UTC),
    }
    for name, first in windows.items():
        zone = zone_named(name)
        starts = [int((first + timedelta(minutes=15 * n)).timestamp()) for n in range(96 * 45)]
        moments = sorted({*starts, *(start + 5400 for start in starts)})

        offsets = utc_offsets(moments, zone)

        assert offsets == {moment: utc_offset(moment, zone) for moment in moments}, name
        changes = sum(1 for a, b in pairwise(moments) if offsets[a] != offsets[b])
        assert changes == {"Africa/Casablanca": 2, "Asia/Kathmandu": 0, "UTC": 0}.get(name, 1)
    assert utc_offsets([], zone_named("UTC")) == {}
