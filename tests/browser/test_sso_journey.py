"""Journey: an administrator registers West Yorkshire's identity provider (a real OpenID Connect
provider started by the test, on a local port) and invites an officer; the officer signs in with
"Sign in with West Yorkshire Police"; a token from another tenant is refused with a clear page."""

import re
import uuid

import pytest

from tests.browser.conftest import DEMO_PASSWORD, run_app
from tests.oidc_provider import OidcProvider

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(server):
    started = OidcProvider().start()
    yield started
    started.stop()


def test_officer_signs_in_with_the_forces_provider(journey, server, provider):
    j = journey
    tenant, other = str(uuid.uuid4()), str(uuid.uuid4())
    client_id, secret = str(uuid.uuid4()), "browser-secret-" + uuid.uuid4().hex
    for tid in (tenant, other):
        provider.add_tenant(
            tid,
            client_id=client_id,
            client_secret=secret,
            redirect_uri=server["base"] + "/sign-in/sso/callback",
        )
    provider.add_user(tenant, "sam", email="officer@demo.police.uk", name="Sam Taylor")

    j.sign_in("admin@demo.police.uk", DEMO_PASSWORD)
    j.goto("/admin/forces/west-yorkshire/sign-in")
    j.page.fill("#tenant_id", tenant)
    j.page.fill("#issuer", provider.issuer(tenant))
    j.page.fill("#client_id", client_id)
    j.page.fill("#client_secret", secret)
    j.page.fill("#role_map", "Training.Lead = training_lead")
    j.page.check("#mfa_enforced")
    j.click("text=Save sign-in settings")
    assert "Sign-in settings for West Yorkshire Police saved" in j.page.content()

    officer_id = run_app(
        server,
        "from app.auth.models import User\n"
        "print(db.session.scalar(db.select(User.id).where(User.email == 'officer@demo.police.uk')))",
    ).strip()
    j.goto(f"/admin/users/{officer_id}")
    j.click(j.page.get_by_role("button", name="Invite to single sign-on"))
    assert "can now link their account" in j.page.content()
    j.sign_out()

    j.goto("/sign-in")
    j.page.get_by_role("link", name=re.compile("Sign in with West Yorkshire Police")).click()
    j.page.wait_for_load_state()
    assert j.page.title() == "Test provider: sign in"  # on the provider's own page now
    j.page.fill("#login_hint", "sam")
    j.page.click("text=Sign in")
    j.page.wait_for_load_state()
    j.check()
    assert j.page.url.startswith(server["base"])
    assert "Sign out" in j.page.content()
    j.sign_out()

    # A token naming another tenant (same keys, as in Entra ID) is refused.
    provider.overrides = {"tid": other, "iss": provider.issuer(other)}
    j.goto("/sign-in")
    j.page.get_by_role("link", name=re.compile("Sign in with West Yorkshire Police")).click()
    j.page.fill("#login_hint", "sam")
    j.page.click("text=Sign in")
    j.page.wait_for_load_state()
    j.check()
    assert j.page.title().startswith("Sign-in refused")
    assert "another tenant" in j.page.content()
