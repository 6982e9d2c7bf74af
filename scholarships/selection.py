"""The proposed selection: an exact integer program over the reviewed applicants.

Pure functions on plain data (no database), so that they can be tested against brute
force and timed on 10,000 applicants. ALGORITHMS.md, section 1, is the reference:

    maximise   Σ (s_i − τ) x_i  (+ a tiny deterministic tie-break)
    subject to Σ c_i x_i ≤ B                      budget
               Σ x_i − k = 0,  0 ≤ k ≤ N          number of awards (k = K when fixed)
               Σ_{i∈r} x_i − lo_r·k ≥ 0, Σ_{i∈r} x_i − hi_r·k ≤ 0, and counts, per region
               Σ_{i∈g} x_i − m_g·k ≥ 0            per gender category (and per flag)
               x_i fixed to 1 or 0 for pins,  x_i ∈ {0, 1}

k is a column of its own so that every share row touches only its group and k.
"""

import time
from dataclasses import dataclass, field
from itertools import combinations

MERIT = "merit"  # maximise total merit
FIXED = "fixed"  # exactly K awards, maximise merit
THRESHOLD = "threshold"  # maximise merit above a threshold τ

FAMILIES = ("budget", "awards", "regions", "genders", "flags", "pins")
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Candidate:
    key: str
    merit: float
    cost: float
    region: str
    gender: str
    flags: frozenset = frozenset()


@dataclass(frozen=True)
class Bounds:
    """Limits on a group's awards: counts, and shares of all awards (0 to 1)."""

    min_count: int = 0
    max_count: int | None = None
    min_share: float = 0.0
    max_share: float | None = None


@dataclass(frozen=True)
class Policy:
    max_awards: int
    budget: float | None = None
    objective: str = MERIT
    fixed_awards: int | None = None
    threshold: float = 0.0
    regions: dict = field(default_factory=dict)  # region → Bounds
    genders: dict = field(default_factory=dict)  # gender category → minimum share
    flags: dict = field(default_factory=dict)  # flag → minimum share
    pinned_in: frozenset = frozenset()
    pinned_out: frozenset = frozenset()

    def __post_init__(self):
        if self.objective not in (MERIT, FIXED, THRESHOLD):
            raise ValueError(f"Unknown objective {self.objective!r}.")
        if self.objective == FIXED and (self.fixed_awards is None or self.fixed_awards < 0):
            raise ValueError("A fixed number of awards needs fixed_awards.")
        if self.max_awards < 0:
            raise ValueError("max_awards cannot be negative.")

    @property
    def award_limit(self):
        """At most this many awards: K when fixed, else N."""
        if self.objective == FIXED:
            return min(self.fixed_awards, self.max_awards)
        return self.max_awards

    def without(self, family):
        """The same policy with one family of constraints lifted."""
        changes = {
            "budget": {"budget": None},
            "awards": {
                "max_awards": 10**9,
                "objective": MERIT if self.objective == FIXED else self.objective,
            },
            "regions": {"regions": {}},
            "genders": {"genders": {}},
            "flags": {"flags": {}},
            "pins": {"pinned_in": frozenset(), "pinned_out": frozenset()},
        }[family]
        return Policy(**{**self.__dict__, **changes})


@dataclass
class Selection:
    status: str  # "optimal", "infeasible", "time_limit", "error"
    chosen: list
    total_merit: float
    total_cost: float
    gap: float | None = None
    seconds: float = 0.0
    solver: str = ""
    conflicts: list = field(default_factory=list)


def objective_weight(candidate, policy):
    return candidate.merit - (policy.threshold if policy.objective == THRESHOLD else 0.0)


def violations(candidates, policy, chosen):
    """The constraints that `chosen` breaks: [(family, group)]; empty when it is valid."""
    picked = [c for c in candidates if c.key in set(chosen)]
    k = len(picked)
    broken = []
    if policy.budget is not None and sum(c.cost for c in picked) > policy.budget + TOLERANCE:
        broken.append(("budget", ""))
    if k > policy.max_awards or (policy.objective == FIXED and k != policy.fixed_awards):
        broken.append(("awards", ""))
    for region, bounds in policy.regions.items():
        n = sum(1 for c in picked if c.region == region)
        if (
            n < bounds.min_count
            or (bounds.max_count is not None and n > bounds.max_count)
            or n + TOLERANCE < bounds.min_share * k
            or (bounds.max_share is not None and n > bounds.max_share * k + TOLERANCE)
        ):
            broken.append(("regions", region))
    for gender, share in policy.genders.items():
        if sum(1 for c in picked if c.gender == gender) + TOLERANCE < share * k:
            broken.append(("genders", gender))
    for flag, share in policy.flags.items():
        if sum(1 for c in picked if flag in c.flags) + TOLERANCE < share * k:
            broken.append(("flags", flag))
    chosen_keys = {c.key for c in picked}
    if not policy.pinned_in <= chosen_keys or policy.pinned_out & chosen_keys:
        broken.append(("pins", ""))
    return broken


def greedy(candidates, policy):
    """Score order: the pinned, then the best, skipping whoever breaks the budget."""
    order = sorted(candidates, key=lambda c: (-c.merit, c.key))
    limit = policy.award_limit
    chosen, spent = [], 0.0
    for candidate in [c for c in order if c.key in policy.pinned_in] + [
        c for c in order if c.key not in policy.pinned_in
    ]:
        if len(chosen) >= limit or candidate.key in policy.pinned_out:
            continue
        if policy.objective == THRESHOLD and candidate.merit <= policy.threshold:
            continue
        if policy.budget is not None and spent + candidate.cost > policy.budget + TOLERANCE:
            continue
        chosen.append(candidate.key)
        spent += candidate.cost
    return chosen


def select(candidates, policy, *, time_limit=30.0, relative_gap=1e-4, diagnose=True):
    """Solve the selection exactly with HiGHS. An infeasible policy comes back with the
    families of constraints that conflict (see `conflicting_families`)."""
    import highspy

    started = time.monotonic()
    candidates = sorted(candidates, key=lambda c: (-c.merit, c.key))
    n = len(candidates)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(relative_gap))
    h.setOptionValue("random_seed", 0)
    inf = highspy.kHighsInf
    # Columns 0..n-1: x_i; column n: k. Candidates enter in (merit, key) order with a
    # tiny nudge towards the earlier ones; HiGHS is deterministic with a fixed seed and
    # gives the same selection for the same inputs. (Its thread count is fixed per
    # process once any model has run, so it is left alone here.)
    epsilon = 1e-7 / max(n, 1)
    for index, candidate in enumerate(candidates):
        lower = 1.0 if candidate.key in policy.pinned_in else 0.0
        upper = 0.0 if candidate.key in policy.pinned_out else 1.0
        h.addVar(lower, upper)
        h.changeColCost(index, objective_weight(candidate, policy) + epsilon * (n - index))
    most = float(min(policy.max_awards, n))
    if policy.objective == FIXED:
        # K awards exactly, and never more than the call has: K > N is infeasible.
        h.addVar(float(policy.fixed_awards), min(float(policy.fixed_awards), most))
    else:
        h.addVar(0.0, most)
    h.changeColCost(n, 0.0)
    h.changeColsIntegrality(n + 1, list(range(n + 1)), [highspy.HighsVarType.kInteger] * (n + 1))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def add_row(lower, upper, indices, values):
        h.addRow(lower, upper, len(indices), indices, values)

    everyone = list(range(n))
    add_row(0.0, 0.0, everyone + [n], [1.0] * n + [-1.0])
    if policy.budget is not None:
        add_row(-inf, float(policy.budget), everyone, [float(c.cost) for c in candidates])
    for region, bounds in policy.regions.items():
        group = [i for i, c in enumerate(candidates) if c.region == region]
        ones = [1.0] * len(group)
        if bounds.min_count:
            add_row(float(bounds.min_count), inf, group, ones)
        if bounds.max_count is not None:
            add_row(-inf, float(bounds.max_count), group, ones)
        if bounds.min_share:
            add_row(0.0, inf, group + [n], ones + [-float(bounds.min_share)])
        if bounds.max_share is not None:
            add_row(-inf, 0.0, group + [n], ones + [-float(bounds.max_share)])
    for attribute, shares in (("gender", policy.genders), ("flags", policy.flags)):
        for value, share in shares.items():
            if attribute == "gender":
                group = [i for i, c in enumerate(candidates) if c.gender == value]
            else:
                group = [i for i, c in enumerate(candidates) if value in c.flags]
            add_row(0.0, inf, group + [n], [1.0] * len(group) + [-float(share)])

    h.run()
    status = h.getModelStatus()
    seconds = time.monotonic() - started
    solver = f"HiGHS {h.version()}"
    if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit) and (
        h.getInfo().primal_solution_status == 2
    ):
        values = h.getSolution().col_value
        chosen = [candidates[i].key for i in range(n) if values[i] > 0.5]
        picked = [candidates[i] for i in range(n) if values[i] > 0.5]
        return Selection(
            status="optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit",
            chosen=chosen,
            total_merit=sum(c.merit for c in picked),
            total_cost=sum(c.cost for c in picked),
            gap=h.getInfo().mip_gap,
            seconds=seconds,
            solver=solver,
        )
    if status == highspy.HighsModelStatus.kInfeasible:
        conflicts = conflicting_families(candidates, policy, time_limit) if diagnose else []
        return Selection("infeasible", [], 0.0, 0.0, None, seconds, solver, conflicts)
    return Selection("error", [], 0.0, 0.0, None, seconds, solver)


def conflicting_families(candidates, policy, time_limit=30.0):
    """Why no selection meets the policy, as plainly as the counts allow.

    First what counting alone shows (a region needing more awards than it has
    applicants, pins beyond the budget or the number of awards); then the families of
    constraints whose lifting alone makes the policy feasible.
    """
    conflicts = []
    available = [c for c in candidates if c.key not in policy.pinned_out]
    for region, bounds in policy.regions.items():
        have = sum(1 for c in available if c.region == region)
        if bounds.min_count > have:
            conflicts.append(
                {"family": "regions", "group": region, "needs": bounds.min_count, "has": have}
            )
    pinned = [c for c in candidates if c.key in policy.pinned_in]
    if len(pinned) > policy.max_awards:
        conflicts.append(
            {"family": "pins", "group": "awards", "needs": len(pinned), "has": policy.max_awards}
        )
    if policy.budget is not None and sum(c.cost for c in pinned) > policy.budget + TOLERANCE:
        conflicts.append(
            {
                "family": "pins",
                "group": "budget",
                "needs": sum(c.cost for c in pinned),
                "has": policy.budget,
            }
        )
    for family in FAMILIES:
        relaxed = select(candidates, policy.without(family), time_limit=time_limit, diagnose=False)
        if relaxed.status != "infeasible":
            conflicts.append({"family": family, "group": "", "lifting_it_helps": True})
    return conflicts


def price_of_balance(candidates, policy, time_limit=30.0, base=None):
    """What each balance family costs in merit: the optimum without it minus with it.
    `base`, the optimum with every rule, is solved again unless the caller has it."""
    base = base or select(candidates, policy, time_limit=time_limit, diagnose=False)
    if base.status != "optimal":
        return {}
    prices = {}
    for family in ("regions", "genders", "flags"):
        if getattr(policy, family):
            free = select(candidates, policy.without(family), time_limit=time_limit, diagnose=False)
            if free.status == "optimal":  # a price only between two proven optima
                prices[family] = free.total_merit - base.total_merit
    return prices


def brute_force(candidates, policy):
    """The best valid selection by trying every subset: for tests on small instances."""
    best, best_value = None, None
    for size in range(len(candidates) + 1):
        for subset in combinations(candidates, size):
            keys = [c.key for c in subset]
            if violations(candidates, policy, keys):
                continue
            value = sum(objective_weight(c, policy) for c in subset)
            if best_value is None or value > best_value + TOLERANCE:
                best, best_value = keys, value
    return best, best_value
