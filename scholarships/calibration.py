"""Calibrating reviewers' scores: raw means, shrunk z-scores and the additive bias model.

Pure functions on plain data (ALGORITHMS.md, section 2). A review is a triple
(application key, reviewer key, y) where y is the reviewer's weighted rubric total.

- Raw mean: the mean of an application's y.
- Shrunk z-scores: z_ij = (y_ij − μ̃_j) / σ̃_j, where a reviewer's mean and spread are
  pulled towards everyone's by κ pseudo-reviews (μ̃_j = (n_j μ_j + κ μ) / (n_j + κ)),
  averaged per application and mapped back to the scale (μ + σ · mean z).
- Bias model: y_ij = μ + f_i + b_j + ε, fitted as one ridge regression (solved by
  alternating exact updates, which converge to the ridge solution); the calibrated score
  is μ + f_i. A harsh reviewer (b_j < 0) and a lenient one count alike.
"""

from collections import defaultdict
from dataclasses import dataclass
from math import sqrt
from statistics import fmean, pstdev
from typing import NamedTuple

import numpy as np

KAPPA = 5.0  # pseudo-reviews pulling a small batch towards everyone's mean and spread
RIDGE = 1.0  # penalty on application effects and reviewer biases
FEW_REVIEWS = 5
SPREAD_FLAG = 1.5  # normalised spread above which reviewers disagree widely


class Review(NamedTuple):
    """Immutable; a tuple because tens of thousands are made per ranking."""

    application: str
    reviewer: str
    score: float


def raw_means(reviews):
    """Mean score per application ({} without reviews)."""
    by_application = defaultdict(list)
    for review in reviews:
        by_application[review.application].append(review.score)
    return {key: fmean(scores) for key, scores in by_application.items()}


def shrunk_zscores(reviews, kappa=KAPPA):
    if not reviews:
        return {}
    scores = [review.score for review in reviews]
    mu, sigma = fmean(scores), pstdev(scores) or 1.0
    by_reviewer = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer].append(review.score)
    shrunk = {}
    for reviewer, own in by_reviewer.items():
        n = len(own)
        mean = (n * fmean(own) + kappa * mu) / (n + kappa)
        variance = (n * pstdev(own) ** 2 + kappa * sigma**2) / (n + kappa)
        shrunk[reviewer] = (mean, sqrt(variance) or 1.0)
    by_application = defaultdict(list)
    for review in reviews:
        mean, spread = shrunk[review.reviewer]
        by_application[review.application].append((review.score - mean) / spread)
    return {key: mu + sigma * fmean(zs) for key, zs in by_application.items()}


@dataclass
class BiasModel:
    mean: float
    effects: dict  # application → f_i
    biases: dict  # reviewer → b_j
    residual_sd: float

    def calibrated(self):
        return {key: self.mean + effect for key, effect in self.effects.items()}

    def debiased(self, review):
        """A review with its reviewer's bias taken out."""
        return review.score - self.biases[review.reviewer]


def fit_bias_model(reviews, ridge=RIDGE, iterations=200, tolerance=1e-10):
    """Alternating exact updates, each a whole block at once: every application's effect
    from the current biases, then every reviewer's bias from the new effects (numpy, which
    highspy brings: 30,000 reviews in about 20 ms instead of half a second)."""
    if not reviews:
        return BiasModel(0.0, {}, {}, 0.0)
    count = len(reviews)
    applications, reviewers = {}, {}  # key → position, in order of first appearance
    of_application = np.fromiter(
        (applications.setdefault(r.application, len(applications)) for r in reviews),
        dtype=np.intp,
        count=count,
    )
    of_reviewer = np.fromiter(
        (reviewers.setdefault(r.reviewer, len(reviewers)) for r in reviews),
        dtype=np.intp,
        count=count,
    )
    mu = fmean(review.score for review in reviews)
    centred = np.fromiter((r.score for r in reviews), dtype=float, count=count) - mu
    application_weight = np.bincount(of_application, minlength=len(applications)) + ridge
    reviewer_weight = np.bincount(of_reviewer, minlength=len(reviewers)) + ridge
    effects = np.zeros(len(applications))
    biases = np.zeros(len(reviewers))
    for _ in range(iterations):
        new_effects = (
            np.bincount(
                of_application, weights=centred - biases[of_reviewer], minlength=len(applications)
            )
            / application_weight
        )
        change = float(np.max(np.abs(new_effects - effects)))
        effects = new_effects
        new_biases = (
            np.bincount(
                of_reviewer, weights=centred - effects[of_application], minlength=len(reviewers)
            )
            / reviewer_weight
        )
        change = max(change, float(np.max(np.abs(new_biases - biases))))
        biases = new_biases
        if change < tolerance:
            break
    residuals = centred - effects[of_application] - biases[of_reviewer]
    residual_sd = sqrt(float(np.mean(residuals * residuals)))
    return BiasModel(
        mu,
        dict(zip(applications, effects.tolist(), strict=True)),
        dict(zip(reviewers, biases.tolist(), strict=True)),
        residual_sd,
    )


def spread(values):
    """The population standard deviation in plain floats (statistics.pstdev works in exact
    fractions, a hundred times slower, for no difference that a flag could see)."""
    mean = sum(values) / len(values)
    return sqrt(sum((x - mean) ** 2 for x in values) / len(values))


def disagreement_flags(reviews, model, funding_line):
    """Applications whose reviewers fall on both sides of the funding line (after taking
    each reviewer's bias out), or whose debiased scores spread widely."""
    by_application = defaultdict(list)
    biases = model.biases
    for application, reviewer, score in reviews:  # model.debiased, inlined: 30,000 calls
        by_application[application].append(score - biases[reviewer])
    flags = {}
    scale = model.residual_sd or 1.0
    for key, scores in by_application.items():
        if len(scores) < 2:
            continue
        reasons = []
        if min(scores) < funding_line <= max(scores):
            reasons.append("both_sides_of_line")
        if spread(scores) / scale > SPREAD_FLAG:
            reasons.append("wide_spread")
        if reasons:
            flags[key] = reasons
    return flags


def reviewer_flags(reviews, model):
    """Reviewers who are very harsh or lenient (bias beyond two standard errors), who give
    every application the same score, or who have too few reviews to calibrate."""
    by_reviewer = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer].append(review.score)
    flags = {}
    for key, scores in by_reviewer.items():
        reasons = []
        n = len(scores)
        standard_error = (model.residual_sd or 1.0) / sqrt(n)
        if abs(model.biases.get(key, 0.0)) > 2 * standard_error:
            reasons.append("harsh" if model.biases[key] < 0 else "lenient")
        if n >= 3 and len(set(scores)) == 1:
            reasons.append("same_score_everywhere")
        if n < FEW_REVIEWS:
            reasons.append("few_reviews")
        if reasons:
            flags[key] = reasons
    return flags
