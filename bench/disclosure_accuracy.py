"""What disclosure control costs in accuracy: every count the commissioner's national views show,
published (perturbed) against true.

Run from the project root, for example:

    .venv/bin/python bench/disclosure_accuracy.py --url sqlite:////tmp/accuracy.db --officers 5000

An empty database gets the schema, the forces and `generate_national(officers, 24 months)`; a
database that already holds officers is used as it is. For the national table (every force and the
total) under no filter, each nation and each force type, and for the trend (monthly completions
and running totals), for all courses and each course, it compares each count cell as shown with
its true value, and prints: cells, the share not shown ([c]), the share of shown cells changed,
and the mean and maximum absolute change of shown cells.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.national_dashboard import _app, _prepare  # noqa: E402

COUNT_KEYS = (
    "registered",
    "started",
    "completed",
    "certified",
    "certified_other",
    "overdue",
    "certificates_valid",
    "certificates_expiring",
    "certificates_expired",
)


def _pairs(report) -> list[tuple[int, object]]:
    """(true, shown) for every count cell of a national report."""
    pairs = []
    for row in report.rows:
        for key in COUNT_KEYS:
            pairs.append((getattr(row["metrics"], key), row["shown"][key]))
    for key in COUNT_KEYS:
        pairs.append((getattr(report.totals_metrics, key), report.totals[key]))
    return pairs


def _trend_pairs(report, private) -> list[tuple[int, object]]:
    truth = {row.month: row for row in private}
    pairs = []
    for row in report.trend:
        pairs.append((truth[row.month].completions, row.completions))
        pairs.append((truth[row.month].cumulative, row.cumulative))
    return pairs


def measure() -> dict:
    from app.metrics import queries, services
    from app.metrics.definitions import Suppressed

    nations, types = queries.filter_choices()
    filters = [{}, *({"nation": n} for n in nations), *({"force_type": t} for t in types)]
    courses = ["", *(c.slug for c in queries.courses())]
    pairs = []
    for course in courses:
        for extra in filters:
            report = services.national_report(services.Filters(course=course, **extra))
            pairs += _pairs(report)
            # The true trend: the same months computed without perturbation.
            private = services.Report(
                filters=report.filters,
                scope=report.scope,
                course=report.course,
                period=report.period,
                produced_on=report.produced_on,
            )
            forces = queries.forces_in_scope(report.scope)
            months = queries.completion_months(
                report.scope, queries.Grouping(force_ids=tuple(f.id for f in forces))
            )
            services._trend(private, report.scope, months, {f.id: f.headcount or None for f in forces}, True)
            pairs += _trend_pairs(report, private.trend)
    shown = [(true, value) for true, value in pairs if not isinstance(value, Suppressed)]
    changes = [abs(value - true) for true, value in shown]
    return {
        "cells": len(pairs),
        "not_shown": 1 - len(shown) / len(pairs),
        "hidden_true_ge_10": sum(1 for t, v in pairs if isinstance(v, Suppressed) and t >= 10),
        "changed": sum(1 for c in changes if c) / len(changes),
        "mean_abs": sum(changes) / len(changes),
        "max_abs": max(changes),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--officers", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    app = _app(args.url)
    with app.app_context():
        _prepare(args.officers, args.months)
        result = measure()
    print(f"count cells compared:        {result['cells']:,}")
    print(f"not shown ([c]):             {result['not_shown']:.1%}")
    print(f"  of them with a true count of 10 or more: {result['hidden_true_ge_10']}")
    print(f"shown cells changed:         {result['changed']:.1%}")
    print(f"mean absolute change (shown): {result['mean_abs']:.2f}")
    print(f"maximum absolute change:      {result['max_abs']}")


if __name__ == "__main__":
    main()
