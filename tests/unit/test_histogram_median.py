"""The median taken from a histogram (definitions.histogram_median) against the pure median()."""

import random
from collections import Counter

import pytest

from app.metrics.definitions import histogram_median, median

CASES = [
    [7],
    [5, 5, 5, 9],
    [1, 2, 2, 3, 10, 10],
    [0, 0, 1],
    [4, 37, 60],
    [37, 60],
    [3, 3, 3, 3, 3, 3, 3, 3],
    [1, 100],
    [90, 0, 45, 12],  # unsorted
]


@pytest.mark.parametrize("values", CASES)
def test_histogram_median_matches_the_pure_median(values):
    assert histogram_median(Counter(values)) == pytest.approx(median(values))


def test_histogram_median_of_many_random_histograms():
    rng = random.Random(8)
    for _ in range(200):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 60))]
        assert histogram_median(Counter(values)) == pytest.approx(median(values)), values


def test_histogram_median_of_nothing_is_none():
    assert histogram_median({}) is None
    assert histogram_median({5: 0}) is None


def test_a_worked_example():
    # 1, 2, 2, 3, 10, 10: the 3rd and 4th values are 2 and 3.
    assert histogram_median({10: 2, 2: 2, 1: 1, 3: 1}) == 2.5
