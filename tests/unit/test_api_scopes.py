"""API scopes: what a client may ask for and what an admin may grant (pure)."""

import pytest

from app.api.scopes import check_scopes, parse


def test_no_requested_scope_gives_all_the_client_holds():
    assert parse("", "completions:read certificates:read") == "certificates:read completions:read"


def test_a_subset_is_granted():
    assert parse("completions:read", "completions:read certificates:read") == "completions:read"


@pytest.mark.parametrize("requested", ["certificates:read", "admin:write", "completions:read admin:write"])
def test_unheld_or_unknown_scopes_are_refused(requested):
    with pytest.raises(ValueError, match="invalid scope"):
        parse(requested, "completions:read")


def test_admin_grants_known_scopes_only():
    assert check_scopes(" completions:read  certificates:read ") == "certificates:read completions:read"
    for bad in ("", "metrics:read", "completions:read national:read"):
        with pytest.raises(ValueError, match="Choose at least one"):
            check_scopes(bad)


def test_the_module_needs_no_flask():
    import subprocess
    import sys

    code = "import sys, app.api.scopes; assert 'flask' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
