"""Topic names (content/topics.yml): read with file and line, every used tag named, pages read
the file as it is now."""

from pathlib import Path

from app.content.errors import Problem
from app.content.loader import read_tree
from app.content.topics import read_topics, topic_name

REAL = Path(__file__).resolve().parents[3] / "content"


def _read(tmp_path, text):
    path = tmp_path / "topics.yml"
    path.write_text(text)
    problems: list[Problem] = []
    return read_topics(path, "topics.yml", problems), problems


def test_names_are_read(tmp_path):
    names, problems = _read(tmp_path, "topics:\n  s45-adults: Statutory defence for adults (s.45)\n")
    assert names == {"s45-adults": "Statutory defence for adults (s.45)"}
    assert problems == []


def test_a_bad_file_or_name_is_reported_with_its_line(tmp_path):
    names, problems = _read(tmp_path, "topics:\n  ok: Fine\n  empty: ''\n  long: " + "x" * 81 + "\n")
    assert names == {"ok": "Fine"}
    assert [(p.line, "empty" in p.message or "long" in p.message) for p in problems] == [(3, True), (4, True)]
    _, problems = _read(tmp_path, "- just a list\n")
    assert "under 'topics:'" in problems[0].message


def test_every_tag_of_the_real_questions_has_a_name():
    problems: list[Problem] = []
    read_tree(REAL, problems)
    assert not [p for p in problems if "has no name" in p.message]


def test_an_unnamed_tag_is_reported_at_its_question(tmp_path):
    import shutil

    root = tmp_path / "content"
    shutil.copytree(REAL, root)
    text = (
        (root / "topics.yml").read_text().replace("  s45-adults: Statutory defence for adults (s.45)\n", "")
    )
    (root / "topics.yml").write_text(text)
    problems: list[Problem] = []
    read_tree(root, problems)
    unnamed = [p for p in problems if "has no name" in p.message]
    assert unnamed
    assert all("'s45-adults'" in p.message and p.path.endswith("quiz.md") and p.line > 1 for p in unnamed)


def test_pages_read_the_name_or_fall_back_to_the_tag(tmp_path):
    assert topic_name("s45-adults", REAL) == "Statutory defence for adults (s.45)"
    assert topic_name("no-such-tag", REAL) == "no-such-tag"
    assert topic_name("s45-adults", tmp_path) == "s45-adults"  # no topics file
