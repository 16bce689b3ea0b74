"""Fixtures for the auth tests: the loopback SMTP sink and mail settings of the reminder tests."""

from tests.integration.assignments.conftest import closed_port, mail_to, smtp_sink  # noqa: F401
