"""The content pipeline imports without Flask (checked in a fresh interpreter)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[3]


def test_content_modules_import_without_flask():
    code = (
        "import sys\n"
        "import app.content.loader, app.content.rendering, app.content.validation\n"
        "import app.content.quiz_parser, app.content.errors, app.content.reviews, app.content.law_changes\n"
        "import app.content.glossary, app.content.term_links, app.content.hashing\n"
        "import app.content.pocket_card, app.content.pocket_card_pdf, app.content.entry_translations\n"
        "assert 'flask' not in sys.modules, 'flask was imported'\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy was imported'\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
