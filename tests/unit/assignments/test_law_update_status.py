"""The status module's law-update states: update due until every update is done, then updated."""

from datetime import date

from app.assignments import status

DAY = date(2026, 12, 2)


def test_no_update_assigned_says_nothing():
    assert status.law_update_state([]) is None


def test_any_outstanding_update_makes_it_due_by_the_earliest_date():
    state = status.law_update_state([(date(2027, 1, 31), None), (date(2027, 1, 10), None), (DAY, DAY)])
    assert (state.status, state.due_on, state.updated_on) == (status.UPDATE_DUE, date(2027, 1, 10), None)
    assert (state.label, state.tag) == ("Update due", "orange")


def test_every_update_done_is_updated_on_the_last_day():
    state = status.law_update_state(
        [(date(2027, 1, 31), date(2026, 12, 5)), (date(2027, 2, 1), date(2026, 12, 20))]
    )
    assert (state.status, state.updated_on) == (status.UPDATED, date(2026, 12, 20))
    assert state.label == "Updated"


def test_overdue_only_after_the_due_day():
    due = status.law_update_state([(DAY, None)])
    assert not status.update_overdue(due, DAY)
    assert status.update_overdue(due, date(2026, 12, 3))
    assert not status.update_overdue(status.law_update_state([(DAY, DAY)]), date(2027, 1, 1))
    assert not status.update_overdue(None, DAY)


def test_the_existing_states_are_unchanged():
    assert status.URGENCY == (
        status.OVERDUE,
        status.DUE_SOON,
        status.IN_PROGRESS,
        status.NOT_STARTED,
        status.COMPLETE,
    )
