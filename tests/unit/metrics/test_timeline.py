"""app.metrics.timeline: one officer's states day by day, the deltas the rollup sums, and the
coverage spans (pure; the agreement with the SQL is tests/integration/metrics/test_state_rollup.py)."""

from datetime import date, datetime, time, timedelta

from app.metrics import timeline as tl

DAY = date(2026, 6, 1)
COURSE = 7
WINDOW = 60
FIELDS = (
    "registered",
    "started",
    "completed",
    "overdue",
    "valid",
    "expiring",
    "expired",
    "certified",
    "certified_other",
    "law_update_due",
    "up_to_date",
    "first_completed",
)


def _officer(**kwargs) -> tl.Officer:
    values = {"user_id": 1, "force_id": 1, "team_id": None, "record_key": 5, "police": True}
    values["created_on"] = DAY - timedelta(days=400)
    values.update(kwargs)
    return tl.Officer(**values)


def _on(officer, day, course=COURSE) -> dict:
    return dict(zip(FIELDS, tl.state_on(officer, course, day, WINDOW), strict=True))


def _obligation(made, due, until=None, covered=None) -> tl.Obligation:
    return tl.Obligation(COURSE, made, until, due, covered or datetime.combine(made, time(9)))


def _certified(officer, issued, expires, cid=1, cycle=1, revoked=None):
    officer.statuses.append(tl.Status(COURSE, issued, issued, issued, expires))
    at = datetime.combine(issued, time(12))
    officer.certificates.append(
        tl.Held(cid, COURSE, cycle, issued, (at, cid), expires, revoked, revoked is not None)
    )


def test_overdue_from_the_day_after_the_due_date_not_on_it():
    officer = _officer(obligations=[_obligation(DAY - timedelta(days=30), DAY)])
    assert _on(officer, DAY)["overdue"] == 0
    assert _on(officer, DAY + timedelta(days=1))["overdue"] == 1
    assert _on(officer, DAY)["registered"] == 1


def test_a_certificate_expiring_today_is_still_held_and_expired_tomorrow():
    officer = _officer(obligations=[_obligation(DAY - timedelta(days=500), DAY - timedelta(days=400))])
    _certified(officer, DAY - timedelta(days=365), DAY)
    today = _on(officer, DAY)
    assert (today["certified"], today["expiring"], today["expired"], today["overdue"]) == (1, 1, 0, 0)
    tomorrow = _on(officer, DAY + timedelta(days=1))
    assert (tomorrow["certified"], tomorrow["expired"], tomorrow["overdue"]) == (0, 1, 1)
    assert _on(officer, DAY - timedelta(days=WINDOW + 1))["valid"] == 1  # before the window


def test_others_are_certified_apart_and_owe_no_law_update():
    officer = _officer(police=False)
    _certified(officer, DAY - timedelta(days=10), None)
    officer.updates.append(tl.Owed(1, DAY - timedelta(days=5), None))
    state = _on(officer, DAY)
    assert (state["certified"], state["certified_other"], state["law_update_due"], state["up_to_date"]) == (
        0,
        1,
        0,
        0,
    )


def test_a_law_update_is_owed_until_done_or_a_newer_cycle_is_issued():
    officer = _officer()
    _certified(officer, DAY - timedelta(days=100), None)
    officer.updates.append(tl.Owed(1, DAY - timedelta(days=5), DAY + timedelta(days=3)))
    assert (_on(officer, DAY)["law_update_due"], _on(officer, DAY)["up_to_date"]) == (1, 0)
    assert (
        _on(officer, DAY + timedelta(days=3))["law_update_due"],
        _on(officer, DAY + timedelta(days=3))["up_to_date"],
    ) == (0, 1)


def test_nothing_is_counted_before_the_account_exists_but_the_first_completion_is():
    officer = _officer(created_on=DAY)
    _certified(officer, DAY - timedelta(days=3), None)
    before = tl.state_on(officer, COURSE, DAY - timedelta(days=1), WINDOW)
    assert before == (*tl.ZERO[: tl.STATES], 1)


def test_deltas_sum_to_the_state_on_every_day():
    officer = _officer(obligations=[_obligation(DAY - timedelta(days=90), DAY - timedelta(days=30))])
    _certified(officer, DAY - timedelta(days=10), DAY + timedelta(days=200))
    officer.updates.append(tl.Owed(1, DAY + timedelta(days=20), None))
    changes = tl.deltas(officer, COURSE, WINDOW)
    assert [day for day, _ in changes] == sorted({day for day, _ in changes})
    for offset in range(-450, 300, 7):
        day = DAY + timedelta(days=offset)
        summed = [0] * tl.WIDTH
        for when, delta in changes:
            if when <= day:
                summed = [a + b for a, b in zip(summed, delta, strict=True)]
        assert tuple(summed) == tl.state_on(officer, COURSE, day, WINDOW), day


def test_all_courses_completed_means_every_course_the_officer_is_on():
    officer = _officer(obligations=[_obligation(DAY - timedelta(days=90), DAY + timedelta(days=30))])
    officer.obligations.append(tl.Obligation(8, DAY - timedelta(days=90), None, DAY + timedelta(days=30)))
    _certified(officer, DAY - timedelta(days=10), None)
    everything = _on(officer, DAY, tl.ALL_COURSES)
    assert (everything["completed"], everything["certified"], everything["first_completed"]) == (0, 0, 1)
    assert tl.course_scopes(officer) == {tl.ALL_COURSES, COURSE, 8}


def test_coverage_spans_follow_the_earliest_live_assignment_and_merge_when_unchanged():
    first = _obligation(date(2026, 1, 10), date(2026, 2, 10), until=date(2026, 3, 1))
    second = _obligation(date(2026, 2, 1), date(2026, 4, 1))
    officer = _officer(obligations=[first, second])
    _certified(officer, date(2026, 2, 20), None)
    spans = tl.coverage_spans(officer)
    assert spans == [
        tl.Span(COURSE, date(2026, 1, 10), date(2026, 3, 1), date(2026, 1, 10), date(2026, 2, 20)),
        tl.Span(COURSE, date(2026, 3, 1), None, date(2026, 2, 1), date(2026, 2, 20)),
    ]


def test_a_certificate_before_being_covered_does_not_complete_the_coverage():
    officer = _officer(obligations=[_obligation(date(2026, 3, 1), date(2026, 4, 1))])
    _certified(officer, date(2026, 2, 1), None)
    assert tl.coverage_spans(officer) == [tl.Span(COURSE, date(2026, 3, 1), None, date(2026, 3, 1), None)]


def test_a_certificate_issued_at_the_moment_of_coverage_completes_it():
    """As the coverage statement: the first unrevoked certificate issued at or after the moment
    the officer was covered (compared to the second, not the day)."""
    made = date(2026, 3, 1)
    officer = _officer(
        obligations=[_obligation(made, date(2026, 4, 1), covered=datetime.combine(made, time(12)))]
    )
    _certified(officer, made, None)  # issued at 12:00 on the same day
    assert tl.coverage_spans(officer) == [tl.Span(COURSE, made, None, made, made)]
    early = _officer(
        obligations=[_obligation(made, date(2026, 4, 1), covered=datetime.combine(made, time(13)))]
    )
    _certified(early, made, None)  # an hour before being covered: does not count
    assert tl.coverage_spans(early) == [tl.Span(COURSE, made, None, made, None)]
