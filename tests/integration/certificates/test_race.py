"""Two requests completing the same course at once issue exactly one certificate.

The `database` fixture runs every test in one rolled-back transaction, which cannot show a race,
so this test builds its own app on a real database (a temporary SQLite file, or a fresh schema on
PostgreSQL when TEST_DATABASE_URL names one) and issues from two threads with their own sessions.
A barrier holds both threads just before the insert, after each has seen that no certificate exists.
"""

import threading

import pytest

from app.auth.models import User
from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db
from tests.conftest import committed_app
from tests.factories import ForceFactory, UserFactory, make_course

from .conftest import pass_module


@pytest.fixture(params=["sqlite", "postgresql"])
def race_app(request, tmp_path):
    """An app on its own real database, schema made with create_all, dropped afterwards."""
    application, cleanup = committed_app(request.param, tmp_path)
    yield application
    cleanup()


def test_two_racing_requests_issue_one_certificate(race_app, monkeypatch):
    with race_app.app_context():
        user = UserFactory(force=ForceFactory())
        course = make_course(n_modules=2)
        for module in course.modules:
            pass_module(user, module)
        db.session.commit()
        user_id, module_id = user.id, course.modules[-1].id

    barrier = threading.Barrier(2, timeout=20)
    real_new_serial = services.new_serial

    def serial_after_both_checked():
        barrier.wait()  # both threads have found no certificate and are about to insert
        return real_new_serial()

    monkeypatch.setattr(services, "new_serial", serial_after_both_checked)
    results, errors = [None, None], []

    def request(index: int) -> None:
        try:
            with race_app.app_context():
                issued = services.issue_completed_courses(db.session.get(User, user_id), module_id)
                db.session.commit()
                results[index] = [(c.id, c.serial) for c in issued]
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=request, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with race_app.app_context():
        rows = db.session.query(Certificate).all()
    assert len(rows) == 1
    # Both requests answer with the same certificate: the loser read the winner's row.
    assert results[0] == results[1] == [(rows[0].id, rows[0].serial)]
