"""Cell-key perturbation (app.metrics.disclosure): the p-table look-up and the threshold."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.metrics import disclosure
from app.metrics.disclosure import MAX_NOISE, MODULUS, NOISE_SHARES, THRESHOLD, Cell


def test_the_noise_shares_fill_the_256_cell_keys_and_are_symmetric():
    assert sum(NOISE_SHARES.values()) == MODULUS
    assert all(NOISE_SHARES[n] == NOISE_SHARES[-n] for n in NOISE_SHARES)
    assert max(abs(n) for n in NOISE_SHARES) == MAX_NOISE


def test_a_large_count_gets_each_noise_for_its_share_of_cell_keys():
    tally = Counter(disclosure.noise(500, key) for key in range(MODULUS))
    assert dict(tally) == NOISE_SHARES


@pytest.mark.parametrize("count", [1, 2, 3])
def test_noise_never_takes_a_count_below_zero(count):
    results = {count + disclosure.noise(count, key) for key in range(MODULUS)}
    assert min(results) == 0  # noise down to zero is allowed ...
    assert max(results) == count + MAX_NOISE  # ... and up by the full bound


def test_zero_stays_zero_and_is_not_shown():
    assert {disclosure.noise(0, key) for key in range(MODULUS)} == {0}
    assert disclosure.shown(Cell(0, 0)) is None


@given(st.integers(0, 100_000), st.integers(0, 10**9))
def test_published_counts_are_within_the_bound_and_never_below_the_threshold(count, key_sum):
    cell = Cell(count, key_sum)
    value = disclosure.perturb(cell)
    assert abs(value - count) <= MAX_NOISE
    assert value >= 0
    shown = disclosure.shown(cell)
    assert shown is None or (shown == value and shown >= THRESHOLD)


@given(st.integers(0, THRESHOLD - MAX_NOISE - 1), st.integers(0, 10**6))
def test_counts_that_noise_cannot_lift_to_the_threshold_are_never_shown(count, key_sum):
    assert disclosure.shown(Cell(count, key_sum)) is None


@given(st.integers(THRESHOLD + MAX_NOISE, 10**6), st.integers(0, 10**6))
def test_counts_that_noise_cannot_drop_below_the_threshold_are_always_shown(count, key_sum):
    assert disclosure.shown(Cell(count, key_sum)) is not None


def test_the_same_people_always_get_the_same_noise():
    keys = [17, 200, 3, 255, 90, 41, 7, 128, 66, 12, 5, 230]
    one = Cell(len(keys), sum(keys))
    # Built another way (as a total of two groups): the same cell, so the same figure.
    two = Cell(5, sum(keys[:5])) + Cell(7, sum(keys[5:]))
    assert one == two
    assert disclosure.perturb(one) == disclosure.perturb(two)
    assert one.cell_key == sum(keys) % 256


def test_different_people_of_the_same_count_get_different_noise():
    figures = {disclosure.perturb(Cell(50, key)) for key in range(MODULUS)}
    assert figures == {47, 48, 49, 50, 51, 52, 53}


def test_rates_come_from_shown_counts_and_need_a_shown_base():
    assert disclosure.rate(12, 40) == pytest.approx(0.3)
    assert disclosure.rate(None, 40) is None  # the numerator is [c]
    assert disclosure.rate(12, None) is None  # the base is [c]
    assert disclosure.rate(5, 9) is None  # a base under the threshold
    assert disclosure.rate(43, 40) == 1.0  # noise can lift a numerator over its base
