"""The assessment formulas import without Flask (they run in workers, reports and tests alone)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_pure_modules_import_without_flask():
    code = (
        "import sys\n"
        "import app.assessments.scoring, app.assessments.drawing, app.assessments.statistics\n"
        "loaded = sorted(m for m in sys.modules if m == 'flask' or m.startswith('flask.'))\n"
        "assert not loaded, loaded\n"
        "assert 'sqlalchemy' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
