"""Roles and what each may see: the one place the access rules are written down (pure)."""

from enum import StrEnum

from app.formatting import N_


class Role(StrEnum):
    """The four roles of the platform."""

    OFFICER = "officer"
    TRAINING_LEAD = "training_lead"
    COMMISSIONER = "commissioner"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Human label for the role."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OFFICER: N_("Officer"),
    Role.TRAINING_LEAD: N_("Training lead"),
    Role.COMMISSIONER: N_("Commissioner"),
    Role.ADMIN: N_("Administrator"),
}

ALL_ROLES = frozenset(Role)
# Roles that belong to a force; commissioners and admins may have none.
FORCE_ROLES = frozenset({Role.OFFICER, Role.TRAINING_LEAD})


def may_access(role: str | None, allowed: frozenset[str] | None) -> bool:
    """Deny by default: a view with no declared access admits nobody."""
    if allowed is None:
        return False
    if "public" in allowed:
        return True
    return role is not None and role in allowed


def may_see_officer(
    viewer_role: str,
    viewer_force_id: int | None,
    viewer_id: int,
    officer_force_id: int | None,
    officer_id: int,
) -> bool:
    """Whether a viewer may see a named officer's record (privacy by design)."""
    if viewer_role == Role.ADMIN:
        return True
    if viewer_role == Role.TRAINING_LEAD:
        return viewer_force_id is not None and viewer_force_id == officer_force_id
    if viewer_role == Role.OFFICER:
        return viewer_id == officer_id
    return False  # the commissioner sees aggregates only


def may_manage_force(viewer_role: str, viewer_force_id: int | None, force_id: int | None) -> bool:
    """Whether a viewer may act on a force's officers, teams and assignments."""
    if viewer_role == Role.ADMIN:
        return True
    return viewer_role == Role.TRAINING_LEAD and viewer_force_id is not None and viewer_force_id == force_id
