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


# --- statements built once (built_once) ---------------------------------------------------------


def test_a_statement_is_built_once_for_the_same_arguments_and_again_for_others(app, database):
    from app.metrics.memo import built_once

    built = []

    @built_once
    def statement(scope, modules):
        built.append((scope, modules))
        return object()

    first = statement("scope", (1, 2))
    assert statement("scope", (1, 2)) is first  # kept: not built again
    assert statement("scope", (1, 3)) is not first  # another module list: another statement
    assert statement("other scope", (1, 2)) is not first
    assert built == [("scope", (1, 2)), ("scope", (1, 3)), ("other scope", (1, 2))]


def test_a_kept_statement_never_hides_a_module_added_since(app, database, dataset):
    """The module figures' statements are kept by scope, grouping and the module ids in scope (read
    each time): a module added to the content after a statement was kept has its results counted."""
    from datetime import datetime

    from sqlalchemy import select

    from app.auth.models import User
    from tests.factories import make_course
    from tests.integration.metrics.conftest import _result

    avon = dataset["avon"]
    scope = queries.Scope(end=datetime(2026, 1, 1), force_ids=(avon.id,))
    grouping = queries.Grouping(force_ids=(avon.id,))
    with app.test_request_context():
        before = {m.module_code for m in queries.module_rows(scope, grouping)[avon.id]}
        assessed_before = queries.officers_assessed(scope, grouping)[avon.id][0]
    added = make_course(n_modules=1, questions=1, lessons=1, slug="memo-added", title="Added later")
    [module] = added.modules
    a6 = database.session.scalar(select(User).where(User.name == "Isolde Marchbank"))  # no result before
    database.session.add(_result(a6, module, attempts=1, best=50, first_at=datetime(2025, 7, 1)))
    database.session.flush()
    with app.test_request_context():
        after = {m.module_code for m in queries.module_rows(scope, grouping)[avon.id]}
        assessed_after = queries.officers_assessed(scope, grouping)[avon.id][0]
    assert module.slug not in before
    assert after == {*before, module.slug}
    assert assessed_after == assessed_before + 1
