"""Single sign-on per force: the registered OpenID Connect provider, identities, pending sign-ins."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db
from app.forces.models import Force


class ForceIdentityProvider(db.Model):
    """A force's OpenID Connect provider (an Entra ID tenant); at most one per force.

    `issuer` is the tenant's own v2.0 issuer (never /common or /organizations); discovery is read
    from it on every sign-in, so a change saved here applies on every app server at once.
    """

    __tablename__ = "force_identity_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(64), unique=True)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret: Mapped[str] = mapped_column(String(1000))  # encrypted: auth.secret_box
    # {"name": claim, "service_number": claim, "team": claim, "role_claim": claim,
    #  "roles": {provider value: platform role}}; see app.auth.oidc.ClaimMapping.
    claim_mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    sso_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Entra v2.0 tokens carry no `amr`: the admin records whether Conditional Access enforces MFA.
    mfa_enforced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    allow_new_accounts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    force: Mapped[Force] = relationship()


class UserIdentity(db.Model):
    """A user's binding to a provider's stable ids (tid + oid), or an invitation still to be linked.

    An admin's invitation is a row with no object id: the first sign-in of that force's tenant
    whose email matches links it. After that only (tenant_id, object_id) finds the user.
    """

    __tablename__ = "user_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str | None] = mapped_column(String(64))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime | None]
    linked_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]


class OidcSignIn(db.Model):
    """A sign-in sent to a provider and not yet back: state, nonce and PKCE verifier, kept on the
    server so that every app server can finish it and each state is used once."""

    __tablename__ = "oidc_sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("forces.id"))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(200))
    next_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
