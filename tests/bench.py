"""`make bench`: figures for the selection optimiser and the reviewer assignment on
synthetic data of the size of a large call (10,000 applicants, 150 reviewers).

Prints figures; asserts nothing (timings belong here, not in tests). Then
tests/bench_pages.py seeds a database (PostgreSQL when reachable) with calls of 1,000 and
10,000 applications (awards with budgets, a prep meeting, an applicant's drafts) and prints
the assignment, the optimiser, and for each key page (call page, each wizard step, my
applications, reviewer's queue, ranking, selection, finance reports, slot finder) its query
count and server times through gunicorn.
"""

import random
import time

from scholarships.assignment import Paper, Reviewer, assign
from scholarships.selection import Bounds, Candidate, Policy, greedy, select, violations

REGIONS = ["africa", "asia_pacific", "europe", "latin_america", "north_america_caribbean"]
WEIGHTS = [30, 25, 18, 17, 10]
GENDERS = ["woman", "man", "transgender", "non_binary", "prefer_not_to_say"]
LANGUAGES = ["en", "fr", "es", "ru", "zh"]
COUNTRIES = ["SN", "KE", "TH", "IN", "UA", "KG", "AR", "MX", "US", "JM"]


def candidates(n, rng):
    return [
        Candidate(
            key=f"a{i}",
            merit=rng.betavariate(5, 2),
            cost=rng.uniform(1500, 4500),
            region=rng.choices(REGIONS, WEIGHTS)[0],
            gender=rng.choices(GENDERS, [50, 15, 20, 10, 5])[0],
            flags=frozenset({"first_time"}) if rng.random() < 0.4 else frozenset(),
        )
        for i in range(n)
    ]


def main():
    rng = random.Random(2028)
    people = candidates(10_000, rng)
    policy = Policy(
        max_awards=1_000,
        budget=2_500_000.0,
        regions={region: Bounds(min_share=0.12, max_share=0.35) for region in REGIONS},
        genders={"woman": 0.4, "transgender": 0.15},
        flags={"first_time": 0.3},
    )
    started = time.monotonic()
    best = select(people, policy, time_limit=60)
    optimiser = time.monotonic() - started
    quick = greedy(people, policy)
    merit = {c.key: c.merit for c in people}
    print("Selection, 10,000 applicants, 1,000 awards at most, budget 2.5 M:")
    print(f"  optimiser: {best.status}, {optimiser:.2f} s, gap {best.gap}, {best.solver}")
    print(f"  optimum: {len(best.chosen)} awards, total merit {best.total_merit:.1f}")
    print(
        f"  score order (greedy): {len(quick)} awards, total merit "
        f"{sum(merit[k] for k in quick):.1f}, meets the policy: "
        f"{'yes' if not violations(people, policy, quick) else 'no'}"
    )

    papers = [
        Paper(
            f"a{i}",
            rng.choice(LANGUAGES),
            rng.choice(COUNTRIES),
            f"org{rng.randrange(400)}",
            rng.choice(REGIONS),
        )
        for i in range(10_000)
    ]
    reviewers = [
        Reviewer(
            f"r{j}",
            frozenset({"en", LANGUAGES[j % 5]}),
            rng.choice(COUNTRIES),
            f"org{rng.randrange(400)}",
            rng.choice(REGIONS),
            floor=100,
            cap=180,
        )
        for j in range(150)
    ]
    started = time.monotonic()
    result = assign(papers, reviewers, k=2)
    print("Assignment, 10,000 applications x 2 reviewers, 150 reviewers:")
    print(f"  {result.status}, {time.monotonic() - started:.2f} s, {len(result.pairs)} pairs")

    from tests import bench_pages

    bench_pages.main()


if __name__ == "__main__":
    main()
