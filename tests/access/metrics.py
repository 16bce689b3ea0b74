"""Routes of the metrics: the national view and exports, force drill-down, the lead dashboard, and
the monthly releases."""

from tests.access.rules import ADMIN, COMMISSIONER, LEAD, Route

NATIONAL = frozenset({COMMISSIONER, ADMIN})
LEADS = frozenset({LEAD, ADMIN})
RELEASE = "2025-04"

ROUTES = [
    Route("metrics.national", "/metrics/national", NATIONAL),
    Route("metrics.national_csv", "/metrics/national.csv", NATIONAL),
    Route("metrics.national_pdf", "/metrics/national.pdf", NATIONAL),
    Route("metrics.force_detail", "/metrics/forces/{force_code}", NATIONAL),
    Route("metrics.force_dashboard", "/metrics/force", LEADS),
    Route("metrics.force_dashboard", "/metrics/force?force={force_code}", LEADS),
    Route("metrics.force_csv", "/metrics/force.csv?force={force_code}", LEADS),
    Route("metrics.releases", "/metrics/releases", NATIONAL),
    Route("metrics.release", f"/metrics/releases/{RELEASE}", NATIONAL),
    Route("metrics.release_revision", f"/metrics/releases/{RELEASE}/1", NATIONAL),
    Route("metrics.release_ods", f"/metrics/releases/{RELEASE}/1.ods", NATIONAL),
    Route("metrics.release_csv", f"/metrics/releases/{RELEASE}/1.csv", NATIONAL),
]


def build(world: dict) -> None:
    """A published release of April 2025 (stored directly: publishing is tested elsewhere)."""
    import json

    from app.extensions import db
    from app.metrics import release_data
    from app.metrics.models import MetricsRelease

    part = release_data.section(
        "all",
        "All courses",
        release_data.forces_table([], None),
        release_data.modules_table([]),
        release_data.trend_table([]),
    )
    data = release_data.payload(RELEASE, [part], calculated_at="2025-05-01T06:00:00Z", break_in_series=False)
    db.session.add(
        MetricsRelease(
            month=RELEASE,
            revision=1,
            methodology_version=release_data.METHODOLOGY_VERSION,
            published_by="system",
            payload=json.dumps(data),
        )
    )
