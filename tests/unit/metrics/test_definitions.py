"""Each formula checked against figures worked out by hand in the comments."""

import dataclasses
from pathlib import Path

import pytest

from app.metrics.definitions import (
    METRIC_DEFINITIONS,
    MODULE_METRIC_DEFINITIONS,
    ForceCounts,
    ForceMetrics,
    ModuleCounts,
    ModuleMetrics,
    compute_force_metrics,
    compute_module_metrics,
    median,
    national_totals,
    ratio,
    uptake_measure,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "metrics.md"


def test_force_counts_are_passed_through(avon):
    metrics = compute_force_metrics(avon)
    assert (metrics.registered, metrics.started, metrics.completed) == (400, 300, 120)
    assert (
        metrics.overdue,
        metrics.certificates_valid,
        metrics.certificates_expiring,
        metrics.certificates_expired,
    ) == (30, 100, 15, 5)
    assert metrics.median_days_to_completion == 21.5
    assert metrics.counts is avon


def test_uptake_is_currently_certified_over_headcount(avon):
    # 115 currently certified / 2000 officers = 0.0575; the 120 ever completed do not count
    assert compute_force_metrics(avon).uptake == pytest.approx(0.0575)


def test_unknown_headcount_gives_unknown_uptake_not_zero(bristol):
    assert compute_force_metrics(bristol).uptake is None


def test_zero_headcount_gives_unknown_uptake(avon):
    assert compute_force_metrics(dataclasses.replace(avon, headcount=0)).uptake is None


def test_completion_rate_is_certified_over_registered(avon):
    # 115 currently certified / 400 registered = 0.2875
    assert compute_force_metrics(avon).completion_rate == pytest.approx(0.2875)


def test_force_first_time_pass_rate_pools_modules(avon):
    # (210 + 150) first-attempt passes / (300 + 200) attempted = 360 / 500 = 0.72
    assert compute_force_metrics(avon).first_time_pass_rate == pytest.approx(0.72)


def test_force_mean_attempts_to_pass_pools_modules(avon):
    # (360 + 216) attempts / (270 + 180) passes = 576 / 450 = 1.28
    assert compute_force_metrics(avon).mean_attempts_to_pass == pytest.approx(1.28)


def test_force_mean_best_score_pools_modules(avon):
    # (24000 + 15000) / (300 + 200) = 39000 / 500 = 78.0
    assert compute_force_metrics(avon).mean_best_score == pytest.approx(78.0)


def test_mean_confidence_gain(avon, bristol):
    # 180 / 90 = 2.0; a fall in confidence stays negative: -3 / 6 = -0.5
    assert compute_force_metrics(avon).mean_confidence_gain == pytest.approx(2.0)
    assert compute_force_metrics(bristol).mean_confidence_gain == pytest.approx(-0.5)


def test_module_metrics_per_module(avon):
    first, second = compute_force_metrics(avon).modules
    # M1: 210 / 300 = 0.7; 360 / 270 = 1.3333; 24000 / 300 = 80.0
    assert first.module_code == "M1"
    assert first.first_time_pass_rate == pytest.approx(0.7)
    assert first.mean_attempts_to_pass == pytest.approx(4 / 3)
    assert first.mean_best_score == pytest.approx(80.0)
    # M2: 150 / 200 = 0.75; 216 / 180 = 1.2; 15000 / 200 = 75.0
    assert second.first_time_pass_rate == pytest.approx(0.75)
    assert second.mean_attempts_to_pass == pytest.approx(1.2)
    assert second.mean_best_score == pytest.approx(75.0)


def test_empty_force_has_no_ratios_and_zero_counts():
    metrics = compute_force_metrics(ForceCounts("Z", "Zeta", headcount=300))
    assert metrics.registered == 0
    assert metrics.uptake == 0.0  # 0 / 300: a real zero, the headcount is known
    for name in (
        "completion_rate",
        "first_time_pass_rate",
        "mean_attempts_to_pass",
        "mean_best_score",
        "mean_confidence_gain",
        "median_days_to_completion",
    ):
        assert getattr(metrics, name) is None


def test_module_with_no_passes_has_no_mean_attempts():
    metrics = compute_module_metrics(ModuleCounts("M9", "Hard", officers_attempted=6, best_score_sum=240.0))
    assert metrics.first_time_pass_rate == 0.0  # 0 / 6
    assert metrics.mean_attempts_to_pass is None  # 0 passes
    assert metrics.mean_best_score == pytest.approx(40.0)  # 240 / 6


def test_national_totals_sum_counts(avon, bristol, cumbria):
    total = national_totals([avon, bristol, cumbria])
    # 400 + 50 + 100 = 550 registered; 120 + 10 + 50 = 180 completed; 30 + 6 + 0 = 36 overdue
    assert total.force_code == "ALL"
    assert (total.registered, total.completed, total.overdue) == (550, 180, 36)
    # 115 + 8 + 45 = 168 currently certified; 168 / 550 = 0.305454...
    assert total.certified == 168
    assert total.completion_rate == pytest.approx(0.3054545)
    # (180 - 3 + 60) / (90 + 6 + 40) = 237 / 136 = 1.742647...
    assert total.mean_confidence_gain == pytest.approx(1.742647, rel=1e-6)


def test_national_uptake_counts_only_known_headcounts(avon, bristol, cumbria):
    total = national_totals([avon, bristol, cumbria])
    # Bristol's headcount is unknown, so its 8 certified officers leave the numerator too:
    # (115 + 45) / (2000 + 500) = 160 / 2500 = 0.064
    assert total.headcount == 2500
    assert total.uptake == pytest.approx(0.064)
    assert total.uptake_excluded == ("B",)


def test_national_uptake_unknown_when_no_headcount_known(bristol):
    total = national_totals([bristol])
    assert total.uptake is None
    assert total.headcount is None
    assert total.uptake_excluded == ("B",)


def test_national_modules_merge_by_code(avon, bristol, cumbria):
    modules = {m.module_code: m for m in national_totals([avon, bristol, cumbria]).modules}
    m1 = modules["M1"]
    # attempted 300 + 40 + 80 = 420; first passes 210 + 20 + 60 = 290 -> 290 / 420 = 0.690476
    assert m1.officers_attempted == 420
    assert m1.first_time_pass_rate == pytest.approx(0.6904762)
    # attempts 360 + 54 + 100 = 514 over passes 270 + 36 + 76 = 382 -> 1.345550
    assert m1.mean_attempts_to_pass == pytest.approx(1.3455497)
    # best 24000 + 2800 + 6000 = 32800 / 420 = 78.095238
    assert m1.mean_best_score == pytest.approx(78.095238)
    assert modules["M2"].officers_attempted == 200


def test_national_median_is_supplied_not_averaged(avon, bristol, cumbria):
    assert national_totals([avon, bristol, cumbria]).median_days_to_completion is None
    total = national_totals([avon, bristol, cumbria], median_days_to_completion=19.0)
    assert total.median_days_to_completion == 19.0
    # 80 + 9 + 45 = 134 officers rest under that median
    assert total.counts.days_to_completion_count == 134


def test_national_totals_of_no_forces():
    total = national_totals([])
    assert (total.registered, total.uptake, total.uptake_excluded) == (0, None, ())


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 4, 0.25),
        (0, 4, 0.0),
        (3, 0, None),
        (3, None, None),
    ],
)
def test_ratio(numerator, denominator, expected):
    assert ratio(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([7], 7.0),
        ([3, 1, 2], 2.0),
        ([4, 1, 3, 2], 2.5),
        ((10, 10, 30, 31), 20.0),
    ],
)
def test_median(values, expected):
    assert median(values) == expected


def test_definition_keys_and_headers_are_unique():
    for definitions in (METRIC_DEFINITIONS, MODULE_METRIC_DEFINITIONS):
        assert len({d.key for d in definitions}) == len(definitions)
        assert len({d.csv_header for d in definitions}) == len(definitions)
        assert all(d.label and d.formula for d in definitions)


def test_every_definition_names_a_computed_field():
    force_fields = {f.name for f in dataclasses.fields(ForceMetrics)}
    module_fields = {f.name for f in dataclasses.fields(ModuleMetrics)}
    assert {d.key for d in METRIC_DEFINITIONS} <= force_fields
    assert {d.key for d in MODULE_METRIC_DEFINITIONS} <= module_fields


def test_docs_describe_every_csv_header():
    text = DOCS.read_text(encoding="utf-8")
    for definition in METRIC_DEFINITIONS + MODULE_METRIC_DEFINITIONS:
        assert f"`{definition.csv_header}`" in text
    for field in dataclasses.fields(ForceCounts) + dataclasses.fields(ModuleCounts):
        assert f"`{field.name}`" in text


def test_national_uptake_never_mixes_measures(avon, cumbria):
    # Avon 2000 and Cumbria 500 on headcount, Dorset 800 FTE: headcount is the measure of most
    # forces, so Dorset is left out and named (115 + 45) / (2000 + 500) = 0.064.
    avon, cumbria = (dataclasses.replace(r, headcount_measure="headcount") for r in (avon, cumbria))
    dorset = dataclasses.replace(
        cumbria, force_code="D", headcount=800, headcount_measure="fte", certified=400
    )
    total = national_totals([avon, cumbria, dorset])
    assert total.uptake_measure == "headcount"
    assert total.headcount == 2500
    assert total.uptake == pytest.approx(0.064)
    assert total.uptake_excluded == ("D",)


def test_uptake_measure_is_the_majority_and_a_tie_goes_to_headcount(avon, cumbria, bristol):
    fte = [dataclasses.replace(r, headcount_measure="fte") for r in (avon, cumbria)]
    assert uptake_measure([*fte, dataclasses.replace(avon, headcount_measure="headcount")]) == "fte"
    assert (
        uptake_measure([fte[0], dataclasses.replace(cumbria, headcount_measure="headcount")]) == "headcount"
    )
    assert uptake_measure([bristol]) == ""  # no known figure


def test_others_certified_are_outside_uptake_but_inside_the_completion_rate(avon):
    metrics = compute_force_metrics(dataclasses.replace(avon, certified_other=25))
    assert metrics.uptake == pytest.approx(115 / 2000)
    assert metrics.completion_rate == pytest.approx((115 + 25) / 400)
