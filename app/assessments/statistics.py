"""Item analysis (Moodle-compatible facility, discrimination, discriminative efficiency), pure."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.assessments.scoring import ScoreResult

# Variances at or below this are treated as zero: x and y live in [0, 1], and the sums form
# leaves rounding noise of order 1e-16 where the true variance is exactly zero.
_ZERO_VARIANCE = 1e-12

NEGATIVE_DISCRIMINATION = "negative discrimination"
LOW_EFFICIENCY = "low discriminative efficiency"
TOO_EASY = "too easy"
TOO_HARD = "too hard"

LOW_EFFICIENCY_PERCENT = 15.0
TOO_EASY_FACILITY = 0.95
TOO_HARD_FACILITY = 0.05


@dataclass(frozen=True)
class AttemptScores:
    """One attempt: question key -> (score, max points) for every question the attempt contained."""

    question_scores: Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one question; None where undefined (fewer than 2 attempts or zero variance).

    facility: mean score fraction, 0-1.  sd: sample SD of the score fraction, 0-1.
    discrimination_index: Pearson r between the question and the rest of the test, in [-1, 1].
    discriminative_efficiency: 100 * cov / cov_max, a percentage (Moodle's definition).
    """

    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemSums:
    """Additive rollup of (x, y) pairs for one question, mergeable across forces and periods.

    x: the question's score / its max points.  y: the rest-of-test fraction, the sum of the other
    questions' scores over the sum of their max points in the same attempt (see item_observations).
    max_points: the question's max points (informational; the statistics use fractions).
    """

    n: int = 0
    sum_x: float = 0.0
    sum_x2: float = 0.0
    sum_y: float = 0.0
    sum_y2: float = 0.0
    sum_xy: float = 0.0
    max_points: float = 0.0


def attempt_scores(result: ScoreResult) -> AttemptScores:
    """The statistics input for one scored attempt."""
    return AttemptScores({item.key: (item.score, item.max) for item in result.per_question})


def item_observations(attempt: AttemptScores) -> dict[str, tuple[float, float]]:
    """Map each question of an attempt to (x, y); skips questions with 0 max or no rest of test."""
    scores = attempt.question_scores
    total = math.fsum(score for score, _max in scores.values())
    total_max = math.fsum(maximum for _score, maximum in scores.values())
    observations: dict[str, tuple[float, float]] = {}
    for key, (score, maximum) in scores.items():
        rest_max = total_max - maximum
        if maximum <= 0 or rest_max <= 0:
            continue
        observations[key] = (score / maximum, (total - score) / rest_max)
    return observations


def _flags(facility: float | None, discrimination: float | None, efficiency: float | None) -> tuple[str, ...]:
    """Quality flags for the author, from whichever figures are defined."""
    flags = []
    # A tolerance, so rounding noise in the sums path (r = -1e-17) is not flagged as negative.
    if discrimination is not None and discrimination < -1e-9:
        flags.append(NEGATIVE_DISCRIMINATION)
    if efficiency is not None and efficiency < LOW_EFFICIENCY_PERCENT:
        flags.append(LOW_EFFICIENCY)
    if facility is not None and facility > TOO_EASY_FACILITY:
        flags.append(TOO_EASY)
    if facility is not None and facility < TOO_HARD_FACILITY:
        flags.append(TOO_HARD)
    return tuple(flags)


def _stats(
    n: int, mean_x: float | None, var_x: float, var_y: float, cov: float, cov_max: float | None
) -> ItemStats:
    """Assemble ItemStats from sample moments (all divided by n - 1)."""
    if n < 2:
        return ItemStats(n, mean_x, None, None, None, _flags(mean_x, None, None))
    var_x, var_y = max(var_x, 0.0), max(var_y, 0.0)
    sd = math.sqrt(var_x) if var_x > _ZERO_VARIANCE else 0.0
    discrimination = None
    if var_x > _ZERO_VARIANCE and var_y > _ZERO_VARIANCE:
        discrimination = max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))
    efficiency = None
    if discrimination is not None and cov_max is not None and cov_max > _ZERO_VARIANCE:
        efficiency = 100.0 * cov / cov_max
    flags = _flags(mean_x, discrimination, efficiency)
    return ItemStats(n, mean_x, sd, discrimination, efficiency, flags)


def _stats_from_pairs(pairs: list[tuple[float, float]]) -> ItemStats:
    """Two-pass (mean-centred) statistics for one question, including cov_max from sorted marks."""
    n = len(pairs)
    xs = [x for x, _y in pairs]
    ys = [y for _x, y in pairs]
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    if n < 2:
        return _stats(n, mean_x, 0.0, 0.0, 0.0, None)
    d = n - 1
    var_x = math.fsum((x - mean_x) ** 2 for x in xs) / d
    var_y = math.fsum((y - mean_y) ** 2 for y in ys) / d
    cov = math.fsum((x - mean_x) * (y - mean_y) for x, y in pairs) / d
    # Moodle's cov_max: pair the question marks and rest-of-test marks after sorting each alone.
    cov_max = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(sorted(xs), sorted(ys), strict=True)) / d
    return _stats(n, mean_x, var_x, var_y, cov, cov_max)


def item_statistics(responses: Iterable[AttemptScores]) -> dict[str, ItemStats]:
    """Per-question statistics from attempts (the caller picks first or all attempts)."""
    pairs: dict[str, list[tuple[float, float]]] = {}
    for attempt in responses:
        for key, xy in item_observations(attempt).items():
            pairs.setdefault(key, []).append(xy)
    return {key: _stats_from_pairs(values) for key, values in pairs.items()}


def add(sums: ItemSums, x: float, y: float) -> ItemSums:
    """Return sums with one more (x, y) observation."""
    return ItemSums(
        n=sums.n + 1,
        sum_x=sums.sum_x + x,
        sum_x2=sums.sum_x2 + x * x,
        sum_y=sums.sum_y + y,
        sum_y2=sums.sum_y2 + y * y,
        sum_xy=sums.sum_xy + x * y,
        max_points=sums.max_points,
    )


def merge(a: ItemSums, b: ItemSums) -> ItemSums:
    """Combine two rollups of the same question (e.g. two forces); max_points keeps the larger."""
    return ItemSums(
        n=a.n + b.n,
        sum_x=a.sum_x + b.sum_x,
        sum_x2=a.sum_x2 + b.sum_x2,
        sum_y=a.sum_y + b.sum_y,
        sum_y2=a.sum_y2 + b.sum_y2,
        sum_xy=a.sum_xy + b.sum_xy,
        max_points=max(a.max_points, b.max_points),
    )


def sums_from_attempts(responses: Iterable[AttemptScores]) -> dict[str, ItemSums]:
    """Build per-question rollups from attempts, as the database would accumulate them."""
    rollups: dict[str, ItemSums] = {}
    for attempt in responses:
        for key, (x, y) in item_observations(attempt).items():
            start = rollups.get(key) or ItemSums(max_points=attempt.question_scores[key][1])
            rollups[key] = add(start, x, y)
    return rollups


def stats_from_sums(sums: ItemSums) -> ItemStats:
    """Facility, SD and discrimination from a rollup; discriminative efficiency is always None.

    Moodle's cov_max pairs the sorted x and y values, which needs the two distributions, not their
    sums, so the efficiency (and its flag) is only available from rows (item_statistics).
    """
    n = sums.n
    if n == 0:
        return ItemStats(0, None, None, None, None)
    mean_x = sums.sum_x / n
    if n < 2:
        return _stats(n, mean_x, 0.0, 0.0, 0.0, None)
    d = n - 1
    var_x = (sums.sum_x2 - sums.sum_x * sums.sum_x / n) / d
    var_y = (sums.sum_y2 - sums.sum_y * sums.sum_y / n) / d
    cov = (sums.sum_xy - sums.sum_x * sums.sum_y / n) / d
    return _stats(n, mean_x, var_x, var_y, cov, None)


def option_shares(choices: Iterable[Any], options: Iterable[str] = ()) -> dict[str, float]:
    """Share of responses that picked each option; a response is a key, a collection, or None."""
    counts: Counter[str] = Counter({key: 0 for key in options})
    responses = 0
    for chosen in choices:
        responses += 1
        if chosen is None:
            continue
        picked = {chosen} if isinstance(chosen, str) else set(chosen)
        counts.update(picked)
    if responses == 0:
        return {}
    return {key: count / responses for key, count in counts.items()}
