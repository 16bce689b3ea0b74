"""Topic names: content/topics.yml gives each quiz tag a plain-English name for the knowledge
gaps ("s45-adults" reads "Statutory defence for adults (s.45)"). Read with file and line for
`flask content check`, which also reports a tag used by a question and not named here; read as it
is now by the pages (a renamed topic needs no sync)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from app.content.errors import Problem
from app.content.frontmatter import read_yaml_file
from app.formatting import N_
from app.messages import Message

FILENAME = "topics.yml"
MAX_NAME = 80


def read_topics(path: Path, shown: str, problems: list[Problem]) -> dict[str, str] | None:
    """The tag -> name map of topics.yml, appending every problem; None if there is no file."""
    read = read_yaml_file(path, shown, problems)
    if read is None:
        return None
    data, lines = read
    if not (isinstance(data, dict) and set(data) == {"topics"} and isinstance(data["topics"], dict)):
        problems.append(
            Problem(shown, 1, Message(N_("topics.yml must map each tag to its name under 'topics:'")))
        )
        return None
    names = {}
    for tag, name in data["topics"].items():
        line = lines.get(("topics", tag), 1)
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            message = Message(
                N_("topic %(tag)s needs a name of 1 to %(max)s characters"), tag=repr(tag), max=MAX_NAME
            )
            problems.append(Problem(shown, line, message))
            continue
        names[str(tag)] = name.strip()
    return names


def unnamed_tags(names: dict[str, str], modules) -> list[Problem]:
    """A warning for each question tag with no name (at the question's line in its quiz.md): the
    pages fall back to the tag, so it never stops a sync."""
    problems = []
    for module in modules:
        for question in module.questions:
            for tag in question.tags:
                if tag not in names:
                    shown = f"modules/{module.slug}/quiz.md"
                    message = Message(
                        N_("tag %(tag)s has no name in %(file)s: the dashboards show the tag itself"),
                        tag=repr(tag),
                        file=FILENAME,
                    )
                    problems.append(Problem(shown, question.line, message, "warning"))
    return problems


@lru_cache(maxsize=4)
def _names_at(path: str, _modified: float) -> dict[str, str]:
    problems: list[Problem] = []
    return read_topics(Path(path), path, problems) or {}


def topic_names(content_dir: Path) -> dict[str, str]:
    """The tag -> name map of the content folder's topics.yml as it is now (empty if none; shared
    between callers, so not to be changed)."""
    path = os.path.join(content_dir, FILENAME)
    try:
        modified = os.stat(path).st_mtime
    except OSError:
        return {}
    return _names_at(path, modified)


def topic_name(tag: str, content_dir: Path) -> str:
    """The tag's name from the content folder's topics.yml as it is now; the tag itself if none."""
    return topic_names(content_dir).get(tag, tag)
