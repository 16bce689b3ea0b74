"""Forgotten password: one answer for every address, a link only for active accounts."""

from sqlalchemy import func, select

from app.auth import links
from app.auth.models import AccountLink
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import UserFactory
from tests.integration.auth.test_account_links import NEW, link_in_outbox, sign_in

SENT = b"If an account exists for that address, we have sent a link"


def ask(client, email):
    return client.post("/forgot-password", data={"email": email})


def outbox_to(email: str) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to == email))


def test_sign_in_page_links_to_forgotten_password(client, database):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<a class="govuk-link" href="/forgot-password">Forgotten your password?</a>' in page


def test_same_answer_for_a_known_and_an_unknown_address_and_only_the_known_gets_mail(client, database):
    UserFactory(email="ann@police.uk")
    known = ask(client, "ANN@police.uk ")
    unknown = ask(client, "nobody@police.uk")
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.data
    assert known.data == unknown.data
    assert outbox_to("ann@police.uk") == 1
    assert outbox_to("nobody@police.uk") == 0
    [link] = db.session.scalars(select(AccountLink)).all()
    assert link.purpose == links.RESET


def test_a_deactivated_account_gets_the_same_answer_and_no_mail(client, database):
    UserFactory(email="gone@police.uk", active=False)
    response = ask(client, "gone@police.uk")
    assert SENT in response.data
    assert outbox_to("gone@police.uk") == 0
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0


def test_the_emailed_reset_link_sets_a_new_password(client, database):
    UserFactory(email="ann@police.uk")
    ask(client, "ann@police.uk")
    path = link_in_outbox("ann@police.uk")
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert sign_in(client, "ann@police.uk", NEW).status_code == 302


def test_an_officer_without_a_password_can_get_one_this_way(client, database):
    UserFactory(email="imported@police.uk", password_hash=None)
    ask(client, "imported@police.uk")
    path = link_in_outbox("imported@police.uk")
    client.post(path, data={"password": NEW, "confirm": NEW})
    assert sign_in(client, "imported@police.uk", NEW).status_code == 302


def test_at_most_three_reset_emails_per_account_per_hour(client, database):
    UserFactory(email="ann@police.uk")
    answers = {ask(client, "ann@police.uk").data for _ in range(5)}
    assert len(answers) == 1
    assert outbox_to("ann@police.uk") == 3


def test_an_invalid_address_is_a_form_error_not_a_lookup(client, database):
    response = ask(client, "not an email")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.data
    assert b'href="#email"' in response.data
    assert SENT not in response.data


def test_by_smtp_the_link_goes_out_and_the_record_keeps_no_token(client, database, mail_to, smtp_sink):
    UserFactory(email="ann@police.uk", name="Ann Lee")
    mail_to(smtp_sink.server_address[1])
    assert SENT in ask(client, "ann@police.uk").data
    [message] = smtp_sink.messages
    assert message["rcpt"] == ["ann@police.uk"]
    assert "/account/set-password/" in message["data"]
    [record] = db.session.scalars(select(OutboxMessage)).all()
    assert "/account/set-password/" not in record.body
    assert links.REDACTED in record.body


def test_a_failed_send_gives_the_same_answer_and_keeps_no_link(client, database, mail_to, closed_port):
    UserFactory(email="ann@police.uk")
    mail_to(closed_port)
    response = ask(client, "ann@police.uk")
    assert response.status_code == 200
    assert SENT in response.data
    assert db.session.scalar(select(func.count()).select_from(AccountLink)) == 0
    assert outbox_to("ann@police.uk") == 0
