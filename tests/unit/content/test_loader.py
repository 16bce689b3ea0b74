"""Reading modules and courses into dataclasses; front matter line numbers; stable hashing."""

import shutil

import pytest

from app.content.errors import ContentError
from app.content.frontmatter import split_front_matter
from app.content.loader import QuizSettings, Source, module_hash, read_tree
from tests.unit.content.conftest import GOOD, add_module, write_courses

# The good fixture module's hash; it must be the same on every machine and every checkout.
GOOD_HASH = "e452aedd2377e399c4ab4a0eb3c9d581ff12f8958a78f07374dcd3f917a14c2b"


def test_good_module_is_read_into_dataclasses(content_root):
    add_module(content_root, "good-module")
    write_courses(content_root, "good-module")
    problems = []

    tree = read_tree(content_root, problems)

    assert problems == []
    module = tree.modules["good-module"]
    assert (module.title, module.estimated_minutes, module.pass_mark) == ("Good module", 5, 80)
    assert module.objectives == ("Know the fixture",)
    assert module.sources == (
        Source("Modern Slavery Act 2015", "https://www.legislation.gov.uk/ukpga/2015/30"),
    )
    assert module.quiz == QuizSettings(questions_per_attempt=1, cooldown_minutes=10)
    assert module.version_notes == "First."
    assert module.intro_markdown.strip() == "Read [the first lesson](01-first.md)."
    assert [(les.number, les.slug, les.title) for les in module.lessons] == [
        (1, "first", "First lesson"),
        (2, "second", "Second lesson"),
    ]
    assert module.lessons[0].content_warning == "Mentions violence."
    assert [q.key for q in module.questions] == ["pick-one", "pick-some", "put-in-order"]
    course = tree.courses[0]
    assert (course.slug, course.title, course.modules, course.line) == (
        "test-course",
        "Test course",
        ("good-module",),
        2,
    )


def test_lesson_line_offset_maps_body_lines_to_file_lines(content_root):
    add_module(content_root, "good-module")
    lesson = read_tree(content_root, []).modules["good-module"].lessons[0]
    file_lines = (GOOD / "01-first.md").read_text().split("\n")

    body_line = lesson.markdown.split("\n").index("## Start here") + 1

    assert file_lines[body_line + lesson.line_offset - 1] == "## Start here"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: a\ntitle: b\n---\n", 3, "duplicate key 'title'"),
        ("---\na: 1\n\ntitle: a: b\n---\n", 4, "invalid YAML: mapping values are not allowed here"),
        (
            '---\na: 1\nb: "x\n---\n',
            3,
            "invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 3)",
        ),
        ("---\n- a\n---\n", 2, "front matter must be 'key: value' lines"),
        ("---\ntitle: a\n", 1, "front matter is not closed: add a line '---' after it"),
        ("---\nwhen: 2024-02-30\n---\n", 2, "invalid YAML: day is out of range for month"),
        (
            "---\nx: !!python/object:os.system ls\n---\n",
            2,
            "invalid YAML: could not determine "
            "a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'",
        ),
    ],
)
def test_front_matter_errors_point_at_the_file_line(text, line, message):
    with pytest.raises(ContentError) as caught:
        split_front_matter(text, "x.md")

    assert (caught.value.line, caught.value.message) == (line, message)
    assert str(caught.value) == f"x.md:{line}: {message}"


def test_body_without_front_matter_is_kept_whole():
    doc = split_front_matter("## Hello\n", "x.md")

    assert (doc.has_front_matter, doc.body, doc.body_offset) == (False, "## Hello\n", 0)


def test_non_utf8_file_is_reported_at_its_line(content_root):
    folder = add_module(content_root, "good-module")
    (folder / "02-second.md").write_bytes(b"---\ntitle: x\n---\n\ncaf\xe9\n")
    problems = []

    read_tree(content_root, problems)

    assert [str(p) for p in problems] == [
        "content/modules/good-module/02-second.md:5: file is not UTF-8 text",
        "content/courses.yml:1: courses.yml is missing",
    ]


def test_hash_is_fixed_for_the_fixture_module():
    assert module_hash(GOOD) == GOOD_HASH


def test_hash_ignores_line_endings_hidden_files_and_copy_order(tmp_path):
    copy = shutil.copytree(GOOD, tmp_path / "copy")
    for md in copy.glob("*.md"):
        md.write_bytes(md.read_bytes().replace(b"\n", b"\r\n"))
    (copy / ".DS_Store").write_bytes(b"junk")

    assert module_hash(copy) == module_hash(GOOD)


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "02-second.md").write_text("---\ntitle: Changed\n---\n"),
        lambda folder: (folder / "02-second.md").rename(folder / "03-second.md"),
        lambda folder: (folder / "images" / "pic.png").write_bytes(b"\x89PNG other"),
    ],
)
def test_hash_changes_when_content_or_names_change(tmp_path, change):
    copy = shutil.copytree(GOOD, tmp_path / "copy")

    change(copy)

    assert module_hash(copy) != module_hash(GOOD)


def test_control_characters_in_front_matter_are_reported_at_their_line():
    with pytest.raises(ContentError) as caught:
        split_front_matter("---\ntitle: a\nsummary: b\x00\n---\n", "x.md")

    assert str(caught.value) == "x.md:3: invalid YAML: control characters are not allowed"
