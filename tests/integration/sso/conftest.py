"""Fixtures for single sign-on: a real OpenID Connect provider on a local port, and two forces
registered with two of its tenants."""

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests

from app.auth import oidc, sso_services
from tests.factories import ForceFactory, UserFactory
from tests.oidc_provider import OidcProvider

REDIRECT_URI = "http://localhost/sign-in/sso/callback"  # PUBLIC_BASE_URL of TestingConfig


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider, started once for the session."""
    provider = OidcProvider().start()
    yield provider
    provider.stop()


@dataclass
class SsoForce:
    """A force registered with one tenant of the provider."""

    force: object
    tenant_id: str
    client_id: str
    secret: str


@pytest.fixture
def register(oidc_provider, database):
    """Make a force with its own tenant, registered as an admin would (through the service)."""
    admin = UserFactory(role="admin", force=None)

    def _register(code: str, **flags) -> SsoForce:
        tenant_id = str(uuid.uuid4())
        client_id, secret = str(uuid.uuid4()), f"secret-{uuid.uuid4().hex}"
        oidc_provider.add_tenant(
            tenant_id, client_id=client_id, client_secret=secret, redirect_uri=REDIRECT_URI
        )
        force = ForceFactory(code=code, name=f"{code.title()} Police")
        mapping = flags.pop("mapping", oidc.ClaimMapping(roles={"Training.Lead": "training_lead"}))
        settings = {"enabled": True, "sso_only": False, "mfa_enforced": True, "allow_new_accounts": False}
        settings.update(flags)
        sso_services.save_provider(
            force,
            actor=admin,
            tenant_id=tenant_id,
            issuer=oidc_provider.issuer(tenant_id),
            client_id=client_id,
            secret=secret,
            mapping=mapping,
            **settings,
        )
        database.session.commit()
        return SsoForce(force, tenant_id, client_id, secret)

    yield _register
    oidc_provider.reset()


@pytest.fixture
def sso_sign_in(client, oidc_provider):
    """Sign in through the provider as a browser would; return the app's answer to the callback.

    `tamper(url)` may change the callback URL before the browser follows it.
    """

    def _sign_in(force_code: str, login: str, tamper=None, next_url=None):
        start = client.get(f"/sign-in/sso/{force_code}" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302, start.data
        back = requests.get(
            start.headers["Location"] + "&login_hint=" + login, allow_redirects=False, timeout=10
        )
        assert back.status_code == 302, back.text
        url = back.headers["Location"]
        if tamper is not None:
            url = tamper(url)
        parts = urlsplit(url)
        response = client.get(parts.path + "?" + parts.query)
        response.callback_url = url
        return response

    return _sign_in
