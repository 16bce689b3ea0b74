"""Sessions and sign-in throttling under concurrency, and the per-IP rate limit.

Already proved elsewhere (not repeated here), in tests/integration/auth/test_sign_in.py:
rotation on sign-in (test_session_cookie_changes_on_sign_in), idle timeout
(test_idle_session_expires), absolute lifetime
(test_session_ends_after_the_absolute_lifetime_even_when_active), server-side sign-out
(test_sign_out_invalidates_the_session_on_the_server) and sequential lock-out
(test_five_failures_pause_sign_in_even_with_the_right_password).

The `database` fixture is one rolled-back transaction, which cannot show a race, so the parallel
tests build their own app on a real database (a temporary SQLite file, or a fresh schema on
PostgreSQL when TEST_DATABASE_URL names one), as tests/integration/certificates/test_race.py does.
"""

import threading

import pytest

from app import create_app
from app.auth.models import SignInThrottle, UserSession
from app.auth.sign_in_services import SIGN_IN_FAILED
from app.extensions import db, limiter
from tests.conftest import committed_app, rate_limited_app
from tests.factories import PASSWORD, ForceFactory, UserFactory

LOCKED = b"Too many failed sign-in attempts"
THREADS = 12
ATTEMPTS_EACH = 3


def _real_app(kind: str, tmp_path, **settings):
    """An app on its own real database, with a pool big enough for the threads; (app, cleanup)."""
    options = {"pool_size": THREADS + 2} if kind != "sqlite" else {}
    return committed_app(kind, tmp_path, engine_options=options, **settings)


@pytest.fixture(params=["sqlite", "postgresql"])
def real_app(request, tmp_path):
    application, cleanup = _real_app(request.param, tmp_path)
    yield application
    cleanup()


def _hammer(application, email: str, password: str, threads: int, attempts: int):
    """Post sign-ins from many threads at once; return (statuses, bodies, errors)."""
    barrier = threading.Barrier(threads, timeout=30)
    statuses, bodies, errors = [], [], []
    lock = threading.Lock()

    def worker():
        client = application.test_client()
        try:
            barrier.wait()
            for _ in range(attempts):
                response = client.post("/sign-in", data={"email": email, "password": password})
                with lock:
                    statuses.append(response.status_code)
                    bodies.append(response.data)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return statuses, bodies, errors


def test_parallel_wrong_passwords_still_lock_the_account(real_app):
    threshold = real_app.config["LOCKOUT_THRESHOLD"]
    with real_app.app_context():
        UserFactory(email="target@police.uk", force=ForceFactory())
        db.session.commit()

    statuses, bodies, errors = _hammer(
        real_app, "target@police.uk", "wrong password here", THREADS, ATTEMPTS_EACH
    )

    assert not errors, errors
    assert len(statuses) == THREADS * ATTEMPTS_EACH
    assert all(status == 401 for status in statuses), sorted(set(statuses))  # never a 500
    # At most `threshold` attempts were judged on the password; every other one was refused
    # as locked, however the requests interleaved.
    judged = sum(SIGN_IN_FAILED.encode() in body for body in bodies)
    assert judged <= threshold - 1
    assert sum(LOCKED in body for body in bodies) >= THREADS * ATTEMPTS_EACH - threshold + 1
    # The account is locked now: the right password is refused too.
    client = real_app.test_client()
    right = client.post("/sign-in", data={"email": "target@police.uk", "password": PASSWORD})
    assert right.status_code == 401
    assert LOCKED in right.data
    with real_app.app_context():
        throttle = db.session.get(SignInThrottle, "target@police.uk")
        assert throttle.locked_until is not None
        assert db.session.query(UserSession).count() == 0


def test_parallel_attempts_on_an_unknown_email_lock_it_the_same_way(real_app):
    statuses, bodies, errors = _hammer(real_app, "ghost@police.uk", "wrong password here", THREADS, 2)
    assert not errors, errors
    assert all(status == 401 for status in statuses)
    assert sum(SIGN_IN_FAILED.encode() in body for body in bodies) <= real_app.config["LOCKOUT_THRESHOLD"] - 1
    assert LOCKED in bodies[-1] or any(LOCKED in body for body in bodies)


@pytest.fixture
def limited_app():
    """A fresh app with Flask-Limiter on and a small sign-in budget (see rate_limited_app)."""
    with rate_limited_app(LOGIN_RATE_LIMIT="3 per minute", VERIFY_RATE_LIMIT="4 per minute") as application:
        yield application


def test_sign_in_is_rate_limited_per_ip_across_different_emails(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/sign-in",
            data={"email": f"user{i}@police.uk", "password": "x"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        ).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]
    # Another address still has its own budget.
    other = client.post(
        "/sign-in",
        data={"email": "user9@police.uk", "password": "x"},
        environ_base={"REMOTE_ADDR": "203.0.113.8"},
    )
    assert other.status_code == 401


def test_rate_limited_page_is_the_friendly_error_page(limited_app):
    client = limited_app.test_client()
    for _ in range(4):
        response = client.post("/sign-in", data={"email": "a@police.uk", "password": "x"})
    assert response.status_code == 429
    assert b"Too many requests" in response.data
    assert "Content-Security-Policy" in response.headers


def test_second_factor_step_shares_the_sign_in_limit(limited_app):
    client = limited_app.test_client()
    statuses = [client.post("/sign-in/code", data={"code": "000000"}).status_code for _ in range(4)]
    assert statuses[-1] == 429


def test_forgotten_password_form_is_rate_limited_per_ip(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/forgot-password",
            data={"email": f"user{i}@police.uk"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        ).status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_set_password_link_page_is_rate_limited(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/account/set-password/not-a-real-token", data={"password": "x", "confirm": "x"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_certificate_check_is_rate_limited(limited_app):
    client = limited_app.test_client()
    statuses = [client.get("/verify/MSA-0000-0000-0000-0000").status_code for _ in range(6)]
    assert 429 in statuses
    assert statuses.index(429) == 4


# --- session properties not covered in tests/integration/auth/test_sign_in.py ----------------


def test_session_token_is_random_and_stored_only_hashed(client, database):
    user = UserFactory(email="ann@police.uk")
    client.post("/sign-in", data={"email": "ann@police.uk", "password": PASSWORD})
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits
    row = database.session.query(UserSession).filter_by(user_id=user.id).one()
    assert row.token_hash != token
    assert token not in row.token_hash
    assert str(user.id) != token  # the cookie does not hold the user id


def test_each_sign_in_gets_a_new_token_and_old_sessions_stay_separate(client, database, app):
    UserFactory(email="ann@police.uk")
    tokens = []
    for _ in range(2):
        other = app.test_client()
        other.post("/sign-in", data={"email": "ann@police.uk", "password": PASSWORD})
        with other.session_transaction() as session:
            tokens.append(session["_user_id"])
    assert tokens[0] != tokens[1]


def test_deactivating_a_user_ends_their_session_at_the_next_request(client, login_as, database):
    user = login_as(UserFactory(email="ann@police.uk"))
    assert client.get("/account/password").status_code == 200
    user.active = False
    database.session.commit()
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_password_change_ends_other_sessions(app, client, login_as, database):
    user = login_as(UserFactory(email="ann@police.uk"))
    elsewhere = app.test_client()
    elsewhere.post("/sign-in", data={"email": "ann@police.uk", "password": PASSWORD})
    assert elsewhere.get("/account/password").status_code == 200
    assert (
        client.post(
            "/account/password", data={"current_password": PASSWORD, "password": "kettle orbit lantern"}
        ).status_code
        == 302
    )
    assert client.get("/account/password").status_code == 200  # this one was re-issued
    assert elsewhere.get("/account/password").status_code == 302
    assert database.session.query(UserSession).filter_by(user_id=user.id).count() == 1


def test_signed_in_pages_are_not_cached(client, login_as, database):
    login_as(UserFactory())
    assert client.get("/account/password").headers["Cache-Control"] == "no-store"


def test_production_cookies_are_secure_host_only_and_same_site(monkeypatch):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    # Building a production app switches the shared Limiter on (see limited_app): put it back.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    application = create_app(ProductionConfig)
    assert application.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert application.config["SESSION_COOKIE_SECURE"] is True
    assert application.config["SESSION_COOKIE_HTTPONLY"] is True
    assert application.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert application.config["REMEMBER_COOKIE_SECURE"] is True
    assert not application.debug
    assert {"training_lead", "commissioner", "admin"} <= application.config["MFA_REQUIRED_ROLES"]
