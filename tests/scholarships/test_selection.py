"""The optimiser against brute force on small random instances, and its diagnoses."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarships.selection import (
    FIXED,
    MERIT,
    THRESHOLD,
    Bounds,
    Candidate,
    Policy,
    brute_force,
    greedy,
    price_of_balance,
    select,
    violations,
)

REGIONS = ["africa", "asia_pacific", "europe"]
GENDERS = ["woman", "man", "transgender"]


@st.composite
def instances(draw):
    n = draw(st.integers(min_value=1, max_value=9))
    candidates = [
        Candidate(
            key=f"a{index}",
            merit=draw(st.integers(min_value=0, max_value=100)) / 10,
            cost=float(draw(st.integers(min_value=1, max_value=30))),
            region=draw(st.sampled_from(REGIONS)),
            gender=draw(st.sampled_from(GENDERS)),
            flags=frozenset(["first_time"]) if draw(st.booleans()) else frozenset(),
        )
        for index in range(n)
    ]
    objective = draw(st.sampled_from([MERIT, FIXED, THRESHOLD]))
    keys = [c.key for c in candidates]
    pinned_in = frozenset(draw(st.lists(st.sampled_from(keys), max_size=1)))
    pinned_out = frozenset(draw(st.lists(st.sampled_from(keys), max_size=1))) - pinned_in
    policy = Policy(
        max_awards=draw(st.integers(min_value=1, max_value=6)),
        budget=draw(st.one_of(st.none(), st.integers(min_value=5, max_value=120).map(float))),
        objective=objective,
        fixed_awards=draw(st.integers(min_value=1, max_value=4)) if objective == FIXED else None,
        threshold=draw(st.integers(min_value=0, max_value=80)) / 10
        if objective == THRESHOLD
        else 0.0,
        regions={
            region: Bounds(
                min_count=draw(st.integers(min_value=0, max_value=1)),
                max_share=draw(st.sampled_from([None, 0.5, 0.7])),
            )
            for region in draw(st.lists(st.sampled_from(REGIONS), max_size=2, unique=True))
        },
        genders={
            gender: draw(st.sampled_from([0.2, 0.34, 0.5]))
            for gender in draw(st.lists(st.sampled_from(GENDERS), max_size=1, unique=True))
        },
        flags={"first_time": 0.3} if draw(st.booleans()) else {},
        pinned_in=pinned_in,
        pinned_out=pinned_out,
    )
    return candidates, policy


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_optimum_equals_brute_force_and_meets_every_constraint(instance):
    candidates, policy = instance

    result = select(candidates, policy, diagnose=False)
    best, best_value = brute_force(candidates, policy)

    if best is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert violations(candidates, policy, result.chosen) == []
        weight = {
            c.key: c.merit - (policy.threshold if policy.objective == THRESHOLD else 0)
            for c in candidates
        }
        assert sum(weight[key] for key in result.chosen) == pytest.approx(best_value, abs=1e-6)


def people(*rows):
    return [
        Candidate(key=key, merit=merit, cost=cost, region=region, gender=gender)
        for key, merit, cost, region, gender in rows
    ]


CANDIDATES = people(
    ("eu1", 9.0, 10, "europe", "man"),
    ("eu2", 8.5, 10, "europe", "man"),
    ("eu3", 8.0, 10, "europe", "woman"),
    ("af1", 7.0, 10, "africa", "woman"),
    ("af2", 6.0, 10, "africa", "transgender"),
    ("as1", 5.0, 10, "asia_pacific", "woman"),
)


def test_balance_changes_the_selection_and_its_price_is_shown():
    policy = Policy(
        max_awards=3,
        budget=100,
        regions={"africa": Bounds(min_count=1), "europe": Bounds(max_share=0.5)},
        genders={"woman": 0.5},
    )

    result = select(CANDIDATES, policy)

    assert result.status == "optimal"
    # At most one of three from Europe, at least half women, at least one from Africa.
    assert sorted(result.chosen) == ["af1", "as1", "eu1"]
    assert greedy(CANDIDATES, policy) == ["eu1", "eu2", "eu3"]
    assert violations(CANDIDATES, policy, greedy(CANDIDATES, policy)) == [
        ("regions", "africa"),
        ("regions", "europe"),
        ("genders", "woman"),
    ]
    # Without the regional rules: eu1, eu3, af1 (24); without the gender rule: eu1, af1,
    # af2 (22); with both: 21.
    assert price_of_balance(CANDIDATES, policy) == pytest.approx({"regions": 3.0, "genders": 1.0})


def test_the_budget_binds():
    policy = Policy(max_awards=6, budget=25)

    assert sorted(select(CANDIDATES, policy).chosen) == ["eu1", "eu2"]


def test_pins_are_respected():
    policy = Policy(max_awards=2, pinned_in=frozenset({"as1"}), pinned_out=frozenset({"eu1"}))

    assert sorted(select(CANDIDATES, policy).chosen) == ["as1", "eu2"]


def test_a_threshold_funds_only_merit_above_it():
    policy = Policy(max_awards=6, objective=THRESHOLD, threshold=7.5)

    assert sorted(select(CANDIDATES, policy).chosen) == ["eu1", "eu2", "eu3"]


def test_the_same_inputs_give_the_same_selection_even_with_ties():
    tied = people(*[(f"t{n}", 5.0, 10, "africa", "woman") for n in range(8)])
    policy = Policy(max_awards=3)

    runs = {tuple(select(tied, policy).chosen) for _ in range(5)}

    assert len(runs) == 1 and len(next(iter(runs))) == 3


def test_an_infeasible_policy_names_what_conflicts():
    policy = Policy(
        max_awards=4,
        budget=100,
        regions={"asia_pacific": Bounds(min_count=2)},
    )

    result = select(CANDIDATES, policy)

    assert result.status == "infeasible"
    assert {"family": "regions", "group": "asia_pacific", "needs": 2, "has": 1} in result.conflicts
    assert {"family": "regions", "group": "", "lifting_it_helps": True} in result.conflicts


def test_pins_beyond_the_budget_are_named():
    policy = Policy(max_awards=4, budget=15, pinned_in=frozenset({"eu1", "af1"}))

    result = select(CANDIDATES, policy)

    assert result.status == "infeasible"
    assert {"family": "pins", "group": "budget", "needs": 20, "has": 15} in result.conflicts


def test_a_fixed_number_of_awards_must_be_given():
    with pytest.raises(ValueError):
        Policy(max_awards=3, objective=FIXED)
