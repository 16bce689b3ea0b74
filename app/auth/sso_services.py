"""Writes for single sign-on: a force's provider settings, invitations, and the sign-in itself."""

import hashlib
import secrets
import time
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from app import audit, security_log
from app.auth import oidc, oidc_client
from app.auth.identity import normalise_email
from app.auth.models import User
from app.auth.sso_models import ForceIdentityProvider, OidcSignIn, UserIdentity
from app.clock import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import FORCE_ROLES, Role

SIGN_IN_WINDOW = timedelta(minutes=10)  # from leaving for the provider to coming back
KEEP_SIGN_INS = timedelta(days=1)  # then a sign-in row (used or not) is deleted


class SsoError(DomainError):
    """Single sign-on refused or mis-configured; the message is safe to show."""


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _box():
    from app.auth.mfa_services import _secret_box

    return _secret_box()


def provider_for(force_id: int | None) -> ForceIdentityProvider | None:
    """The force's registered provider, if any."""
    if force_id is None:
        return None
    return db.session.scalar(
        db.select(ForceIdentityProvider).where(ForceIdentityProvider.force_id == force_id)
    )


def sign_in_forces() -> list[Force]:
    """Forces whose people can sign in with their own provider, by name (for the sign-in page)."""
    return list(
        db.session.scalars(
            db.select(Force)
            .join(ForceIdentityProvider, ForceIdentityProvider.force_id == Force.id)
            .where(ForceIdentityProvider.enabled.is_(True))
            .order_by(Force.name)
        )
    )


def client_secret(provider: ForceIdentityProvider) -> str:
    """The client secret in clear (stored encrypted like the TOTP secrets)."""
    from app.auth import secret_box

    return secret_box.unseal(_box(), provider.client_secret) or ""


def seal_client_secrets() -> int:
    """Re-encrypt every provider's client secret with the first key (after a key rotation)."""
    from app.auth import secret_box

    providers = db.session.scalars(db.select(ForceIdentityProvider)).all()
    for provider in providers:
        provider.client_secret = secret_box.seal(_box(), client_secret(provider))
    return len(providers)


def save_provider(
    force: Force,
    *,
    actor: User,
    tenant_id: str,
    issuer: str,
    client_id: str,
    secret: str | None,
    mapping: oidc.ClaimMapping,
    enabled: bool,
    sso_only: bool,
    mfa_enforced: bool,
    allow_new_accounts: bool,
) -> ForceIdentityProvider:
    """Register or change a force's provider (audited; the secret never reaches the log).

    An empty secret keeps the stored one. Raises SsoError for a shared issuer, a tenant already
    registered to another force, or a new registration without a secret.
    """
    from app.auth import secret_box

    try:
        issuer = oidc.check_issuer(issuer, tenant_id)
    except oidc.OidcError as exc:
        raise SsoError(exc.message) from exc
    tenant_id = tenant_id.strip().lower()
    taken = db.session.scalar(
        db.select(ForceIdentityProvider.force_id).where(
            ForceIdentityProvider.tenant_id == tenant_id, ForceIdentityProvider.force_id != force.id
        )
    )
    if taken is not None:
        raise SsoError("That tenant is already registered to another force.")
    provider = provider_for(force.id)
    if provider is None:
        if not secret:
            raise SsoError("Enter the client secret.")
        provider = ForceIdentityProvider(force_id=force.id)
        db.session.add(provider)
    before = _settings(provider)
    provider.tenant_id, provider.issuer, provider.client_id = tenant_id, issuer, client_id.strip()
    if secret:
        provider.client_secret = secret_box.seal(_box(), secret.strip())
    provider.claim_mapping = mapping.as_dict()
    provider.enabled, provider.sso_only = enabled, sso_only
    provider.mfa_enforced, provider.allow_new_accounts = mfa_enforced, allow_new_accounts
    after = _settings(provider)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if secret:
        changes["client_secret"] = "changed"
    db.session.flush()
    audit.record("force.sso_settings", actor=actor, target=force, force_id=force.id, **changes)
    return provider


def _settings(provider: ForceIdentityProvider) -> dict:
    return {
        "tenant_id": provider.tenant_id,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "claim_mapping": provider.claim_mapping,
        "enabled": provider.enabled,
        "sso_only": provider.sso_only,
        "mfa_enforced": provider.mfa_enforced,
        "allow_new_accounts": provider.allow_new_accounts,
    }


def invite(user: User, *, actor: User) -> UserIdentity:
    """Let the user's account be linked at their first sign-in with their force's provider."""
    provider = provider_for(user.force_id)
    if provider is None or user.role not in FORCE_ROLES:
        raise SsoError("Only officers and training leads of a force with single sign-on can be invited.")
    identity = db.session.scalar(db.select(UserIdentity).where(UserIdentity.user_id == user.id))
    if identity is not None and identity.object_id is not None:
        raise SsoError(f"{user.name} already signs in with {user.force.name}'s provider.")
    if identity is None:
        identity = UserIdentity(user_id=user.id, force_id=user.force_id, tenant_id=provider.tenant_id)
        db.session.add(identity)
    identity.invited_by_id, identity.invited_at = actor.id, utcnow()
    db.session.flush()
    audit.record("user.sso_invite", actor=actor, target=user)
    return identity


def begin_sign_in(force: Force, *, redirect_uri: str, next_url: str | None) -> str:
    """Record a new sign-in (state, nonce, PKCE verifier) and return the provider's URL."""
    provider = provider_for(force.id)
    if provider is None or not provider.enabled:
        raise SsoError(f"{force.name} has no single sign-on.", 404)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    try:
        metadata = oidc_client.fetch_metadata(provider.issuer)
    except oidc.OidcError as exc:
        security_log.event("sso.refused", force_id=force.id, reason=exc.reason)
        raise SsoError(exc.message, 502) from exc
    # Sign-ins never finished (or finished) are of no use past the window: pruned as new ones start.
    db.session.execute(db.delete(OidcSignIn).where(OidcSignIn.created_at < utcnow() - KEEP_SIGN_INS))
    db.session.add(
        OidcSignIn(
            state_hash=_hash(state), force_id=force.id, nonce=nonce, code_verifier=verifier, next_url=next_url
        )
    )
    return oidc_client.authorization_url(
        metadata,
        client_id=provider.client_id,
        redirect_uri=redirect_uri,
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )


def claim_sign_in(state: str) -> OidcSignIn:
    """Use a sign-in's state once: one conditional UPDATE, so a replay or a race finds nothing."""
    now = utcnow()
    table = OidcSignIn.__table__
    claimed = db.session.execute(
        db.update(table)
        .where(
            table.c.state_hash == _hash(state or ""),
            table.c.used_at.is_(None),
            table.c.created_at > now - SIGN_IN_WINDOW,
        )
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        security_log.event("sso.refused", reason="state")
        raise SsoError(_("This sign-in has expired or was already used. Start again."), 400)
    return db.session.scalar(db.select(OidcSignIn).where(OidcSignIn.state_hash == _hash(state)))


def finish_sign_in(pending: OidcSignIn, *, code: str, redirect_uri: str) -> User:
    """Exchange the code, check the ID token for the pending sign-in's force, return the user."""
    provider = provider_for(pending.force_id)
    if provider is None or not provider.enabled:
        raise SsoError(_("Single sign-on is not available for this force."), 400)
    try:
        metadata = oidc_client.fetch_metadata(provider.issuer)
        id_token = oidc_client.exchange_code(
            metadata,
            client_id=provider.client_id,
            client_secret=client_secret(provider),
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=pending.code_verifier,
        )
        claims = oidc_client.verified_claims(metadata, id_token)
        identity = oidc.validate_claims(
            claims,
            issuer=provider.issuer,
            tenant_id=provider.tenant_id,
            client_id=provider.client_id,
            nonce=pending.nonce,
            now=time.time(),
            mapping=oidc.ClaimMapping.from_dict(provider.claim_mapping),
        )
    except oidc.OidcError as exc:
        security_log.event("sso.refused", force_id=pending.force_id, reason=exc.reason)
        raise SsoError(_("Sign-in refused: %(reason)s", reason=exc.message), 401) from exc
    return _account_for(provider, identity)


def _account_for(provider: ForceIdentityProvider, identity: oidc.ProviderIdentity) -> User:
    """The account bound to (tid, oid); else an invited account of this force, or a new one."""
    bound = db.session.scalar(
        db.select(UserIdentity).where(
            UserIdentity.tenant_id == identity.tenant_id, UserIdentity.object_id == identity.object_id
        )
    )
    if bound is not None:
        user = db.session.get(User, bound.user_id)
        if bound.force_id != provider.force_id or user.force_id != provider.force_id:
            security_log.event("sso.refused", force_id=provider.force_id, reason="other_force")
            raise SsoError(_("Sign-in refused: this account belongs to another force."), 403)
    else:
        user, bound = _link_invited(provider, identity) or _create(provider, identity)
    if not user.active:
        security_log.event("sso.refused", user_id=user.id, reason="inactive")
        raise SsoError(_("Sign-in refused: this account is deactivated."), 403)
    bound.last_sign_in_at = utcnow()
    if identity.role is None:  # the groups did not fit in the token: the role is left as it is
        security_log.event("sso.groups_overage", user_id=user.id, force_id=provider.force_id)
    _apply_claims(user, provider, identity)
    security_log.event("sso.ok", user_id=user.id, force_id=provider.force_id)
    return user


def _link_invited(provider, identity):
    email = normalise_email(identity.email)
    if not email:
        return None
    row = db.session.execute(
        db.select(User, UserIdentity)
        .join(UserIdentity, UserIdentity.user_id == User.id)
        .where(
            User.email == email,
            User.force_id == provider.force_id,
            UserIdentity.force_id == provider.force_id,
            UserIdentity.object_id.is_(None),
            UserIdentity.invited_at.is_not(None),
        )
    ).first()
    if row is None:
        return None
    user, bound = row
    bound.tenant_id, bound.object_id, bound.linked_at = identity.tenant_id, identity.object_id, utcnow()
    audit.record("user.sso_linked", actor=user, target=user, tenant_id=identity.tenant_id)
    return user, bound


def _create(provider, identity):
    from app.auth import user_services

    email = normalise_email(identity.email)
    if not provider.allow_new_accounts:
        security_log.event("sso.refused", force_id=provider.force_id, reason="not_invited")
        raise SsoError(
            _("Sign-in refused: you have no account here yet. Ask your training lead to invite you."), 403
        )
    if not email:
        security_log.event("sso.refused", force_id=provider.force_id, reason="no_email")
        raise SsoError(
            _(
                "Sign-in refused: your force's account sends no email address. Ask your force's IT "
                "team to add the email claim, or your training lead to invite you."
            ),
            403,
        )
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        # An existing account is never claimed by email alone: an admin must invite it.
        security_log.event("sso.refused", force_id=provider.force_id, reason="email_only")
        raise SsoError(
            _(
                "Sign-in refused: an account with your email address exists but is not linked to your "
                "force's sign-in. Ask your training lead to invite it."
            ),
            403,
        )
    service_number = identity.service_number or None
    if service_number and db.session.scalar(
        db.select(User.id).where(User.force_id == provider.force_id, User.service_number == service_number)
    ):
        service_number = None  # held by another account of the force: left for an admin to sort out
    try:
        user = user_services.create_user(
            actor=None,
            email=email,
            name=identity.name or email,
            role=identity.role or Role.OFFICER.value,  # least privilege when the groups overflowed
            force=provider.force,
            service_number=service_number,
        )
    except user_services.UserError as exc:
        raise SsoError(_("Sign-in refused: %(reason)s", reason=exc.message), 400) from exc
    bound = UserIdentity(
        user_id=user.id,
        force_id=provider.force_id,
        tenant_id=identity.tenant_id,
        object_id=identity.object_id,
        linked_at=utcnow(),
    )
    db.session.add(bound)
    db.session.flush()
    audit.record("user.sso_created", actor=user, target=user, tenant_id=identity.tenant_id)
    return user, bound


def _apply_claims(user: User, provider: ForceIdentityProvider, identity: oidc.ProviderIdentity) -> None:
    """Keep name, role and team as the provider says (role only when the force maps roles)."""
    mapping = oidc.ClaimMapping.from_dict(provider.claim_mapping)
    changes = {}
    if identity.name and identity.name != user.name:
        changes["name"] = [user.name, identity.name]
        user.name = identity.name
    known = identity.role is not None
    if mapping.roles and known and identity.role != user.role and user.role in FORCE_ROLES:
        from app.auth.session_services import end_all_sessions

        changes["role"] = [user.role, identity.role]
        user.role = identity.role
        end_all_sessions(user)  # as an admin's role change does: no session keeps the old role
    if identity.team:
        team = db.session.scalar(
            db.select(Team).where(Team.force_id == provider.force_id, Team.name == identity.team)
        )
        if team is not None and team.id != user.team_id:
            changes["team"] = [user.team_id, team.id]
            user.team, user.team_joined_at = team, utcnow()
    if changes:
        audit.record("user.sso_update", actor=user, target=user, **changes)


def platform_factor_needed(user: User, provider: ForceIdentityProvider) -> bool:
    """Whether the platform's own second factor still applies after a provider sign-in."""
    required = current_app.config.get("MFA_REQUIRED_ROLES", ())
    return user.role in required and not provider.mfa_enforced


def local_password_refused(user: User) -> str | None:
    """A message when the user's force is SSO-only (local passwords off), else None."""
    provider = provider_for(user.force_id)
    if provider is not None and provider.enabled and provider.sso_only:
        return _(
            "%(name)s signs in through its own account service. Use \u201cSign in with %(name)s\u201d below.",
            name=provider.force.name,
        )
    return None
