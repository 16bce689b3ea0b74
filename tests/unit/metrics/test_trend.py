"""The monthly trend: gaps filled with zero, running totals and cumulative uptake."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.metrics.definitions import TrendPoint, monthly_trend


def test_trend_fills_missing_months_and_accumulates():
    rows = [("2024-01", 3), ("2024-04", 2), ("2024-02", 5)]
    # cumulative 3, 3+5=8, 8+0=8, 8+2=10; uptake over 100 officers 0.03, 0.08, 0.08, 0.10
    assert monthly_trend(rows, 100) == [
        ("2024-01", 3, 3, pytest.approx(0.03)),
        ("2024-02", 5, 8, pytest.approx(0.08)),
        ("2024-03", 0, 8, pytest.approx(0.08)),
        ("2024-04", 2, 10, pytest.approx(0.10)),
    ]


def test_trend_crosses_a_year_end():
    months = [point.month for point in monthly_trend([("2023-11", 1), ("2024-02", 1)], None)]
    assert months == ["2023-11", "2023-12", "2024-01", "2024-02"]


def test_trend_uptake_unknown_without_headcount():
    assert monthly_trend([("2024-05", 4)], None) == [TrendPoint("2024-05", 4, 4, None)]


def test_trend_starts_from_an_opening_total():
    # 40 completed before the period; 40 + 10 = 50 of 200 officers = 0.25
    assert monthly_trend([("2025-01", 10)], 200, opening_total=40) == [TrendPoint("2025-01", 10, 50, 0.25)]


def test_trend_adds_duplicate_months():
    assert monthly_trend([("2024-03", 2), ("2024-03", 3)], None)[0].completions == 5


def test_empty_trend():
    assert monthly_trend([], 100) == []


@pytest.mark.parametrize("month", ["2024-13", "2024-1", "24-01", "2024/01", "2024-00"])
def test_trend_rejects_malformed_months(month):
    with pytest.raises(ValueError, match="YYYY-MM"):
        monthly_trend([(month, 1)], 10)


@given(
    st.dictionaries(
        st.tuples(st.integers(2020, 2030), st.integers(1, 12)), st.integers(0, 500), min_size=1, max_size=30
    )
)
def test_trend_covers_every_month_and_keeps_the_total(counts):
    rows = [(f"{year}-{month:02d}", n) for (year, month), n in counts.items()]
    points = monthly_trend(rows, None)
    indices = [year * 12 + month for year, month in counts]
    assert len(points) == max(indices) - min(indices) + 1
    assert points[-1].cumulative == sum(counts.values())
    assert sum(point.completions for point in points) == sum(counts.values())
