"""Every synced question's plain text and tags, for the knowledge gaps, kept between requests.

A module version is immutable once synced (app.content.services writes a new version for changed
content; app.courses.queries caches rendered lessons on the same grounds), so the questions of a
given set of versions never change. The catalogue is read and its HTML stripped once per set of
versions (their ids, content hashes and creation times, as app.metrics.reference reads them with
the modules) instead of on every dashboard view: stripping 110 questions' scenarios cost about
3 ms of the lead's page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from markupsafe import Markup
from sqlalchemy import select

from app.content.models import ModuleVersion, Question
from app.extensions import db
from app.metrics import reference

TEXT_LENGTH = 160
_KEPT = 4
_catalogues: OrderedDict[tuple, tuple[dict, dict]] = OrderedDict()
_lock = threading.Lock()

Info = tuple[str, tuple[str, ...]]


def clear() -> None:
    """Forget the kept catalogues (tests; a sync needs no clearing: the key changes)."""
    with _lock:
        _catalogues.clear()


def plain_text(scenario_html: str | None) -> str:
    """A question's scenario without markup, cut to TEXT_LENGTH characters."""
    text = Markup(scenario_html or "").striptags()
    if len(text) > TEXT_LENGTH:
        text = text[: TEXT_LENGTH - 3].rstrip() + "..."
    return text


def question_info(answered: set[tuple[int, str]]) -> dict[tuple[int, str], Info]:
    """(module id, question key) -> (plain text, tags) for each answered pair, from the latest
    version holding the key: the module's own, or, for a key answered in a module that draws it
    from another module's bank (the refresher), that module's, so refresher answers count under
    the original questions' tags."""
    if not answered:
        return {}
    own, by_key = _catalogue()
    return {pair: own.get(pair) or by_key[pair[1]] for pair in answered if pair in own or pair[1] in by_key}


def _catalogue() -> tuple[dict, dict]:
    key = reference.modules().versions
    with _lock:
        kept = _catalogues.get(key)
        if kept is not None:
            _catalogues.move_to_end(key)
            return kept
    kept = _read([row[0] for row in key])
    with _lock:
        _catalogues[key] = kept
        while len(_catalogues) > _KEPT:
            _catalogues.popitem(last=False)
    return kept


def _read(version_ids: list[int]) -> tuple[dict, dict]:
    """(own, by key): (module id, key) -> info, and key -> info from the latest version (by module
    id, then version number) holding it."""
    rows = db.session.execute(
        select(ModuleVersion.module_id, Question.key, Question.scenario_html, Question.tags)
        .join(Question, Question.module_version_id == ModuleVersion.id)
        .where(ModuleVersion.id.in_(version_ids))
        .order_by(ModuleVersion.module_id, ModuleVersion.number)
    )
    own, by_key = {}, {}
    for row in rows:
        info = (plain_text(row.scenario_html), tuple(row.tags or ()))
        by_key[row.key] = own[(row.module_id, row.key)] = info
    return own, by_key
