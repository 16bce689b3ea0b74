"""The metric modules import without Flask or a database layer."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_metric_modules_import_without_flask():
    code = (
        "import sys, app.metrics.definitions, app.metrics.charts, app.metrics.hexmap,"
        " app.metrics.release_data, app.metrics.ods, app.metrics.timeline\n"
        "loaded = [m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
