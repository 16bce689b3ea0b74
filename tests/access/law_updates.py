"""Routes of law updates: an officer's own update (404 for anyone else's) and the lead's force page."""

from app.extensions import db
from tests.access.rules import LEAD, OFFICER, Route

HOLDERS = frozenset({OFFICER, LEAD})

ROUTES = [
    # The update belongs to the home officer: the lead (also allowed to hold updates) gets 404.
    Route("law_updates.show", "/updates/{law_update_id}", HOLDERS, ok=(200, 404)),
    # No answers: the officer scores 0 and sees the feedback (200); nothing is completed.
    Route("law_updates.submit", "/updates/{law_update_id}/submit", HOLDERS, method="POST", ok=(200, 404)),
    Route("law_updates.force_list", "/force/law-updates", frozenset({LEAD})),
]


def build(world: dict) -> None:
    """A law change on a module version and an update owed by the home officer's certificate."""
    from app.clock import today, utcnow
    from app.law_updates.models import LawChange, LawUpdate
    from tests.factories import ModuleVersionFactory

    version = ModuleVersionFactory(number=2)
    change = LawChange(
        module_id=version.module_id,
        module_version_id=version.id,
        version_number=2,
        summary="Access matrix law change",
        sections=[],
        question_keys=[],
        created_at=utcnow(),
    )
    db.session.add(change)
    db.session.flush()
    update = LawUpdate(
        law_change_id=change.id,
        certificate_id=world["certificate_id"],
        user_id=world["officer_id"],
        due_on=today(),
    )
    db.session.add(update)
    db.session.flush()
    world["law_update_id"] = update.id
