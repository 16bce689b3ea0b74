"""The CI's reading of pip-audit's report (.ci/audit_summary.py)."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_summary.py"


def _run(tmp_path, dependencies):
    report = tmp_path / "audit.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run([sys.executable, str(SCRIPT), str(report)], capture_output=True, text=True)


def test_a_vulnerability_with_a_fix_fails_the_build(tmp_path):
    result = _run(
        tmp_path,
        [
            {
                "name": "jinja2",
                "version": "3.1.2",
                "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
            },
            {"name": "flask", "version": "3.1.3", "vulns": []},
        ],
    )
    assert result.returncode == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in result.stdout
    assert "2 of 2 dependencies checked" in result.stdout


def test_a_vulnerability_without_a_fix_is_reported_but_passes(tmp_path):
    result = _run(
        tmp_path, [{"name": "x", "version": "1", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": []}]}]
    )
    assert result.returncode == 0
    assert "without a fix (not failing): x 1: PYSEC-2026-1" in result.stdout


def test_an_audit_that_checked_nothing_says_so(tmp_path):
    result = _run(tmp_path, [{"name": "flask", "skip_reason": "Dependency not found on PyPI"}])
    assert result.returncode == 0
    assert "0 of 1 dependencies checked, 1 could not be checked" in result.stdout
    assert "AUDIT INCOMPLETE" in result.stdout
