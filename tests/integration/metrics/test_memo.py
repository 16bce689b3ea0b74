"""Reference lookups are read once per request (app.metrics.memo), never across requests."""

from app.metrics import queries
from app.metrics.memo import per_request


def _counted():
    calls = []

    @per_request
    def lookup(*args):
        calls.append(args)
        return [len(calls), *args]

    return lookup, calls


def test_one_read_per_request_and_arguments_each_caller_a_copy(app):
    lookup, calls = _counted()
    with app.test_request_context():
        first = lookup(1, [2, 3])
        first.append("changed by the caller")
        assert lookup(1, [2, 3]) == [1, 1, [2, 3]]  # the same answer, not the caller's change
        assert lookup(2) == [2, 2]  # other arguments: another read
    assert calls == [(1, [2, 3]), (2,)]


def test_each_request_reads_again_and_outside_a_request_every_call_reads(app):
    lookup, calls = _counted()
    with app.test_request_context():
        lookup()
    with app.test_request_context():
        assert lookup() == [2]
    lookup()
    lookup()
    assert len(calls) == 4


def test_a_course_added_between_requests_is_in_the_next_requests_filter(app, database):
    from app.content.models import Course

    with app.test_request_context():
        before = [c.slug for c in queries.courses()]
    database.session.add(Course(slug="memo-check", title="Memo check"))
    database.session.flush()
    with app.test_request_context():
        after = [c.slug for c in queries.courses()]
    assert "memo-check" not in before
    assert set(after) == {*before, "memo-check"}
