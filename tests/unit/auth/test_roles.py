"""The access rules in one place: deny by default, privacy by role."""

import pytest

from app.roles import Role, may_access, may_manage_force, may_see_officer


def test_view_without_declaration_admits_nobody():
    assert not may_access("admin", None)


def test_public_view_admits_anonymous():
    assert may_access(None, frozenset({"public"}))


@pytest.mark.parametrize(
    ("role", "expected"),
    [("officer", True), ("training_lead", False), ("commissioner", False), ("admin", False), (None, False)],
)
def test_role_list_is_exact(role, expected):
    assert may_access(role, frozenset({Role.OFFICER})) is expected


def test_lead_sees_only_own_force_officers():
    assert may_see_officer("training_lead", 1, 10, officer_force_id=1, officer_id=20)
    assert not may_see_officer("training_lead", 1, 10, officer_force_id=2, officer_id=21)


def test_lead_without_force_sees_no_one():
    assert not may_see_officer("training_lead", None, 10, officer_force_id=None, officer_id=20)


def test_commissioner_never_sees_a_named_officer():
    assert not may_see_officer("commissioner", None, 1, officer_force_id=1, officer_id=2)


def test_officer_sees_only_self():
    assert may_see_officer("officer", 1, 5, officer_force_id=1, officer_id=5)
    assert not may_see_officer("officer", 1, 5, officer_force_id=1, officer_id=6)


def test_admin_sees_and_manages_everyone():
    assert may_see_officer("admin", None, 1, officer_force_id=9, officer_id=2)
    assert may_manage_force("admin", None, 9)


def test_only_own_force_is_managed_by_a_lead():
    assert may_manage_force("training_lead", 3, 3)
    assert not may_manage_force("training_lead", 3, 4)
    assert not may_manage_force("officer", 3, 3)
    assert not may_manage_force("commissioner", None, 3)
