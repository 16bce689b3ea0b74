"""Translations of a module (modules/<slug>/cy/): the same shape as the English, out-of-date
files named by the English hash they were made from, and no new module version for translating."""

from pathlib import Path

from app.content.hashing import module_hash
from app.content.translations import translation_hash
from app.content.validation import check_tree, load_tree
from tests.unit.content.conftest import add_module, write_courses

QUIZ = """## pick-one
type: single
tests: 01-first.md#start-here
tags: basics

Pa un sy'n gywir?

- [x] Hwn.
  > Adborth: Am ei fod.
- [ ] Hwnnw.
  > Adborth: Am nad yw.

## pick-some
type: multiple
tests: 01-first.md#start-here
points: 2

Pa rai sy'n gywir?

- [x] Un.
  > Am ei fod.
- [ ] Dau.
  > Am nad yw.

## put-in-order
type: ordering
tests: 01-first.md#start-here

Rhowch y rhain mewn trefn.

1. Cyntaf
   > Adborth: Yn gyntaf.
2. Ail
   > Adborth: Yn ail.
3. Trydydd
   > Adborth: Yn olaf.
"""


def _front(source: Path, **fields) -> str:
    lines = [f"source_hash: {translation_hash(source.read_bytes())}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _translate(folder: Path) -> Path:
    """A complete Welsh translation of the fixture module, in step with its English."""
    cy = folder / "cy"
    cy.mkdir()
    (cy / "module.md").write_text(
        "---\n"
        f"source_hash: {translation_hash((folder / 'module.md').read_bytes())}\n"
        "title: Modiwl da\nsummary: Modiwl bach.\nobjectives:\n  - Adnabod y gosodiad\n---\n\n"
        "Darllenwch [y wers gyntaf](01-first.md).\n"
    )
    (cy / "01-first.md").write_text(
        _front(folder / "01-first.md", title="Y wers gyntaf", content_warning="Sôn am drais.")
        + "\n## Dechrau yma\n\nCaethwasiaeth a chaethwasanaeth.\n"
    )
    (cy / "02-second.md").write_text(
        _front(folder / "02-second.md", title="Yr ail wers") + "\n## Y diwedd\n\nDiwedd.\n"
    )
    (cy / "quiz.md").write_text(_front(folder / "quiz.md") + "\n" + QUIZ)
    return cy


def _tree(content_root):
    folder = add_module(content_root, "good")
    write_courses(content_root, "good")
    return folder


def _messages(content_root):
    return [(p.severity, p.path.split("/", 1)[-1], p.message) for p in check_tree(content_root)]


def test_a_complete_translation_in_step_has_no_problems(content_root):
    folder = _tree(content_root)
    before = module_hash(folder)
    _translate(folder)
    assert _messages(content_root) == []
    # Translating is not a new version of the module: nobody part-way through is moved.
    assert module_hash(folder) == before
    load_tree(content_root)


def test_a_changed_english_lesson_marks_its_translation_out_of_date(content_root):
    folder = _tree(content_root)
    _translate(folder)
    lesson = folder / "02-second.md"
    recorded = translation_hash(lesson.read_bytes())
    lesson.write_text(lesson.read_text() + "\nA new paragraph.\n")
    assert _messages(content_root) == [
        (
            "warning",
            "modules/good/cy/02-second.md",
            f"out of date: 02-second.md has changed since it was translated (source_hash {recorded}, "
            f"the English is now {translation_hash(lesson.read_bytes())})",
        )
    ]
    load_tree(content_root)  # a warning, not an error: the content still syncs


def test_shape_differences_are_errors(content_root):
    folder = _tree(content_root)
    cy = _translate(folder)
    (cy / "02-second.md").unlink()  # a lesson missing
    first = cy / "01-first.md"
    first.write_text(first.read_text() + "\n## Adran ychwanegol\n\nMwy.\n")  # a section too many
    quiz = cy / "quiz.md"
    quiz.write_text(
        quiz.read_text().replace("- [x] Hwn.", "- [ ] Hwn.").replace("- [ ] Hwnnw.", "- [x] Hwnnw.")
    )
    errors = {(path, message) for severity, path, message in _messages(content_root) if severity == "error"}
    assert ("modules/good/cy/02-second.md", "lesson not translated") in errors
    assert ("modules/good/cy/01-first.md", "2 '##' sections, the English has 1") in errors
    assert any("question 'pick-one'" in message for _path, message in errors)
    assert len(errors) == 3


def test_a_translated_file_without_its_source_hash_is_an_error(content_root):
    folder = _tree(content_root)
    cy = _translate(folder)
    lesson = cy / "02-second.md"
    lesson.write_text("---\ntitle: Yr ail wers\n---\n\n## Y diwedd\n")
    assert (
        "error",
        "modules/good/cy/02-second.md",
        "a translated file needs 'source_hash:' (the English file's hash, 16 hex digits)",
    ) in _messages(content_root)


def test_questions_missing_or_extra_and_objectives_are_counted(content_root):
    folder = _tree(content_root)
    cy = _translate(folder)
    quiz = cy / "quiz.md"
    quiz.write_text(quiz.read_text().replace("## pick-some", "## pick-many"))
    module = cy / "module.md"
    module.write_text(module.read_text().replace("  - Adnabod y gosodiad\n", "  - Un\n  - Dau\n"))
    messages = {message for _s, _p, message in _messages(content_root)}
    assert "question 'pick-some' is not translated" in messages
    assert "question 'pick-many' is not in the English quiz" in messages
    assert "2 objectives, the English has 1" in messages


def test_flask_content_source_hash_prints_what_a_translation_records(app, tmp_path):
    english = tmp_path / "01-lesson.md"
    english.write_bytes(b"---\ntitle: A lesson\n---\r\n\r\n## One\r\n")
    result = app.test_cli_runner().invoke(args=["content", "source-hash", str(english)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{translation_hash(english.read_bytes())}  {english}\n"
    # Line endings do not count: the same text with LF has the same hash.
    assert translation_hash(b"---\ntitle: A lesson\n---\n\n## One\n") == translation_hash(
        english.read_bytes()
    )
