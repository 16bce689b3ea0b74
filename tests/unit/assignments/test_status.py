"""Derived status and due-date rules at their boundaries (pure: no Flask, no database)."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from app.assignments import status as rules
from app.assignments.status import Evidence
from app.csv_cells import neutralise_cell

TODAY = date(2026, 3, 10)
ROOT = Path(__file__).resolve().parents[3]


def derive(due_on, evidence=rules.NO_EVIDENCE, today=TODAY, rdays=60):
    return rules.derive(due_on=due_on, today=today, evidence=evidence, recertify_days=rdays)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


@pytest.mark.parametrize(
    ("due_on", "expected"),
    [
        (date(2026, 3, 9), rules.OVERDUE),  # due yesterday
        (date(2026, 3, 10), rules.DUE_SOON),  # due today is not yet overdue
        (date(2026, 3, 17), rules.DUE_SOON),  # due in 7 days
        (date(2026, 3, 18), rules.NOT_STARTED),  # due in 8 days
    ],
)
def test_status_at_due_date_boundaries(due_on, expected):
    assert derive(due_on).status == expected


def test_started_work_is_in_progress_until_due_soon():
    evidence = Evidence(last_activity_at=at(date(2026, 3, 1)))
    assert derive(date(2026, 3, 18), evidence).status == rules.IN_PROGRESS
    due_soon = derive(date(2026, 3, 17), evidence)
    assert due_soon.status == rules.DUE_SOON
    assert due_soon.started


def test_one_module_passed_of_two_is_in_progress_not_complete():
    evidence = Evidence(modules_passed=1, last_passed_at=at(date(2026, 3, 1)))
    assert derive(date(2026, 4, 1), evidence).status == rules.IN_PROGRESS


def test_all_modules_passed_without_certificate_is_not_complete():
    # The certificate is the one evidence of completion, as in the SQL aggregates.
    evidence = Evidence(modules_passed=2, last_passed_at=at(date(2026, 3, 1)))
    result = derive(date(2026, 4, 1), evidence)
    assert result.status == rules.IN_PROGRESS
    assert result.completed_on is None


def test_completed_after_the_due_date_is_complete_and_flagged_late():
    evidence = Evidence(has_certificate=True, certificate_issued_at=at(date(2026, 3, 5)))
    result = derive(date(2026, 3, 4), evidence)
    assert result.status == rules.COMPLETE
    assert result.late


def test_completed_on_the_due_date_is_not_late():
    evidence = Evidence(has_certificate=True, certificate_issued_at=at(date(2026, 3, 4), 23))
    assert not derive(date(2026, 3, 4), evidence).late


def test_revoked_certificate_overrides_module_passes():
    evidence = Evidence(
        modules_passed=2,
        last_passed_at=at(date(2026, 3, 1)),
        has_certificate=True,
        certificate_issued_at=None,
    )
    assert derive(date(2026, 3, 9), evidence).status == rules.OVERDUE


def test_certificate_expiring_within_window_makes_course_due_by_expiry():
    evidence = Evidence(
        has_certificate=True,
        certificate_issued_at=at(date(2025, 4, 1)),
        certificate_expires_on=date(2026, 4, 1),
    )
    result = derive(date(2025, 5, 1), evidence)
    assert result.recertifying
    assert result.due_on == date(2026, 4, 1)
    assert result.status == rules.NOT_STARTED
    outside = derive(date(2025, 5, 1), evidence, rdays=20)
    assert outside.status == rules.COMPLETE


def test_expired_certificate_is_overdue_renewal_and_new_work_counts_as_started():
    evidence = Evidence(
        has_certificate=True,
        certificate_issued_at=at(date(2025, 3, 1)),
        certificate_expires_on=date(2026, 3, 1),
        last_activity_at=at(date(2026, 3, 8)),
    )
    result = derive(date(2025, 4, 1), evidence)
    assert result.status == rules.OVERDUE
    assert result.started
    assert result.recertifying


def test_renewal_never_due_before_the_assignment_itself():
    evidence = Evidence(
        has_certificate=True,
        certificate_issued_at=at(date(2024, 1, 1)),
        certificate_expires_on=date(2025, 1, 1),
    )
    assert derive(date(2026, 5, 1), evidence).due_on == date(2026, 5, 1)


def test_certificate_without_stored_expiry_never_expires():
    # The certificate's expiry is fixed at issue (found by the property test in test_one_truth:
    # the SQL never expired it, the Python rule did from the course's current validity).
    evidence = Evidence(has_certificate=True, certificate_issued_at=at(date(2024, 3, 20)))
    result = derive(date(2025, 4, 1), evidence)
    assert result.status == rules.COMPLETE
    assert not result.recertifying


@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [
        (None, rules.VALID),
        (date(2026, 5, 30), rules.VALID),  # 61 days after 30 March
        (date(2026, 5, 29), rules.EXPIRING),  # 60 days: the window's last day is included
        (date(2026, 3, 30), rules.EXPIRING),  # expiring today is still held today
        (date(2026, 3, 29), rules.EXPIRED),
    ],
)
def test_certificate_state_boundaries(expires_on, expected):
    assert rules.certificate_state(expires_on, date(2026, 3, 30), 60) == expected


@pytest.mark.parametrize(
    ("due_on", "issued_on", "expires_on", "expected"),
    [
        (date(2026, 3, 30), None, None, False),  # due today: not yet overdue
        (date(2026, 3, 29), None, None, True),
        (date(2026, 3, 29), date(2026, 3, 1), date(2026, 3, 30), False),  # certificate valid today
        (date(2026, 3, 29), date(2025, 3, 1), date(2026, 3, 29), True),  # it expired yesterday
        (date(2026, 3, 29), date(2026, 3, 31), None, True),  # issued after the reference day
    ],
)
def test_overdue_boundaries_agree_with_derive(due_on, issued_on, expires_on, expected):
    today = date(2026, 3, 30)
    assert rules.is_overdue(due_on, today, issued_on=issued_on, expires_on=expires_on) is expected
    issued_at = at(issued_on) if issued_on and issued_on <= today else None
    evidence = Evidence(
        has_certificate=issued_at is not None,
        certificate_issued_at=issued_at,
        certificate_expires_on=expires_on,
    )
    derived = rules.derive(due_on=due_on, today=today, evidence=evidence)
    assert (derived.status == rules.OVERDUE) is expected


@pytest.mark.parametrize(
    ("joined", "expected"),
    [
        (None, date(2026, 3, 31)),  # named officer: the assignment's date
        (date(2026, 2, 20), date(2026, 3, 31)),  # joined before the assignment
        (date(2026, 3, 1), date(2026, 3, 31)),  # joined the day it was made
        (date(2026, 3, 10), date(2026, 4, 9)),  # joined 9 days later: 30 days from joining
        (date(2026, 6, 1), date(2026, 7, 1)),  # joined after the due date
    ],
)
def test_later_joiner_gets_as_long_as_the_group(joined, expected):
    assert rules.personal_due_on(date(2026, 3, 31), date(2026, 3, 1), joined) == expected


def test_urgency_orders_overdue_then_due_soon_then_started_then_new_then_complete():
    done = Evidence(has_certificate=True, certificate_issued_at=at(date(2026, 3, 1)))
    items = [
        derive(date(2026, 5, 1), done),
        derive(date(2026, 5, 1)),
        derive(date(2026, 5, 2), Evidence(last_activity_at=at(TODAY))),
        derive(date(2026, 3, 12)),
        derive(date(2026, 3, 1)),
        derive(date(2026, 2, 1)),
    ]
    ordered = sorted(items, key=rules.urgency_key)
    assert [d.status for d in ordered] == [
        rules.OVERDUE,
        rules.OVERDUE,
        rules.DUE_SOON,
        rules.IN_PROGRESS,
        rules.NOT_STARTED,
        rules.COMPLETE,
    ]
    assert ordered[0].due_on == date(2026, 2, 1)


def test_add_months_clamps_to_month_end():
    from app.certificates.services import add_months  # expiry dates are fixed at issue, there

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 12) == date(2026, 12, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 113", "'+44 113"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("Sam Taylor", "Sam Taylor"),
        (None, ""),
        (7, "7"),
    ],
)
def test_csv_cells_are_neutralised(value, expected):
    assert neutralise_cell(value) == expected


def test_reminder_kinds_and_percent():
    assert rules.reminder_kind(derive(date(2026, 3, 9))) == "overdue"
    assert rules.reminder_kind(derive(date(2026, 3, 17))) == "due_soon"
    assert rules.reminder_kind(derive(date(2026, 3, 18))) is None
    assert rules.completion_percent(0, 0) == 0
    assert rules.completion_percent(2, 3) == 66


def test_status_module_imports_without_flask_or_sqlalchemy():
    code = (
        "import sys\nimport app.assignments.status\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')]\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
