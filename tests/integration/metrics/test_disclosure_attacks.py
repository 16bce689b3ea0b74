"""The attack test: every differencing route a penetration test used against the small-number rule,
run against the perturbed figures, with an attacker who knows the method's published bounds.

Generated data with small forces. The attacker collects everything the commissioner's outputs
show (national table and totals under every nation and force-type filter, each force's drill-down,
the trend with its running totals, for three periods; a monthly release is a frozen copy of the
national table for a period, so it adds the same figures) and knows how they relate:
- totals are sums of the forces they cover (any filter);
- "completed by the period end" is the running total of monthly completions, per force;
- a running total is the sum of the months before it;
- every shown count is within MAX_NOISE of its true value, and a [c] is a true value of at most
  THRESHOLD - 1 + MAX_NOISE (zeros included), never negative.

For every count whose true value is 1 to 9 (a force's monthly completions, its completed,
registered and overdue counts, and every shown or hidden cell), integer programs (HiGHS, through
scipy.optimize.milp) find the smallest and largest value consistent with all of it. The test
asserts that at least 5 values stay possible: not merely that no exact answer is found.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from app.assignments.models import Assignment
from app.forces.models import Force
from app.metrics import services, summary
from app.metrics.definitions import Suppressed
from app.metrics.disclosure import MAX_NOISE, THRESHOLD
from tests.factories import ForceFactory, UserFactory, make_course
from tests.integration.metrics.conftest import _certificate

# (code, nation, force type, officers): three larger forces and five small ones.
FORCES = (
    ("big-a", "England", "territorial", 46),
    ("big-b", "England", "territorial", 34),
    ("big-c", "Wales", "territorial", 28),
    ("sm-d", "England", "special", 7),
    ("sm-e", "England", "special", 3),
    ("sm-f", "Scotland", "territorial", 5),
    ("sm-g", "Wales", "special", 9),
    ("sm-h", "Northern Ireland", "territorial", 2),
)
MONTHS = [f"2025-{m:02d}" for m in range(2, 9)]  # completions fall in February to August
PERIODS = (date(2025, 6, 30), date(2025, 7, 31), date(2025, 8, 31))
KEYS = ("registered", "completed", "overdue")
HIDDEN_MAX = THRESHOLD - 1 + MAX_NOISE


def _build(seed: int, database) -> dict:
    rng = random.Random(seed)
    course = make_course(n_modules=1, questions=1, lessons=1, slug="attack", title="Attack test course")
    truth: dict = {}
    for code, nation, force_type, size in FORCES:
        force = ForceFactory(code=code, name=f"Force {code}", nation=nation, type=force_type, headcount=100)
        database.session.add(
            Assignment(
                force_id=force.id,
                course_id=course.id,
                scope="force",
                due_on=date(2025, 5, 31),
                created_at=datetime(2025, 1, 15),
            )
        )
        for _ in range(size):
            officer = UserFactory(
                force=force,
                created_at=datetime(2024, 6, 1),
                force_joined_at=datetime(2024, 6, 1),
                record_key=rng.randrange(256),  # seeded, so the run is repeatable
            )
            if rng.random() < 0.65:
                issued = datetime(2025, 2, 1) + timedelta(days=rng.randrange(211))  # to 30 August
                database.session.add(_certificate(officer, course, issued, date(2026, 12, 31)))
                truth.setdefault((code, f"{issued:%Y-%m}"), 0)
                truth[(code, f"{issued:%Y-%m}")] += 1
    database.session.flush()
    summary.rebuild()
    return {"course": course, "completions": truth}


@dataclass
class Model:
    """Integer variables, their true values, and the published constraints on them."""

    names: list = field(default_factory=list)
    truth: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # (coefficients dict, low, high, label)
    targets: dict = field(default_factory=dict)  # label -> coefficients dict

    def var(self, name: str, true_value: int) -> int:
        self.names.append(name)
        self.truth.append(true_value)
        return len(self.names) - 1

    def value(self, coefficients: dict) -> int:
        return sum(self.truth[i] * c for i, c in coefficients.items())

    def shown(self, coefficients: dict, figure, label: str) -> None:
        """A published figure: a count within MAX_NOISE, or [c]."""
        if isinstance(figure, Suppressed):
            self.rows.append((coefficients, 0, HIDDEN_MAX, label))
        else:
            assert isinstance(figure, int), (label, figure)
            self.rows.append((coefficients, figure - MAX_NOISE, figure + MAX_NOISE, label))
        self.targets[label] = coefficients


def _sum(*parts: dict) -> dict:
    total: dict = {}
    for part in parts:
        for i, c in part.items():
            total[i] = total.get(i, 0) + c
    return total


def _collect(built: dict, database) -> Model:
    model = Model()
    forces = {f.code: f for f in database.session.scalars(database.select(Force))}
    month_var = {
        (code, month): model.var(f"{code} completions {month}", built["completions"].get((code, month), 0))
        for code in forces
        for month in MONTHS
    }

    def completed(codes, period: date) -> dict:
        return {month_var[(c, m)]: 1 for c in codes for m in MONTHS if m <= f"{period:%Y-%m}"}

    def running(codes, month: str) -> dict:
        return {month_var[(c, m)]: 1 for c in codes for m in MONTHS if m <= month}

    # Registered and overdue per force and period: unknowns of their own (true values from the
    # lead's private view, which the attacker never sees).
    other: dict = {}
    for period in PERIODS:
        for code, force in forces.items():
            private = services.force_report(
                force, services.Filters(course="attack", date_to=period), private=True
            ).totals_metrics
            for key in ("registered", "overdue"):
                other[(key, code, period)] = model.var(f"{code} {key} {period}", getattr(private, key))

    def cell(key: str, codes, period: date) -> dict:
        if key == "completed":
            return completed(codes, period)
        return {other[(key, c, period)]: 1 for c in codes}

    filters = [{}]
    filters += [{"nation": n} for n in sorted({f[1] for f in FORCES})]
    filters += [{"force_type": t} for t in sorted({f[2] for f in FORCES})]
    for period in PERIODS:
        for extra in filters:
            report = services.national_report(services.Filters(course="attack", date_to=period, **extra))
            codes = [row["code"] for row in report.rows]
            label = f"{period} {extra or 'all'}"
            for row in report.rows:
                for key in KEYS:
                    model.shown(
                        cell(key, [row["code"]], period), row["shown"][key], f"{row['code']} {key} {period}"
                    )
            for key in KEYS:
                model.shown(cell(key, codes, period), report.totals[key], f"total {key} {label}")
            _trend(model, report.trend, codes, month_var, running, label)
        for code, force in forces.items():
            drill = services.force_report(
                force, services.Filters(course="attack", date_to=period), private=False
            )
            for key in KEYS:
                model.shown(cell(key, [code], period), drill.totals[key], f"{code} {key} {period}")
            _trend(model, drill.trend, [code], month_var, running, f"{code} {period}")
    for (code, month), index in month_var.items():
        model.targets.setdefault(f"{code} completions {month}", {index: 1})
    return model


def _trend(model: Model, trend, codes, month_var, running, label: str) -> None:
    for row in trend:
        if row.month not in MONTHS:
            assert row.month < MONTHS[0] or row.month > MONTHS[-1]
            continue
        this_month = {month_var[(c, row.month)]: 1 for c in codes}
        model.shown(this_month, row.completions, f"trend {label} {row.month} month")
        model.shown(running(codes, row.month), row.cumulative, f"trend {label} {row.month} running")


def _constraints(model: Model) -> LinearConstraint:
    matrix = np.zeros((len(model.rows), len(model.names)))
    low = np.empty(len(model.rows))
    high = np.empty(len(model.rows))
    for r, (coefficients, lo, hi, _label) in enumerate(model.rows):
        for i, c in coefficients.items():
            matrix[r, i] = c
        low[r], high[r] = lo, hi
    return LinearConstraint(matrix, low, high)


def _bounds(model: Model, objective: dict, constraints: LinearConstraint | None = None) -> tuple[int, int]:
    """The smallest and largest integer value of the objective consistent with every row."""
    n = len(model.names)
    constraints = constraints or _constraints(model)
    c = np.zeros(n)
    for i, weight in objective.items():
        c[i] = weight
    found = []
    for sign in (1, -1):
        result = milp(
            sign * c,
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
        )
        assert result.success, result.message
        found.append(round(sign * result.fun))
    return found[0], found[1]


@pytest.mark.parametrize("seed", [2026, 7])
def test_no_count_of_1_to_9_can_be_narrowed_below_5_values(database, seed):
    built = _build(seed, database)
    model = _collect(built, database)
    # The attacker's model is right: the true values satisfy every published constraint (which
    # also checks that no figure moved by more than the published bound).
    for coefficients, low, high, label in model.rows:
        assert low <= model.value(coefficients) <= high, label
    small = {}  # one target per distinct sum (a force's row and its drill-down are one cell)
    for label, coefficients in model.targets.items():
        if 1 <= model.value(coefficients) <= 9:
            small.setdefault(frozenset(coefficients.items()), (label, coefficients))
    assert len(small) >= 40  # the data really has small counts to attack
    constraints = _constraints(model)
    narrow, widths = {}, []
    for label, coefficients in small.values():
        low, high = _bounds(model, coefficients, constraints)
        assert low <= model.value(coefficients) <= high
        widths.append(high - low + 1)
        if high - low + 1 < 5:
            narrow[label] = (model.value(coefficients), low, high)
    median = sorted(widths)[len(widths) // 2]
    print(f"{len(small)} small counts attacked; narrowest {min(widths)} values, median {median}")
    assert narrow == {}


def test_the_old_rule_fails_the_same_attack(database):
    """The same attack finds exact answers when figures are shown as they are (the lead's
    private view) with only the old "fewer than 5" rule: the test can tell a leak from none."""
    built = _build(2026, database)
    model = Model()
    forces = {f.code: f for f in database.session.scalars(database.select(Force))}
    month_var = {
        (code, month): model.var(f"{code} {month}", built["completions"].get((code, month), 0))
        for code in forces
        for month in MONTHS
    }
    period = PERIODS[-1]
    for code, force in forces.items():
        trend = services.force_report(
            force, services.Filters(course="attack", date_to=period), private=True
        ).trend
        for row in trend:
            if row.month in MONTHS:
                coefficients = {month_var[(code, m)]: 1 for m in MONTHS if m <= row.month}
                value = row.cumulative
                if 1 <= value <= 4:
                    model.rows.append((coefficients, 1, 4, code))
                else:
                    model.rows.append((coefficients, value, value, code))
    exact = 0
    for index in month_var.values():
        if 1 <= model.truth[index] <= 9:
            low, high = _bounds(model, {index: 1})
            exact += low == high
    assert exact > 0
