"""Translations of courses.yml and glossary.yml (content/cy/): each entry records the English it
was made from; the check finds entries with no English, warns when the English has changed, and
only current entries are used."""

import hashlib
from pathlib import Path

from app.content.entry_translations import (
    COURSES,
    GLOSSARY,
    check_entries,
    current,
    english_hash,
    read_entries,
)
from app.content.validation import check_tree
from app.messages import Message

from .conftest import add_module, write_courses

ENGLISH = {"test-course": {"title": "Test course", "audience": "", "description": "About it."}}


def _write(root: Path, body: str, name: str = "courses.yml") -> None:
    (root / "cy").mkdir(exist_ok=True)
    (root / "cy" / name).write_text(body)


def _course(source_hash: str, extra: str = "") -> str:
    return (
        "translation: machine-drafted\n"
        "courses:\n"
        "  - slug: test-course\n"
        f"    source_hash: {source_hash}\n"
        "    title: Cwrs prawf\n"
        "    description: Amdano.\n" + extra
    )


def test_a_current_entry_is_read_and_used(tmp_path):
    _write(tmp_path, _course(english_hash(COURSES, ENGLISH["test-course"])))
    problems = []
    translation = read_entries(tmp_path, "cy", COURSES, "cy/courses.yml", problems)
    assert problems == []
    assert translation.machine_drafted
    [entry] = translation.entries
    assert (entry.key, entry.text("title"), entry.text("audience")) == ("test-course", "Cwrs prawf", None)
    assert check_entries(translation, ENGLISH, COURSES) == []
    assert list(current(translation, ENGLISH, COURSES)) == ["test-course"]


def test_an_entry_hash_is_the_sha256_of_its_fields_in_order():
    # Worked out by hand: title, audience and description joined by blank lines, SHA-256, 16 hex.
    text = b"Test course\n\n\n\nAbout it."
    assert english_hash(COURSES, ENGLISH["test-course"]) == hashlib.sha256(text).hexdigest()[:16]
    # A field's order matters, and a missing field counts as empty.
    assert (
        english_hash(COURSES, {"title": "Test course", "description": "About it."})
        == (hashlib.sha256(text).hexdigest()[:16])
    )
    swapped = {"title": "About it.", "audience": "", "description": "Test course"}
    assert english_hash(COURSES, swapped) != english_hash(COURSES, ENGLISH["test-course"])


def test_the_english_changing_makes_a_warning_and_the_entry_is_not_used(tmp_path):
    _write(tmp_path, _course(english_hash(COURSES, ENGLISH["test-course"])))
    translation = read_entries(tmp_path, "cy", COURSES, "cy/courses.yml", [])
    changed = {"test-course": {**ENGLISH["test-course"], "title": "A renamed course"}}
    [problem] = check_entries(translation, changed, COURSES)
    assert problem.severity == "warning"
    assert "out of date: the English of course 'test-course' has changed" in problem.message
    assert english_hash(COURSES, changed["test-course"]) in problem.message
    assert current(translation, changed, COURSES) == {}
    # A Message (app.messages): English as text, its template and params for a Welsh page, the
    # noun inside it a Message too.
    assert isinstance(problem.message, Message)
    assert problem.message.template.startswith("out of date: the English of %(where)s")
    assert problem.message.params["where"].params == {"noun": "course", "key": "test-course"}


def test_an_entry_without_english_or_source_hash_is_an_error(tmp_path):
    body = _course("0123456789abcdef") + "  - slug: no-such-course\n    title: Dim\n"
    _write(tmp_path, body)
    problems = []
    translation = read_entries(tmp_path, "cy", COURSES, "cy/courses.yml", problems)
    assert [p.message for p in problems] == ["missing required key 'source_hash' in a translated course"]
    messages = [p.message for p in check_entries(translation, ENGLISH, COURSES) if p.severity == "error"]
    assert messages == ["no English course has slug 'no-such-course'"]


def test_a_field_the_english_has_not_cannot_be_translated(tmp_path):
    _write(tmp_path, _course(english_hash(COURSES, ENGLISH["test-course"]), "    audience: Pawb\n"))
    translation = read_entries(tmp_path, "cy", COURSES, "cy/courses.yml", [])
    [problem] = check_entries(translation, ENGLISH, COURSES)
    assert problem.message == "course 'test-course': 'audience' is translated but the English has none"


def test_the_content_check_reports_them_with_file_and_line(content_root):
    add_module(content_root, "good")
    write_courses(content_root, "good")
    good = english_hash(COURSES, {"title": "Test course", "audience": "", "description": ""})
    _write(content_root, _course(good).replace("    description: Amdano.\n", ""))
    assert check_tree(content_root) == []
    _write(content_root, _course("0123456789abcdef").replace("    description: Amdano.\n", ""))
    [problem] = check_tree(content_root)
    assert (problem.path, problem.line, problem.severity) == ("content/cy/courses.yml", 3, "warning")
    assert f"the English is now {good}" in problem.message


def test_a_glossary_translation_keeps_links_to_lessons_only(content_root):
    add_module(content_root, "good")
    write_courses(content_root, "good")
    (content_root / "glossary.yml").write_text(
        "terms:\n  - id: nrm\n    term: National Referral Mechanism\n    definition: The framework.\n"
    )
    source = english_hash(GLOSSARY, {"term": "National Referral Mechanism", "definition": "The framework."})
    body = (
        f"terms:\n  - id: nrm\n    source_hash: {source}\n    definition: Y fframwaith, [gweler](../x.md).\n"
    )
    _write(content_root, body, "glossary.yml")
    [problem] = check_tree(content_root)
    assert problem.path == "content/cy/glossary.yml"
    assert "'nrm' links to '../x.md'" in problem.message
