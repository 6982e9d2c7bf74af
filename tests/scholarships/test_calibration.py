"""Calibration on a worked example: a harsh and a lenient reviewer count alike."""

import random

import pytest

from scholarships.calibration import (
    Review,
    disagreement_flags,
    fit_bias_model,
    raw_means,
    reviewer_flags,
    shrunk_zscores,
)

# Five applications of true merit 1..5 (A..E). The harsh reviewer H gives merit + 0,
# the lenient reviewer L gives merit + 4. H reads A, B, C; L reads C, D, E; both read C.
TRUE = {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}
WORKED = [
    Review("A", "H", 1),
    Review("B", "H", 2),
    Review("C", "H", 3),
    Review("C", "L", 7),
    Review("D", "L", 8),
    Review("E", "L", 9),
]


def ranking(scores):
    return sorted(scores, key=lambda key: -scores[key])


def test_raw_means_reward_the_lenient_reviewers_applicants():
    means = raw_means(WORKED)

    assert means == {"A": 1, "B": 2, "C": 5, "D": 8, "E": 9}


def test_the_bias_model_recovers_the_true_order_and_the_biases():
    model = fit_bias_model(WORKED, ridge=1e-6)

    assert ranking(model.calibrated()) == ["E", "D", "C", "B", "A"]
    assert model.biases["L"] - model.biases["H"] == pytest.approx(4.0, abs=1e-3)
    calibrated = model.calibrated()
    assert calibrated["E"] - calibrated["A"] == pytest.approx(4.0, abs=1e-3)
    assert model.residual_sd == pytest.approx(0.0, abs=1e-3)


def test_shrunk_zscores_move_towards_the_true_order():
    scores = shrunk_zscores(WORKED)

    # C, read by both, is no longer ahead of D or E as in the raw means.
    assert ranking(scores)[:2] == ["E", "D"]
    assert scores["C"] < scores["D"]


def test_on_random_panels_calibration_agrees_better_with_true_merit():
    rng = random.Random(7)
    merit = {f"a{i}": rng.gauss(0, 1) for i in range(200)}
    bias = {f"r{j}": rng.gauss(0, 1.5) for j in range(20)}
    reviews = []
    for application, value in merit.items():
        for reviewer in rng.sample(sorted(bias), 2):
            reviews.append(
                Review(application, reviewer, value + bias[reviewer] + rng.gauss(0, 0.3))
            )

    def agreement(scores):
        # Share of pairs ordered as their true merit (Kendall-style).
        keys = sorted(scores)
        pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
        return sum((scores[a] > scores[b]) == (merit[a] > merit[b]) for a, b in pairs) / len(pairs)

    raw = agreement(raw_means(reviews))
    assert agreement(shrunk_zscores(reviews)) > raw
    assert agreement(fit_bias_model(reviews).calibrated()) > raw + 0.05


def test_disagreement_is_flagged_when_reviewers_straddle_the_line():
    reviews = [
        Review("X", "r1", 9),
        Review("X", "r2", 2),
        Review("Y", "r1", 6),
        Review("Y", "r2", 6),
        Review("Z", "r1", 3),
        Review("Z", "r2", 3),
    ]
    model = fit_bias_model(reviews)

    flags = disagreement_flags(reviews, model, funding_line=5.0)

    assert set(flags) == {"X"}
    assert "both_sides_of_line" in flags["X"]


def test_reviewer_flags_name_harsh_lenient_flat_and_thin_reviewers():
    rng = random.Random(3)
    merit = {f"a{i}": rng.uniform(2, 8) for i in range(60)}
    reviews = []
    for index, (application, value) in enumerate(sorted(merit.items())):
        reviews.append(Review(application, "fair", value + rng.gauss(0, 0.2)))
        reviews.append(
            Review(
                application, "harsh" if index % 2 else "lenient", value + (-3 if index % 2 else 3)
            )
        )
    reviews += [Review("a0", "flat", 5), Review("a1", "flat", 5), Review("a2", "flat", 5)]

    flags = reviewer_flags(reviews, fit_bias_model(reviews))

    assert "harsh" in flags["harsh"] and "lenient" in flags["lenient"]
    assert flags["flat"] == ["same_score_everywhere", "few_reviews"]
    assert "fair" not in flags


def test_no_reviews_yet_gives_empty_results_not_an_error():
    assert raw_means([]) == {} and shrunk_zscores([]) == {}
    assert fit_bias_model([]).calibrated() == {}
