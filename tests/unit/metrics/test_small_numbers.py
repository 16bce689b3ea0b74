"""The small-number rule: figures resting on 1-4 officers are withheld; 0 and 5+ are shown."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.metrics.definitions import (
    ForceCounts,
    ModuleCounts,
    Suppressed,
    apply_small_number_rule,
    compute_force_metrics,
    compute_module_metrics,
    suppress,
)


@pytest.mark.parametrize(("base", "withheld"), [(0, False), (1, True), (4, True), (5, False)])
def test_suppress_at_the_boundaries(base, withheld):
    result = suppress(base, base)
    assert isinstance(result, Suppressed) is withheld
    if not withheld:
        assert result == base


def test_suppressed_reads_fewer_than_threshold():
    assert str(Suppressed()) == "fewer than 5"
    assert str(suppress(0.42, 9, threshold=10)) == "fewer than 10"


def test_suppress_keeps_an_unknown_value_when_nothing_rests_on_it():
    assert suppress(None, 0) is None


@given(st.integers(min_value=0, max_value=10_000))
def test_suppress_withholds_exactly_one_to_four(base):
    assert isinstance(suppress(123, base), Suppressed) == (1 <= base <= 4)


def test_small_force_is_withheld_but_zeros_are_shown():
    counts = ForceCounts("S", "Small", headcount=900, registered=4, started=4, completed=0)
    shown = apply_small_number_rule(compute_force_metrics(counts))
    assert shown["force_name"] == "Small"
    assert shown["headcount"] == 900
    assert shown["registered"] == Suppressed()
    assert shown["started"] == Suppressed()
    assert shown["completed"] == 0
    assert shown["uptake"] == 0.0  # 0 / 900 rests on nobody
    # 0 completed of 4 registered would tell that all four have not completed.
    assert shown["completion_rate"] == Suppressed()
    assert shown["mean_best_score"] is None  # nobody assessed: unknown, not withheld


def test_rates_are_withheld_when_their_numerator_is_small(avon):
    # 3 certified of 400 registered: the rates would reveal the suppressed count of 3.
    shown = apply_small_number_rule(compute_force_metrics(dataclasses.replace(avon, certified=3)))
    assert shown["certified"] == Suppressed()
    assert shown["uptake"] == Suppressed()
    assert shown["completion_rate"] == Suppressed()
    assert shown["registered"] == 400


def test_large_force_is_shown_in_full(avon):
    metrics = compute_force_metrics(avon)
    shown = apply_small_number_rule(metrics)
    assert not any(isinstance(value, Suppressed) for value in shown.values())
    assert shown["uptake"] == metrics.uptake


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("officers_assessed", "first_time_pass_rate"),
        ("officers_assessed", "mean_best_score"),
        ("officers_passed", "mean_attempts_to_pass"),
        ("confidence_gain_count", "mean_confidence_gain"),
        ("days_to_completion_count", "median_days_to_completion"),
        ("certificates_expired", "certificates_expired"),
        ("overdue", "overdue"),
    ],
)
def test_each_figure_is_withheld_on_its_own_base(avon, field, key):
    shown = apply_small_number_rule(compute_force_metrics(dataclasses.replace(avon, **{field: 2})))
    assert shown[key] == Suppressed()


def test_module_figures_are_withheld_on_few_attempts():
    module = compute_module_metrics(
        ModuleCounts(
            "M1",
            "One",
            officers_attempted=3,
            first_attempt_passes=3,
            passes=3,
            attempts_to_pass_sum=3,
            best_score_sum=270.0,
        )
    )
    shown = apply_small_number_rule(module)
    assert shown["module_title"] == "One"
    for key in (
        "officers_attempted",
        "passes",
        "first_time_pass_rate",
        "mean_attempts_to_pass",
        "mean_best_score",
    ):
        assert shown[key] == Suppressed()


def test_threshold_can_be_raised(avon):
    shown = apply_small_number_rule(compute_force_metrics(avon), threshold=100)
    # overdue is 30 (< 100), registered is 400 (>= 100)
    assert shown["overdue"] == Suppressed(100)
    assert shown["registered"] == 400
