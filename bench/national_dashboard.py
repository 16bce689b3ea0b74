"""Time the national dashboard, its CSV export and the aggregate SQL alone (the floor).

Run from the project root, for example:

    .venv/bin/python bench/national_dashboard.py --url sqlite:////tmp/bench-20k.db --officers 20000
    .venv/bin/python bench/national_dashboard.py \
        --url "postgresql+psycopg://postgres@/bench200k?host=/tmp&port=5439" --officers 200000

An empty database is set up first (schema, forces, `generate_national(officers, 24 months)`); a
database that already holds officers is reused as it is, so the slow generation runs once. Each
figure is the median of --runs timed runs after one warm-up. The floor runs the same query
functions the page runs (app.metrics.queries), without building the page. The page and the CSV
are timed twice: computed on every request (METRICS_SNAPSHOT_SECONDS=0) and, as deployed, read
from the stored national snapshot (app.metrics.snapshots; the warm-up run stores it).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402


def _app(url: str):
    from app import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False
        WTF_CSRF_ENABLED = False

    return create_app(BenchConfig)


def _prepare(officers: int, months: int) -> dict:
    """Create the schema and data if the database is empty; return what it holds."""
    from sqlalchemy import func, select, text

    from app.assessments.models import Attempt
    from app.auth.models import User
    from app.demo.synthetic import generate_national
    from app.extensions import db
    from app.forces.services import read_forces_csv, sync_forces

    db.create_all()
    if not db.session.scalar(select(func.count()).select_from(User)):
        sync_forces(read_forces_csv(ROOT / "content" / "forces.csv"))
        db.session.commit()
        started = time.perf_counter()
        done = [0]

        def progress(n):
            done[0] += n
            print(f"\r  generated {done[0]:,} of {officers:,} officers", end="", flush=True)

        generate_national(officers, months, progress)
        print(f"\n  generation took {time.perf_counter() - started:.0f} s")
    if db.engine.dialect.name == "postgresql":
        # Fresh tables have no planner statistics; without them PostgreSQL picks nested loops
        # that run for minutes (autovacuum would analyse them later, at an unknown time).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return {
        "officers": db.session.scalar(select(func.count()).select_from(User)),
        "attempts": db.session.scalar(select(func.count()).select_from(Attempt)),
    }


def _commissioner():
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    user = db.session.scalar(select(User).where(User.email == "bench.commissioner@example.invalid"))
    if user is None:
        user = User(
            email="bench.commissioner@example.invalid",
            name="Bench Commissioner",
            role="commissioner",
            force_id=None,
        )
        db.session.add(user)
        db.session.commit()
    return user


FILTERS: dict = {}  # --query, parsed: the filter set every figure below is timed with


def _filters():
    from datetime import date

    from app.metrics import services

    dates = {name: date.fromisoformat(FILTERS[name]) for name in ("date_from", "date_to") if name in FILTERS}
    others = {name: FILTERS[name] for name in ("nation", "force_type", "course") if name in FILTERS}
    return services.Filters(**others, **dates)


def _floor():
    """The dashboard's SQL alone: the same query functions, no formulas, charts or template, one
    after another on one connection."""
    from app.metrics import queries, services

    scope, _course = services.scope_for(_filters())
    forces = queries.forces_in_scope(scope)
    grouping = queries.Grouping(force_ids=tuple(f.id for f in forces))
    queries.force_counts(scope, queries.force_groups(forces), grouping, {})
    queries.completion_months(scope, grouping)
    queries.knowledge_gaps(scope, grouping.force_ids)
    queries.gaps_by_force(scope, grouping.force_ids)
    _headline_statement()


def _headline_statement():
    """The headline's "change since last month": police officers certified a month earlier."""
    from app.metrics import queries, services

    scope, _course = services.scope_for(_filters())
    forces = queries.forces_in_scope(scope)
    grouping = queries.Grouping(force_ids=tuple(f.id for f in forces))
    queries.certified_counts(queries.month_before(scope), grouping)


def _timed(function, runs: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy database URL")
    parser.add_argument("--officers", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--query",
        default="",
        help="filters as in the page's query string, e.g. course=SLUG&date_from=2026-01-01&nation=Wales",
    )
    args = parser.parse_args()
    FILTERS.update(parse_qsl(args.query))
    suffix = f"?{args.query}" if args.query else ""

    app = _app(args.url)
    with app.app_context():
        from app.auth.session_services import start_session
        from app.extensions import db

        held = _prepare(args.officers, args.months)
        user = _commissioner()
        client = app.test_client()
        token = start_session(user)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True

        def page():
            response = client.get(f"/metrics/national{suffix}")
            assert response.status_code == 200, response.status_code

        def export():
            response = client.get(f"/metrics/national.csv{suffix}")
            assert response.status_code == 200, response.status_code

        floor = _timed(_floor, args.runs)
        headline = _timed(_headline_statement, args.runs)
        app.config["METRICS_SNAPSHOT_SECONDS"] = 0  # every request aggregates afresh
        dashboard = _timed(page, args.runs)
        csv_export = _timed(export, args.runs)
        app.config["METRICS_SNAPSHOT_SECONDS"] = 600  # the default: the warm-up stores one
        dashboard_snapshot = _timed(page, args.runs)
        csv_snapshot = _timed(export, args.runs)
        dialect = db.engine.dialect.name

    print(
        f"{dialect}: {held['officers']:,} officers, {held['attempts']:,} attempts;",
        f"filters: {args.query or 'none'}",
    )
    print(f"  aggregate SQL (floor)          {floor * 1000:8.0f} ms")
    print(f"  of which the month-earlier     {headline * 1000:8.0f} ms   {headline / floor:.2f}x floor")
    for label, value in (
        ("dashboard page, computed", dashboard),
        ("CSV export, computed", csv_export),
        ("dashboard page, snapshot", dashboard_snapshot),
        ("CSV export, snapshot", csv_snapshot),
    ):
        print(f"  {label:<29} {value * 1000:8.0f} ms   {value / floor:.2f}x floor")


if __name__ == "__main__":
    main()
