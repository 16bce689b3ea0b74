"""The snapshot's JSON form gives back exactly the figures stored (app.metrics.snapshots)."""

from datetime import datetime

from app.metrics.definitions import ForceCounts, ModuleCounts
from app.metrics.queries import QuestionGap
from app.metrics.snapshots import NationalFigures, dumps, loads


def _figures() -> NationalFigures:
    module = ModuleCounts(
        "spotting-the-signs",
        "Spotting the signs",
        officers_attempted=12,
        first_attempt_passes=7,
        passes=10,
        attempts_to_pass_sum=15,
        best_score_sum=912.5,
    )
    gap = QuestionGap(
        "Spotting the signs", "q-07", "A car wash at 6am…", ("indicators", "labour"), 40, 0.275, -0.125
    )
    return NationalFigures(
        counts=[
            ForceCounts(
                "avon",
                "Avon and Somerset",
                "England",
                "territorial",
                2900,
                registered=120,
                started=80,
                completed=41,
                officers_assessed=77,
                officers_passed=60,
                modules=(module, module),
                overdue=3,
                certificates_valid=30,
                certificates_expiring=6,
                certificates_expired=5,
                confidence_gain_sum=31.5,
                confidence_gain_count=25,
                median_days_to_completion=12.5,
                days_to_completion_count=33,
            ),
            ForceCounts("btp", "British Transport Police", headcount=None),
        ],
        pooled_median=14.0,
        months=[(1, "2026-01", 4), (2, "2026-02", 9)],
        questions=[gap],
        tags=[QuestionGap("", "", "labour", ("labour",), 90, 0.5, None)],
        weakest={1: gap},
        computed_at=datetime(2026, 11, 28, 14, 5, 33),
    )


def test_figures_survive_the_round_trip():
    figures = _figures()
    assert loads(dumps(figures)) == figures


def test_an_empty_report_survives_the_round_trip():
    empty = NationalFigures([], None, [], [], [], {}, None)
    assert loads(dumps(empty)) == empty
