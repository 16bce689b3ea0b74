"""`flask demo load --scale national` and `flask metrics rebuild`."""

from sqlalchemy import delete, func, select

from app.assessments.models import Attempt
from app.auth.models import User
from app.extensions import db
from app.metrics import summary
from app.metrics.models import OfficerCourseStatus
from tests.integration.metrics.test_summary import _rows


def _computed() -> list[tuple]:
    """The status rows as a rebuild would compute them from the source tables."""
    return sorted(tuple(row) for row in db.session.execute(summary.status_rows()))


def test_demo_load_national_generates_data_and_its_summary(app, database, monkeypatch):
    monkeypatch.setattr("app.demo.cli.NATIONAL_OFFICERS", 400)
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = app.test_cli_runner().invoke(args=["demo", "load", "--scale", "national"])
    assert result.exit_code == 0, result.output
    assert "Synthetic data generated" in result.output
    assert "spot-the-signs-2026" in result.output  # the demo logins are still printed
    synthetic = database.session.scalar(
        select(func.count()).select_from(User).where(User.email.like("scale.%"))
    )
    assert synthetic == 400
    assert database.session.scalar(select(func.count()).select_from(Attempt)) > 1000
    kept = _rows()
    assert len(kept) > 100
    # What the generator wrote directly is what the write paths would have kept.
    assert kept == _computed()


def test_metrics_rebuild_restores_the_summary(app, database, monkeypatch):
    monkeypatch.setattr("app.demo.cli.NATIONAL_OFFICERS", 200)
    app.test_cli_runner().invoke(args=["forces", "sync"])
    app.test_cli_runner().invoke(args=["demo", "load", "--scale", "national"])
    kept = _rows()
    database.session.execute(delete(OfficerCourseStatus))
    result = app.test_cli_runner().invoke(args=["metrics", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"Rebuilt {len(kept):,} officer course status rows" in result.output
    assert _rows() == kept


def test_demo_generate_writes_the_size_asked_for(app, database):
    app.test_cli_runner().invoke(args=["forces", "sync"])
    result = app.test_cli_runner().invoke(args=["demo", "generate", "--officers", "400", "--months", "2"])
    assert result.exit_code == 0, result.output
    assert "Done in" in result.output
    synthetic = database.session.scalar(
        select(func.count()).select_from(User).where(User.email.like("scale.%"))
    )
    assert synthetic == 400
    assert _rows() == _computed()
