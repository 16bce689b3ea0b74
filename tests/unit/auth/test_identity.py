"""One normalisation and one set of checks for email addresses and service numbers."""

import subprocess
import sys

import pytest

from app.auth.identity import IdentityError, check_email, clean_service_number, normalise_email


def test_normalise_folds_compatibility_forms_and_case():
    # Fullwidth letters and the '＠' sign are NFKC-equivalent to plain ASCII.
    assert normalise_email("  Ａnn.Lee＠Police.UK ") == "ann.lee@police.uk"


def test_check_email_returns_the_stored_form():
    assert check_email(" Ann.Lee@Police.UK") == "ann.lee@police.uk"


@pytest.mark.parametrize(
    "address",
    [
        "\u0430nn@police.uk",  # Cyrillic small a
        "ann@p\u043elice.uk",  # Cyrillic small o in the domain
        "\u0131an@police.uk",  # Latin dotless i: a look-alike within Latin
        "zo\u00eb@police.uk",  # any non-ASCII letter: the rule is plain ASCII after NFKC
    ],
)
def test_look_alike_characters_are_refused(address):
    with pytest.raises(IdentityError, match="plain Latin letters"):
        check_email(address)


@pytest.mark.parametrize("address", ["", "not-an-email", "a@b", "two@@police.uk"])
def test_invalid_addresses_are_refused(address):
    with pytest.raises(IdentityError):
        check_email(address)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("\tSN123 ", "SN123"), ("  ", None), (None, None), ("WY 1001", "WY 1001")],
)
def test_service_number_loses_surrounding_white_space(raw, clean):
    assert clean_service_number(raw) == clean


@pytest.mark.parametrize(
    "raw",
    ["SN\t123", "SN\x00123", "SN\x1b[31m", "SN\u200b123", "SN\u202e321", "SN\x7f"],
)
def test_service_number_with_control_or_invisible_characters_is_refused(raw):
    with pytest.raises(IdentityError, match="control or invisible characters"):
        clean_service_number(raw)


def test_service_number_longer_than_the_column_is_refused():
    assert clean_service_number("9" * 40) == "9" * 40
    with pytest.raises(IdentityError, match="longer than 40"):
        clean_service_number("9" * 41)


def test_identity_workforce_and_importer_import_without_flask_or_sqlalchemy():
    code = (
        "import sys; import app.auth.identity, app.auth.workforce, app.auth.importer\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
