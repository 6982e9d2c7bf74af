"""Assigning reviewers: k per application, loads between a floor and a cap.

A transportation problem solved as a linear program with HiGHS (ALGORITHMS.md,
section 3). Hard rules remove a pair, never penalise it: the reviewer must read the
application's language, and must not have declared a conflict with it, live in the
same country or belong to the same organisation. Each reviewer's load runs along two
arcs: up to the floor with a large reward, the rest up to the cap with none, so that
loads even out before affinity decides. The matrix is totally unimodular, so the
solution is whole.
"""

import random
from dataclasses import dataclass, field

FLOOR_REWARD = 1000.0
TOP_CANDIDATES = 12  # eligible reviewers kept per application, by affinity


@dataclass(frozen=True)
class Paper:
    key: str
    language: str
    country: str
    organisation: str = ""
    region: str = ""


@dataclass(frozen=True)
class Reviewer:
    key: str
    languages: frozenset
    country: str
    organisation: str = ""
    region: str = ""
    conflicts: frozenset = frozenset()  # application keys
    floor: int = 0
    cap: int = 10**6


@dataclass
class Assignment:
    status: str  # "optimal", "infeasible" or "time_limit"
    pairs: list = field(default_factory=list)  # (application key, reviewer key)
    short: dict = field(default_factory=dict)  # application → eligible reviewers, when < k
    # (reviews the panel's caps allow, reviews needed), when the caps are too low.
    capacity: tuple | None = None


def organisation_key(name):
    return name.strip().casefold()


def same_organisation(first, second):
    return bool(first.strip()) and organisation_key(first) == organisation_key(second)


def eligible(paper, reviewer):
    return (
        paper.language in reviewer.languages
        and paper.key not in reviewer.conflicts
        and paper.country != reviewer.country
        and not same_organisation(paper.organisation, reviewer.organisation)
    )


def assign(papers, reviewers, *, k, fixed=(), seed=0, time_limit=60.0):
    """Choose k reviewers for each paper. `fixed` pairs stay (a re-solve after a reviewer
    dropped out keeps everyone else's work) unless a hard rule now forbids them. Returns
    an Assignment; when a paper has fewer than k eligible reviewers, nothing is solved
    and `short` names them. Each paper first considers its best 12 reviewers; if that
    leaves no solution, every eligible reviewer is considered."""
    result = _assign(papers, reviewers, k=k, fixed=fixed, seed=seed, time_limit=time_limit)
    if result.status == "infeasible" and not result.short and not result.capacity:
        result = _assign(
            papers, reviewers, k=k, fixed=fixed, seed=seed, time_limit=time_limit, top=None
        )
    return result


def _assign(papers, reviewers, *, k, fixed, seed, time_limit, top=TOP_CANDIDATES):
    import highspy
    import numpy as np

    rng = random.Random(seed)  # noqa: S311 - jitter, not a secret
    fixed = set(fixed)
    # What the hard rules compare, worked out once per reviewer, not once per pair.
    profiles = [
        (r, reviewer, organisation_key(reviewer.organisation))
        for r, reviewer in enumerate(reviewers)
    ]
    arcs = []  # (paper index, reviewer index, affinity)
    short = {}
    for p, paper in enumerate(papers):
        organisation = organisation_key(paper.organisation)
        options = []
        for r, reviewer, reviewer_organisation in profiles:
            if (
                paper.language in reviewer.languages
                and paper.key not in reviewer.conflicts
                and paper.country != reviewer.country
                and not (organisation and organisation == reviewer_organisation)
            ):
                # Same-region knowledge helps; a little jitter makes batches random,
                # which keeps per-reviewer calibration fair.
                affinity = (1.0 if paper.region and paper.region == reviewer.region else 0.0) + (
                    rng.random() * 0.1
                )
                if (paper.key, reviewer.key) in fixed:
                    affinity += 10.0
                options.append((affinity, r))
        if len(options) < k:
            short[paper.key] = len(options)
        options.sort(reverse=True)
        kept = options if top is None else options[: max(top, k)]
        arcs += [(p, r, affinity) for affinity, r in kept]
    if short:
        return Assignment("infeasible", short=short)
    allowed, needed = sum(min(r.cap, len(papers)) for r in reviewers), k * len(papers)
    if allowed < needed:
        return Assignment("infeasible", capacity=(allowed, needed))

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    # Columns: one per arc (fixed pairs have a lower bound of 1), then per reviewer a
    # "floor" column (≤ floor, rewarded) and a "rest" column (≤ cap − floor). Added in
    # bulk: one call per column costs a second at 200,000 arcs.
    first_load = len(arcs)
    lower = [1.0 if (papers[p].key, reviewers[r].key) in fixed else 0.0 for p, r, _a in arcs]
    upper = [1.0] * len(arcs)
    costs = [affinity for _p, _r, affinity in arcs]
    for reviewer in reviewers:
        floor = min(reviewer.floor, reviewer.cap)
        lower += [0.0, 0.0]
        upper += [float(floor), float(reviewer.cap - floor)]
        costs += [FLOOR_REWARD, 0.0]
    h.addVars(len(lower), np.array(lower), np.array(upper))
    h.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), np.array(costs))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    by_paper, by_reviewer = {}, {}
    for index, (p, r, _affinity) in enumerate(arcs):
        by_paper.setdefault(p, []).append(index)
        by_reviewer.setdefault(r, []).append(index)
    # Rows, in compressed form: each paper gets exactly k reviewers; each reviewer's
    # arcs sum to their floor and rest columns.
    starts, indices, values, row_lower, row_upper = [], [], [], [], []
    for p in range(len(papers)):
        columns = by_paper.get(p, [])
        starts.append(len(indices))
        indices += columns
        values += [1.0] * len(columns)
        row_lower.append(float(k))
        row_upper.append(float(k))
    for r in range(len(reviewers)):
        columns = by_reviewer.get(r, [])
        starts.append(len(indices))
        indices += columns + [first_load + 2 * r, first_load + 2 * r + 1]
        values += [1.0] * len(columns) + [-1.0, -1.0]
        row_lower.append(0.0)
        row_upper.append(0.0)
    h.addRows(
        len(row_lower),
        np.array(row_lower),
        np.array(row_upper),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values),
    )
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kTimeLimit:
        return Assignment("time_limit")
    if status != highspy.HighsModelStatus.kOptimal:
        return Assignment("infeasible")
    values = h.getSolution().col_value
    pairs = [
        (papers[p].key, reviewers[r].key)
        for index, (p, r, _affinity) in enumerate(arcs)
        if values[index] > 0.5
    ]
    return Assignment("optimal", pairs=sorted(pairs))
