"""A module's version hash: which bytes of its files count.

The glossary is not in it: the links a version's lessons get are made when that version is built
and stored with it, so adding a glossary term moves nobody mid-course (the term is linked in a
module's lessons from its next version on)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# Translation folders inside a module folder (app.content.translations.TRANSLATION_LANGUAGES).
TRANSLATION_FOLDERS = ("cy",)
LESSON_FILE = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
# Lesson front matter an officer never sees: changing it makes no new module version.
REVIEW_KEYS = ("reviewed_on", "sources")
# module.md front matter outside the course: the pocket card is a job aid, read from the folder
# as it is now, so correcting it makes no new module version either.
JOB_AID_KEYS = ("pocket_card",)
_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:")
_TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".txt", ".svg"}


def reader_bytes(data: bytes, keys: tuple[str, ...] = REVIEW_KEYS) -> bytes:
    """A file without the top-level front-matter `keys` and their values (a lesson's review-only
    REVIEW_KEYS by default; module.md's JOB_AID_KEYS).

    What is left is byte for byte the file as it was before those keys were added, so adding or
    updating a review date, a source or a pocket card leaves the module's hash, and so its
    version, unchanged.
    """
    rows = data.split(b"\n")
    if not rows or rows[0].rstrip() != b"---":
        return data
    end = next((i for i in range(1, len(rows)) if rows[i].rstrip() in (b"---", b"...")), None)
    if end is None:
        return data
    kept, dropping = [], False
    for row in rows[1:end]:
        match = _TOP_KEY.match(row.decode("utf-8", "replace"))
        if match is not None:
            dropping = match.group(1) in keys
        if not dropping:
            kept.append(row)
    return b"\n".join([rows[0], *kept, *rows[end:]])


def module_hash(folder: Path) -> str:
    """Return a SHA-256 over a module's files (names and bytes, sorted), stable across machines.

    Lesson files are hashed without their review-only front matter and module.md without its
    pocket card (see reader_bytes).
    """
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        # A translation (cy/) is not the module: translating it moves nobody to a new version.
        and p.relative_to(folder).parts[0] not in TRANSLATION_FOLDERS
    )
    for file in sorted(files, key=lambda p: p.relative_to(folder).as_posix()):
        data = file.read_bytes()
        if file.suffix.lower() in _TEXT_SUFFIXES:
            data = data.replace(b"\r\n", b"\n")
        if file.parent == folder and LESSON_FILE.match(file.name):
            data = reader_bytes(data)
        elif file.parent == folder and file.name == "module.md":
            data = reader_bytes(data, JOB_AID_KEYS)
        name = file.relative_to(folder).as_posix().encode()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()
