"""Check a whole content tree and report every problem as `path:line: message`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.content.entry_translations import (
    COURSES,
    GLOSSARY,
    check_entries,
    course_english,
    glossary_english,
    read_entries,
    translation_path,
)
from app.content.errors import ContentError, ContentInvalid, Problem
from app.content.frontmatter import read_text, split_front_matter
from app.content.glossary import LESSON_LINK, relative_links, resolve_lesson_link
from app.content.item_checks import check_items
from app.content.law_changes import check_law_change
from app.content.lints import Linter
from app.content.loader import ContentTree, ModuleSource, module_folders, read_tree, shown_path
from app.content.rendering import heading_ids
from app.content.translations import TRANSLATION_LANGUAGES, check_translation, read_translation
from app.formatting import N_
from app.messages import Message


def check_tree(root: Path | str) -> list[Problem]:
    """Return every problem in the content folder `root`, sorted by path and line."""
    problems, _ = _check(Path(root))
    return problems


def load_tree(root: Path | str) -> ContentTree:
    """Read and check the content folder; raise ContentInvalid listing every error."""
    problems, tree = _check(Path(root))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentInvalid(errors)
    return tree


def _check(root: Path) -> tuple[list[Problem], ContentTree]:
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(root.as_posix(), 1, Message(N_("content folder not found"))))
        return problems, ContentTree({}, ())
    tree = read_tree(root, problems)
    folders = {folder.name for folder in module_folders(root)}
    linter = Linter(root, tree)
    for module in tree.modules.values():
        _check_lessons(module, root, linter, problems)
        _check_quiz(module, tree, root, folders, linter, problems)
        _check_tested_sections(module, root, problems)
        problems += check_law_change(
            module, shown_path(module.path / "module.md", root), _settings_lines(module, root)
        )
        lessons = [lesson.markdown for lesson in module.lessons]
        quiz_shown = shown_path(module.path / "quiz.md", root)
        problems += check_items(module.questions, lessons, quiz_shown)
        problems += _check_translations(module, root)
    _check_courses(tree, root, folders, problems)
    _check_glossary_links(tree, problems)
    problems += _check_entry_translations(tree, root)
    return sorted(set(problems)), tree


def _check_translations(module: ModuleSource, root: Path) -> list[Problem]:
    """Each translation of the module (content/modules/<slug>/<language>/) against its English."""
    found: list[Problem] = []
    shown_folder = shown_path(module.path, root)
    for language in TRANSLATION_LANGUAGES:
        translation = read_translation(module.path, language, shown_folder, found)
        if translation is not None:
            found += check_translation(module.path, module, translation, shown_folder)
    return found


def _check_entry_translations(tree: ContentTree, root: Path) -> list[Problem]:
    """content/<language>/courses.yml and glossary.yml against the English (docs/welsh.md)."""
    found: list[Problem] = []
    english = {COURSES: course_english(tree.courses), GLOSSARY: glossary_english(tree.glossary)}
    for language in TRANSLATION_LANGUAGES:
        for kind in (COURSES, GLOSSARY):
            shown = shown_path(translation_path(root, language, kind), root)
            translation = read_entries(root, language, kind, shown, found)
            if translation is None:
                continue
            found += check_entries(translation, english[kind], kind)
            for entry in translation.entries:
                for href in relative_links(entry.text("definition") or ""):
                    if resolve_lesson_link(href) is None:
                        message = (
                            f"'{entry.key}' links to '{href}': link a lesson as modules/<slug>/NN-lesson.md"
                        )
                        found.append(Problem(shown, entry.line, message))
    return found


def _check_lessons(module: ModuleSource, root: Path, linter: Linter, problems: list) -> None:
    shown = shown_path(module.path / "module.md", root)
    problems += linter.lint(module.intro_markdown, shown, module.intro_line_offset, module.path)
    first: dict[int, str] = {}
    for lesson in module.lessons:
        shown = shown_path(module.path / lesson.filename, root)
        if lesson.number in first:
            message = Message(
                N_("duplicate lesson number %(number)s (also %(file)s)"),
                number=f"{lesson.number:02d}",
                file=first[lesson.number],
            )
            problems.append(Problem(shown, 1, message))
        first.setdefault(lesson.number, lesson.filename)
        problems += linter.lint(lesson.markdown, shown, lesson.line_offset, module.path)


def _settings_lines(module: ModuleSource, root: Path) -> dict[tuple, int]:
    shown = shown_path(module.path / "module.md", root)
    try:
        return split_front_matter(read_text(module.path / "module.md", shown), shown).lines
    except ContentError:
        return {}


def _check_quiz(
    module: ModuleSource,
    tree: ContentTree,
    root: Path,
    folders: set,
    linter: Linter,
    problems: list,
) -> None:
    quiz_shown = shown_path(module.path / "quiz.md", root)
    shown = shown_path(module.path / "module.md", root)
    for q in module.questions:
        problems += linter.lint(q.scenario_markdown, quiz_shown, q.scenario_line - 1, module.path, page=False)
        for option in q.options:
            problems += linter.lint(option.markdown, quiz_shown, option.line - 1, module.path, page=False)
            problems += linter.lint(
                option.feedback_markdown,
                quiz_shown,
                max(option.feedback_line - 1, 0),
                module.path,
                page=False,
            )
    if not (module.path / "quiz.md").is_file():
        if not module.quiz.include:  # a quiz may be made only of other modules' banks
            problems.append(Problem(quiz_shown, 1, Message(N_("%(file)s is missing"), file="quiz.md")))
    elif not module.questions:
        problems.append(Problem(quiz_shown, 1, Message(N_("quiz has no questions"))))
    lines = _settings_lines(module, root)
    owner = {q.key: module.slug for q in module.questions}
    bank = len(module.questions)
    for index, slug in enumerate(module.quiz.include):
        line = lines.get(("quiz", "include", index), 1)
        if slug == module.slug:
            problems.append(Problem(shown, line, Message(N_("quiz cannot include its own module"))))
            continue
        if slug not in folders:
            message = Message(N_("quiz includes unknown module '%(slug)s'"), slug=slug)
            problems.append(Problem(shown, line, message))
            continue
        for q in tree.modules[slug].questions if slug in tree.modules else ():
            if owner.get(q.key) == module.slug:
                own = next(o.line for o in module.questions if o.key == q.key)
                message = Message(
                    N_("question id '%(key)s' is also in included module '%(slug)s'"), key=q.key, slug=slug
                )
                problems.append(Problem(quiz_shown, own, message))
            elif q.key in owner:
                message = Message(
                    N_("question id '%(key)s' is in included modules '%(first)s' and '%(second)s'"),
                    key=q.key,
                    first=owner[q.key],
                    second=slug,
                )
                problems.append(Problem(shown, line, message))
            owner.setdefault(q.key, slug)
            bank += 1
    wanted = module.quiz.questions_per_attempt
    if wanted is not None and bank and wanted > bank:
        line = lines.get(("quiz", "questions_per_attempt"), 1)
        message = Message(
            N_("questions_per_attempt is %(wanted)s but the question bank has only %(bank)s"),
            wanted=wanted,
            bank=bank,
        )
        problems.append(Problem(shown, line, message))
    own = module.quiz.own_questions_per_attempt
    if own is not None:
        line = lines.get(("quiz", "own_questions_per_attempt"), 1)
        if not module.quiz.include or wanted is None:
            message = Message(N_("own_questions_per_attempt needs 'include' and 'questions_per_attempt'"))
            problems.append(Problem(shown, line, message))
        elif own > len(module.questions):
            message = Message(
                N_("own_questions_per_attempt is %(own)s but quiz.md has only %(bank)s"),
                own=own,
                bank=len(module.questions),
            )
            problems.append(Problem(shown, line, message))
        elif own > wanted or wanted - own > bank - len(module.questions):
            message = Message(
                N_(
                    "own_questions_per_attempt %(own)s does not fit questions_per_attempt %(wanted)s: "
                    "the rest must come from the included banks"
                ),
                own=own,
                wanted=wanted,
            )
            problems.append(Problem(shown, line, message))


def _check_tested_sections(module: ModuleSource, root: Path, problems: list) -> None:
    """Every question's `tests:` names a lesson of this module and a heading in it, and the feedback
    of each wrong option links to that section."""
    quiz_shown = shown_path(module.path / "quiz.md", root)
    anchors = {lesson.filename: heading_ids(lesson.markdown) for lesson in module.lessons}
    for q in module.questions:
        if not q.tests:
            message = Message(
                N_("'%(key)s' has no 'tests:' (the lesson section it tests, e.g. 03-indicators.md#heading)"),
                key=q.key,
            )
            problems.append(Problem(quiz_shown, q.line, message))
            continue
        filename, hash_, anchor = q.tests.partition("#")
        if filename not in anchors:
            message = Message(
                N_("'%(key)s' tests '%(tests)s': no lesson '%(file)s' in this module"),
                key=q.key,
                tests=q.tests,
                file=filename,
            )
            problems.append(Problem(quiz_shown, q.tests_line, message))
            continue
        if not hash_ or anchor not in anchors[filename]:
            message = Message(
                N_("'%(key)s' tests '%(tests)s': no heading '#%(anchor)s' in %(file)s"),
                key=q.key,
                tests=q.tests,
                anchor=anchor,
                file=filename,
            )
            problems.append(Problem(quiz_shown, q.tests_line, message))
            continue
        if q.type == "ordering":
            continue
        for option in q.options:
            # An option without feedback is reported by the parser already.
            if not option.correct and option.feedback_markdown and q.tests not in option.feedback_markdown:
                message = Message(
                    N_("'%(key)s': feedback of wrong option %(option)s does not link to (%(tests)s)"),
                    key=q.key,
                    option=option.key,
                    tests=q.tests,
                )
                problems.append(Problem(quiz_shown, option.feedback_line or option.line, message))


def _check_courses(tree: ContentTree, root: Path, folders: set, problems: list) -> None:
    shown = shown_path(root / "courses.yml", root)
    slugs = Counter(course.slug for course in tree.courses)
    seen: set[str] = set()
    for course in tree.courses:
        if slugs[course.slug] > 1 and course.slug in seen:
            message = Message(N_("duplicate course slug '%(slug)s'"), slug=course.slug)
            problems.append(Problem(shown, course.line, message))
        seen.add(course.slug)
        listed: set[str] = set()
        for slug, line in zip(course.modules, course.module_lines, strict=False):
            if slug not in folders:
                message = Message(
                    N_("course '%(course_slug)s' names unknown module '%(slug)s'"),
                    course_slug=course.slug,
                    slug=slug,
                )
                problems.append(Problem(shown, line, message))
            elif slug in listed:
                problems.append(
                    Problem(shown, line, Message(N_("module '%(slug)s' is listed twice"), slug=slug))
                )
            listed.add(slug)


def _check_glossary_links(tree: ContentTree, problems: list) -> None:
    """A glossary definition's links to lessons name a real lesson, and a real heading in it."""
    if tree.glossary is None:
        return
    for entry in tree.glossary.entries:
        for href in relative_links(entry.definition):
            match = LESSON_LINK.match(href)
            if match is None:
                continue  # reported when the glossary was read
            slug, number, anchor = match.groups()
            module = tree.modules.get(slug)
            lesson = next((x for x in module.lessons if x.number == int(number)), None) if module else None
            if lesson is None or href.split("/")[-1].partition("#")[0] != lesson.filename:
                message = Message(N_("'%(id)s' links to '%(href)s': no such lesson"), id=entry.id, href=href)
            elif anchor and anchor not in heading_ids(lesson.markdown):
                message = Message(
                    N_("'%(id)s' links to '%(href)s': no heading '#%(anchor)s' in %(file)s"),
                    id=entry.id,
                    href=href,
                    anchor=anchor,
                    file=lesson.filename,
                )
            else:
                continue
            problems.append(Problem(tree.glossary.shown, entry.definition_line, message))
