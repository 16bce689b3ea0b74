"""`flask content check [PATH]` and `flask content sync [PATH]`."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.errors import ContentInvalid
from app.content.validation import check_tree, load_tree
from app.extensions import db
from app.formatting import plural


def _root(path: str | None) -> Path:
    return Path(path) if path else Path(current_app.config["CONTENT_DIR"])


def _report(problems) -> None:
    for problem in problems:
        click.echo(str(problem))


content_cli = AppGroup("content", help="Training content: check the Markdown, sync it into the database.")


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def check(path):
    """Report every problem as path:line: message (exit status 1 if there are any), then
    lessons due for review as warnings (which do not fail the check)."""
    from app.clock import today
    from app.content.loader import ContentTree
    from app.content.reviews import REVIEW_MONTHS, review_warnings

    root = _root(path)
    problems = check_tree(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        _report(problems)
        click.echo(f"{plural(len(errors), 'problem')} found in {root}.", err=True)
        raise SystemExit(1)
    tree: ContentTree = load_tree(root)
    # Translations whose English has changed since (docs/welsh.md), then reviews due.
    _report(problems)
    warnings = review_warnings(tree, root, today())
    _report(warnings)
    click.echo(
        f"No problems found in {plural(len(tree.modules), 'module')}, {plural(len(tree.courses), 'course')}."
    )
    if warnings:
        click.echo(
            f"{plural(len(warnings), 'review warning')}: lessons need a review date and sources, and a "
            f"review at least every {REVIEW_MONTHS} months."
        )


@content_cli.command("sync")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def sync(path):
    """Check the content, then write it all in one transaction (nothing if anything is wrong)."""
    from app.content.services import sync_content, sync_steps

    root = _root(path)
    try:
        tree = load_tree(root)
    except ContentInvalid as exc:
        _report(exc.problems)
        click.echo(
            f"Nothing was synced: {plural(len(exc.problems), 'problem')} in {root}. "
            "Fix them and run the sync again.",
            err=True,
        )
        raise SystemExit(1) from None
    try:
        with click.progressbar(
            length=sync_steps(tree), label="Syncing content", item_show_func=lambda name: name
        ) as bar:
            summary = sync_content(tree, root, lambda name: bar.update(1, name))
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was synced: {exc}") from exc
    for line in summary.lines():
        click.echo(line)


@content_cli.command("source-hash")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def source_hash(files):
    """Print the source_hash a translation of each English FILE records (docs/welsh.md): one
    per entry for courses.yml (by slug) and glossary.yml (by id), else one for the file."""
    from app.content.entry_translations import (
        COURSES,
        GLOSSARY,
        course_english,
        english_hash,
        glossary_english,
    )
    from app.content.glossary import read_glossary
    from app.content.loader import read_courses
    from app.content.translations import translation_hash

    for name in files:
        path = Path(name)
        if path.name in (COURSES.filename, GLOSSARY.filename):
            problems: list = []
            if path.name == COURSES.filename:
                kind, english = COURSES, course_english(read_courses(path, path.parent, problems))
            else:
                kind, english = GLOSSARY, glossary_english(read_glossary(path, name, problems))
            for problem in problems:
                click.echo(str(problem), err=True)
            for key, texts in english.items():
                click.echo(f"{english_hash(kind, texts)}  {name} {kind.key}: {key}")
            continue
        click.echo(f"{translation_hash(path.read_bytes())}  {name}")


def register(app) -> None:
    """Add `flask content`."""
    app.cli.add_command(content_cli)
