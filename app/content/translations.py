"""A module's translations (content/modules/<slug>/cy/): read them, check them against the English.

A translation folder holds the module's files under the same names: module.md, the lesson files,
quiz.md. Each starts with front matter naming the English it was made from:

    ---
    translation: machine-drafted    # until a speaker has checked it (then: checked by <name>)
    source_hash: 3f1c9a0b2d4e5f60   # translation_hash() of the English file when translated
    title: ...
    ---

`check_translation` reports, as `path:line: message`:
- errors: a translation that does not match its English in shape (a lesson missing or extra, a
  different number of `##` sections, a question missing or extra, a question with another number
  of options or other right answers, objectives of another number);
- warnings: a file whose English has changed since it was translated (its source_hash differs),
  named so that a translator knows which lessons to bring up to date.

Pure: no Flask, no database (docs/welsh.md).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from app.content.errors import ContentError, Problem
from app.content.frontmatter import Fields, read_text, split_front_matter
from app.content.hashing import LESSON_FILE, TRANSLATION_FOLDERS
from app.content.quiz_parser import QuestionSource, parse_quiz
from app.formatting import N_
from app.messages import Message

# Languages a module may be translated into: the folder name is the language code.
TRANSLATION_LANGUAGES = TRANSLATION_FOLDERS
_SECTION = re.compile(r"^## +\S", re.M)


def translation_hash(data: bytes) -> str:
    """The short hash of an English file a translation records as its source_hash."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()[:16]


@dataclass(frozen=True)
class TranslatedFile:
    """One translated file: its name, front matter, body and the English hash it was made from."""

    name: str
    shown: str
    meta: dict
    body: str
    source_hash: str


@dataclass(frozen=True)
class ModuleTranslation:
    """A module's translation into `language`, as read from its folder."""

    language: str
    module: TranslatedFile | None
    lessons: tuple[TranslatedFile, ...]
    quiz: TranslatedFile | None
    questions: tuple[QuestionSource, ...]


def _read(path: Path, shown: str, problems: list[Problem]) -> TranslatedFile | None:
    try:
        doc = split_front_matter(read_text(path, shown), shown)
    except ContentError as exc:
        problems.append(exc.to_problem())
        return None
    source = str(doc.meta.get("source_hash") or "")
    if not re.fullmatch(r"[0-9a-f]{16}", source):
        problems.append(
            Problem(
                shown,
                1,
                Message(
                    N_("a translated file needs 'source_hash:' (the English file's hash, 16 hex digits)")
                ),
            )
        )
    return TranslatedFile(path.name, shown, dict(doc.meta), doc.body, source)


def read_translation(folder: Path, language: str, shown_folder: str, problems: list[Problem]):
    """The module folder's translation into `language`, or None if it has none."""
    root = folder / language
    if not root.is_dir():
        return None
    module = None
    if (root / "module.md").is_file():
        module = _read(root / "module.md", f"{shown_folder}/{language}/module.md", problems)
    lessons = []
    for path in sorted(root.glob("*.md")):
        if LESSON_FILE.match(path.name):
            found = _read(path, f"{shown_folder}/{language}/{path.name}", problems)
            if found is not None:
                lessons.append(found)
    quiz, questions = None, ()
    if (root / "quiz.md").is_file():
        shown = f"{shown_folder}/{language}/quiz.md"
        quiz = _read(root / "quiz.md", shown, problems)
        if quiz is not None:
            try:
                questions = parse_quiz(quiz.body, shown, problems)
            except ContentError as exc:
                problems.append(exc.to_problem())
    return ModuleTranslation(language, module, tuple(lessons), quiz, questions)


def out_of_date(folder: Path, translation: ModuleTranslation) -> list[str]:
    """The names of the translated files whose English has changed since they were translated."""
    files = [f for f in (translation.module, *translation.lessons, translation.quiz) if f is not None]
    return [
        f.name
        for f in files
        if (folder / f.name).is_file() and f.source_hash != translation_hash((folder / f.name).read_bytes())
    ]


MACHINE_DRAFTED = "machine-drafted"


def machine_drafted(translation: ModuleTranslation) -> bool:
    """Whether any of its files says `translation: machine-drafted` (not yet checked by a speaker)."""
    files = [f for f in (translation.module, *translation.lessons, translation.quiz) if f is not None]
    return any(str(f.meta.get("translation") or "") == MACHINE_DRAFTED for f in files)


def _sections(markdown: str) -> int:
    return len(_SECTION.findall(markdown))


def check_translation(
    folder: Path, english, translation: ModuleTranslation, shown_folder: str
) -> list[Problem]:
    """Shape errors and out-of-date warnings of one translation against its English module."""
    problems: list[Problem] = []
    language = translation.language
    where = f"{shown_folder}/{language}"

    def stale(file: TranslatedFile, english_path: Path) -> None:
        current = translation_hash(english_path.read_bytes())
        if file.source_hash and file.source_hash != current:
            problems.append(
                Problem(
                    file.shown,
                    1,
                    Message(
                        N_(
                            "out of date: %(file)s has changed since it was translated "
                            "(source_hash %(source_hash)s, the English is now %(current)s)"
                        ),
                        file=english_path.name,
                        source_hash=file.source_hash,
                        current=current,
                    ),
                    "warning",
                )
            )

    if translation.module is None:
        message = Message(N_("the translation has no %(file)s"), file="module.md")
        problems.append(Problem(f"{where}/module.md", 1, message))
    else:
        stale(translation.module, folder / "module.md")
        theirs = translation.module.meta.get("objectives") or []
        if len(theirs) != len(english.objectives):
            problems.append(
                Problem(
                    translation.module.shown,
                    1,
                    Message(
                        N_("%(mine)s objectives, the English has %(theirs)s"),
                        mine=len(theirs),
                        theirs=len(english.objectives),
                    ),
                )
            )
        if not translation.module.meta.get("title"):
            message = Message(N_("the translation needs a 'title'"))
            problems.append(Problem(translation.module.shown, 1, message))
        problems.extend(_check_card(translation.module, english.pocket_card))

    by_name = {lesson.name: lesson for lesson in translation.lessons}
    for lesson in english.lessons:
        translated = by_name.pop(lesson.filename, None)
        if translated is None:
            problems.append(Problem(f"{where}/{lesson.filename}", 1, Message(N_("lesson not translated"))))
            continue
        stale(translated, folder / lesson.filename)
        if not translated.meta.get("title"):
            problems.append(Problem(translated.shown, 1, Message(N_("the translation needs a 'title'"))))
        mine, theirs = _sections(translated.body), _sections(lesson.markdown)
        if mine != theirs:
            message = Message(
                N_("%(mine)s '##' sections, the English has %(theirs)s"), mine=mine, theirs=theirs
            )
            problems.append(Problem(translated.shown, 1, message))
        if bool(translated.meta.get("content_warning")) != bool(lesson.content_warning):
            problems.append(
                Problem(
                    translated.shown,
                    1,
                    Message(N_("a content warning must be translated exactly when the English has one")),
                )
            )
    for extra in by_name.values():
        problems.append(Problem(extra.shown, 1, Message(N_("no English lesson has this name"))))

    if english.questions and translation.quiz is None:
        problems.append(Problem(f"{where}/quiz.md", 1, Message(N_("the quiz is not translated"))))
    elif translation.quiz is not None:
        stale(translation.quiz, folder / "quiz.md")
        problems.extend(_check_questions(english.questions, translation.questions, translation.quiz.shown))
    return problems


def _check_card(module: TranslatedFile, english) -> list[Problem]:
    """A translated pocket card (module.md's `pocket_card:`): the English's shape, within the
    card's size limits. None is fine: the English card is printed."""
    from app.content.pocket_card import KEY, read_pocket_card, same_shape

    if KEY not in module.meta:
        return []
    problems: list[Problem] = []
    card = read_pocket_card(Fields(module.shown, module.meta, {}, problems))
    if english is None:
        problems.append(
            Problem(
                module.shown, 1, Message(N_("a pocket card is translated but the English module has none"))
            )
        )
    elif card is not None and not same_shape(card, english):
        mine = [len(s.points) for s in card.sections]
        theirs = [len(s.points) for s in english.sections]
        message = Message(
            N_("the pocket card has %(mine)s points by section, the English has %(theirs)s"),
            mine=str(mine),
            theirs=str(theirs),
        )
        problems.append(Problem(module.shown, 1, message))
    return problems


def _check_questions(english, translated, shown: str) -> list[Problem]:
    problems = []
    theirs = {q.key: q for q in translated}
    for question in english:
        mine = theirs.pop(question.key, None)
        if mine is None:
            message = Message(N_("question '%(key)s' is not translated"), key=question.key)
            problems.append(Problem(shown, 1, message))
            continue
        if mine.type != question.type:
            problems.append(
                Problem(
                    shown,
                    mine.line,
                    Message(
                        N_("question '%(key)s': type %(type)s, the English is %(english_type)s"),
                        key=question.key,
                        type=mine.type,
                        english_type=question.type,
                    ),
                )
            )
        right = [o.correct for o in question.options]
        if [o.correct for o in mine.options] != right:
            problems.append(
                Problem(
                    shown,
                    mine.line,
                    Message(
                        N_(
                            "question '%(key)s': %(mine)s options with other right answers than "
                            "the English (%(theirs)s options); keep the same options in the same order"
                        ),
                        key=question.key,
                        mine=len(mine.options),
                        theirs=len(right),
                    ),
                )
            )
    for extra in theirs.values():
        message = Message(N_("question '%(key)s' is not in the English quiz"), key=extra.key)
        problems.append(Problem(shown, extra.line, message))
    return problems
