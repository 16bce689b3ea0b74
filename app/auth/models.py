"""Users and their server-side sign-in sessions."""

import secrets
from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, SmallInteger, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.workforce import WorkforceType
from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import Role


class User(UserMixin, db.Model):
    """A person who signs in; email is stored lower-cased, so uniqueness is case-insensitive."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("force_id", "service_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    service_number: Mapped[str | None] = mapped_column(String(40))
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.OFFICER)
    # What the person is in their force (app.auth.workforce); the headline counts police officers.
    workforce_type: Mapped[str] = mapped_column(
        String(20),
        default=WorkforceType.POLICE_OFFICER.value,
        server_default=WorkforceType.POLICE_OFFICER.value,
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    force_joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The interface language the person chose (app.i18n); None: their force's default.
    language: Mapped[str | None] = mapped_column(String(5))
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # encrypted: auth.secret_box
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    recovery_codes: Mapped[list | None] = mapped_column(JSON)
    team_joined_at: Mapped[datetime | None]
    # Set when someone else chose the password (an admin): it must be changed on first use.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The id a provisioning client (Entra ID over SCIM) knows the person by.
    scim_external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    # A fixed secret random number (0-255) for cell-key perturbation (app.metrics.disclosure):
    # it never changes and never leaves the server.
    record_key: Mapped[int] = mapped_column(
        SmallInteger, default=lambda: secrets.randbelow(256), server_default="0"
    )

    force: Mapped[Force | None] = relationship()
    team: Mapped[Team | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        """Deactivated accounts cannot sign in."""
        return self.active

    @property
    def role_label(self) -> str:
        """The role's human label, in the request's language."""
        return gettext(Role(self.role).label)

    @property
    def workforce_label(self) -> str:
        """The workforce type's human label."""
        return WorkforceType(self.workforce_type).label

    def has_role(self, *roles: str) -> bool:
        """True if the user holds one of the roles."""
        return self.role in roles

    def get_id(self) -> str | None:
        """Flask-Login stores the session token, not the user id, so sign-out can revoke it."""
        return getattr(self, "session_token", None)


class UserSession(db.Model):
    """A signed-in session, so sign-out and idle timeout are enforced on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class SignInThrottle(db.Model):
    """Failed sign-ins per email address, known or not, so lock-out reveals nothing."""

    __tablename__ = "sign_in_throttles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class AccountLink(db.Model):
    """A single-use invitation or password-reset link; only the token's SHA-256 is stored.

    used_at is set when the link is redeemed, or when it is cancelled because another link of
    the same user was redeemed or the password was changed another way.
    """

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


from app.auth import sso_models  # noqa: E402,F401  (single sign-on tables, loaded with the users)
