"""Routes of the metrics: the national view and exports, force drill-down, the lead dashboard."""

from tests.access.rules import ADMIN, COMMISSIONER, LEAD, Route

NATIONAL = frozenset({COMMISSIONER, ADMIN})
LEADS = frozenset({LEAD, ADMIN})

ROUTES = [
    Route("metrics.national", "/metrics/national", NATIONAL),
    Route("metrics.national_csv", "/metrics/national.csv", NATIONAL),
    Route("metrics.national_pdf", "/metrics/national.pdf", NATIONAL),
    Route("metrics.force_detail", "/metrics/forces/{force_code}", NATIONAL),
    Route("metrics.force_dashboard", "/metrics/force", LEADS),
    Route("metrics.force_dashboard", "/metrics/force?force={force_code}", LEADS),
    Route("metrics.force_csv", "/metrics/force.csv?force={force_code}", LEADS),
]
