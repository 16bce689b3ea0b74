"""Routes of the content feature: the admin content page (check, sync), lesson images, the glossary
and pocket cards."""

from tests.access.rules import ADMIN, LEAD, OFFICER, Route

ADMINS = frozenset({ADMIN})
READERS = frozenset({OFFICER, LEAD, ADMIN})

ROUTES = [
    Route("content.admin_content", "/admin/content", ADMINS),
    Route("content.admin_check", "/admin/content/check", ADMINS),
    # Syncs the real content folder inside the test's transaction: 302 with a summary.
    Route("content.admin_sync", "/admin/content/sync", ADMINS, method="POST", ok=(302, 400)),
    # Images are files in the content folder; the matrix checks access (the file is absent: 404).
    Route("content.asset", "/content-assets/{asset_module_slug}/1/images/absent.png", READERS, ok=(404,)),
    # Job aids read the content folder as it is now: the real glossary and a real module's card.
    Route("content.glossary", "/glossary", READERS),
    Route("content.pocket_card", "/modules/{card_module_slug}/pocket-card.pdf", READERS),
]


def build(world: dict) -> None:
    """A published module with a version 1 for the image URL; a published module whose folder in
    content/modules has a pocket card."""
    from tests.factories import ModuleFactory, ModuleVersionFactory

    world["asset_module_slug"] = ModuleVersionFactory(number=1).module.slug
    world["card_module_slug"] = ModuleFactory(slug="victim-centred-interviewing").slug
