"""Sending email: SMTP settings from the config, one lazily opened connection, and the Mailbox
that sends single emails (account links) and records each in the outbox. Reminders use the same
path (app.assignments.mailer)."""

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from app.extensions import db
from app.mail.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class MailSettings:
    """SMTP settings from the app config; no server means "write to the outbox"."""

    server: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    use_tls: bool = True
    sender: str = "training@example.police.uk"

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        """Read MAIL_* settings."""
        return cls(
            server=config.get("MAIL_SERVER") or "",
            port=int(config.get("MAIL_PORT", 587)),
            username=config.get("MAIL_USERNAME") or "",
            password=config.get("MAIL_PASSWORD") or "",
            use_tls=bool(config.get("MAIL_USE_TLS", True)),
            sender=config.get("MAIL_FROM") or cls.sender,
        )


class Smtp:
    """One SMTP connection, opened lazily and reopened after a failure."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            s = self.settings
            connection = smtplib.SMTP(s.server, s.port, timeout=SMTP_TIMEOUT_SECONDS)
            try:
                if s.use_tls:
                    connection.starttls()
                if s.username:
                    connection.login(s.username, s.password)
            except Exception:
                connection.close()
                raise
            self.connection = connection
        try:
            self.connection.send_message(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


def email_message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


class Mailbox:
    """Send single emails now (account links), on the same path as reminders.

    By SMTP when MAIL_SERVER is set, otherwise the outbox is the delivery. Either way an
    OutboxMessage row records what was sent; `record_body` replaces the body in that record when
    a real email went out (so a secret in the email is not kept in the database). One SMTP
    connection serves every message until `close()`; use it as a context manager.
    """

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp = Smtp(settings) if settings.server else None

    @property
    def delivers_to_outbox(self) -> bool:
        """True when the outbox row is the delivery itself (no SMTP server configured)."""
        return self._smtp is None

    def send(self, to: str, subject: str, body: str, *, record_body: str | None = None) -> None:
        """Deliver one email; raises smtplib.SMTPException or OSError when SMTP fails."""
        if self._smtp is not None:
            self._smtp.send(email_message(self.settings.sender, to, subject, body))
            body = body if record_body is None else record_body
        db.session.add(OutboxMessage(to=to, subject=subject[:200], body=body))

    def close(self) -> None:
        """Close the SMTP connection, if one was opened."""
        if self._smtp is not None:
            self._smtp.close()

    def __enter__(self) -> "Mailbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
