"""Workforce types: who a user is in the police workforce, apart from their role here (pure).

The headline adoption measure counts police officers only; special constables, PCSOs and police
staff are shown separately. A role says what someone may do on the platform; the workforce type
says what they are in their force (a training lead is usually police staff).
"""

from enum import StrEnum

from app.formatting import N_
from app.messages import Message


class WorkforceType(StrEnum):
    """The four workforce types; the values are stored in users.workforce_type."""

    POLICE_OFFICER = "police_officer"
    SPECIAL_CONSTABLE = "special_constable"
    PCSO = "pcso"
    POLICE_STAFF = "police_staff"

    @property
    def label(self) -> str:
        """Human label for the workforce type."""
        return WORKFORCE_LABELS[self]


WORKFORCE_LABELS = {
    WorkforceType.POLICE_OFFICER: N_("Police officer"),
    WorkforceType.SPECIAL_CONSTABLE: N_("Special constable"),
    WorkforceType.PCSO: N_("PCSO"),
    WorkforceType.POLICE_STAFF: N_("Police staff"),
}

DEFAULT = WorkforceType.POLICE_OFFICER


def workforce_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for select fields, in the order above."""
    return [(kind.value, label) for kind, label in WORKFORCE_LABELS.items()]


def default_for_role(role: str) -> WorkforceType:
    """The workforce type assumed when none is given: officers are police officers, every other
    role (training lead, commissioner, admin) police staff; migration 0009 backfilled the same way."""
    return WorkforceType.POLICE_OFFICER if role == "officer" else WorkforceType.POLICE_STAFF


def parse_workforce_type(value: str | None) -> WorkforceType:
    """A value key or label, in any case; blank means a police officer. Raises ValueError."""
    text = " ".join((value or "").split()).lower()
    if not text:
        return DEFAULT
    for kind, label in WORKFORCE_LABELS.items():
        if text in (kind.value, label.lower()):
            return kind
    allowed = ", ".join(kind.value for kind in WorkforceType)
    raise ValueError(
        Message(
            N_("unknown workforce type %(value)s: use one of %(allowed)s (or leave it blank)."),
            value=repr(value.strip()),
            allowed=allowed,
        )
    )
