"""The SQL histogram median (queries._histogram_median) against the pure median()."""

import random

import pytest
from sqlalchemy import Integer, literal, select, union_all

from app.extensions import db
from app.metrics.definitions import median
from app.metrics.queries import _histogram_median

CASES = [
    [7],
    [5, 5, 5, 9],
    [1, 2, 2, 3, 10, 10],
    [0, 0, 1],
    [4, 37, 60],
    [37, 60],
    [3, 3, 3, 3, 3, 3, 3, 3],
    [1, 100],
]


def _sql_median(groups: dict[str, list[int]]) -> tuple[dict, tuple]:
    counts = {}
    for key, values in groups.items():
        for value in values:
            counts[(key, value)] = counts.get((key, value), 0) + 1
    rows = union_all(
        *(
            select(
                literal(key).label("key"),
                literal(days, Integer).label("days"),
                literal(n, Integer).label("n"),
            )
            for (key, days), n in counts.items()
        )
    ).subquery("hist")
    per_key = {
        row[1]: (row[2], row[3])
        for row in db.session.execute(_histogram_median(rows.c.key, rows.c.days, rows.c.n, literal(False)))
    }
    pooled = db.session.execute(_histogram_median(None, rows.c.days, rows.c.n, literal(True))).one()
    return per_key, (pooled[2], pooled[3])


def test_histogram_median_matches_the_pure_median(database):
    rng = random.Random(8)
    groups = {f"g{i}": values for i, values in enumerate(CASES)}
    groups["random"] = [rng.randint(0, 40) for _ in range(101)]
    per_key, (pooled, count) = _sql_median(groups)
    for key, values in groups.items():
        assert per_key[key] == (pytest.approx(median(values)), len(values)), key
    everything = [v for values in groups.values() for v in values]
    assert (pooled, count) == (pytest.approx(median(everything)), len(everything))
