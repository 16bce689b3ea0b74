"""Workforce types: one list of values and labels, parsed from keys or labels in any case."""

import pytest

from app.auth.workforce import WorkforceType, default_for_role, parse_workforce_type, workforce_choices


def test_the_four_stored_values_and_their_labels():
    assert workforce_choices() == [
        ("police_officer", "Police officer"),
        ("special_constable", "Special constable"),
        ("pcso", "PCSO"),
        ("police_staff", "Police staff"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("police_officer", WorkforceType.POLICE_OFFICER),
        ("Special constable", WorkforceType.SPECIAL_CONSTABLE),
        ("  SPECIAL   CONSTABLE ", WorkforceType.SPECIAL_CONSTABLE),
        ("pcso", WorkforceType.PCSO),
        ("PCSO", WorkforceType.PCSO),
        ("Police_Staff", WorkforceType.POLICE_STAFF),
        ("police staff", WorkforceType.POLICE_STAFF),
    ],
)
def test_keys_and_labels_are_accepted_in_any_case(text, expected):
    assert parse_workforce_type(text) is expected


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_means_a_police_officer(blank):
    assert parse_workforce_type(blank) is WorkforceType.POLICE_OFFICER


@pytest.mark.parametrize("bad", ["constable", "police", "staff", "pcso2", "special-constable"])
def test_anything_else_is_refused_naming_the_allowed_values(bad):
    with pytest.raises(ValueError, match=r"unknown workforce type .*police_officer, special_constable"):
        parse_workforce_type(bad)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", WorkforceType.POLICE_OFFICER),
        ("training_lead", WorkforceType.POLICE_STAFF),
        ("commissioner", WorkforceType.POLICE_STAFF),
        ("admin", WorkforceType.POLICE_STAFF),
    ],
)
def test_without_a_type_officers_are_police_officers_and_other_roles_staff(role, expected):
    assert default_for_role(role) is expected
