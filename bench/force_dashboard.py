"""Time the training lead's force dashboard and its CSV against a bare endpoint and their SQL.

Run from the project root against a database of synthetic national data (made by
bench/national_dashboard.py, or made here when empty), for example:

    .venv/bin/python bench/force_dashboard.py \
        --url postgresql+psycopg://dev:dev@127.0.0.1:55433/msa_after --officers 200000 --force met

A training lead of the chosen force (the largest by default) opens /metrics/force (computed on
every request: a lead sees their officers as it happens) and /metrics/force.csv through the Flask
test client in one process. Floors measured in the same run: /healthz (one SELECT 1 plus the
session lookup every signed-in request pays) and the dashboard's SQL alone (the same query
functions, without formulas or template). Each figure is the median of --runs runs after one
warm-up. The issue's target compares the dashboard with a lesson page; bench/lesson_pages.py
measures a lesson page at about the cost of /healthz (0.8x to 0.9x), so the dashboard's ratio to
/healthz stands in for its ratio to a lesson page.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import national_dashboard as nd  # noqa: E402


def _lead(force):
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    email = f"bench.lead.{force.code}@example.invalid"
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Bench Lead", role="training_lead", force_id=force.id)
        db.session.add(user)
        db.session.commit()
    return user


def _floor(force):
    from app.metrics import queries, services

    scope, _course = services.scope_for(services.Filters())
    grouping = queries.Grouping(force_ids=(force.id,))
    [group] = queries.force_groups([force])
    queries.force_and_team_counts(scope, group, queries.team_groups(force.id))  # as the lead's page
    queries.completion_months(scope, grouping)
    queries.knowledge_gaps(scope, (force.id,))
    queries.overdue_officers(scope, force.id)


def _floor_in_a_request(app, force):
    """The floor as the page runs it: in a request, where the reference reads (modules, courses)
    are read once (app.metrics.memo.per_request), not once a statement."""
    with app.test_request_context("/metrics/force"):
        _floor(force)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy database URL")
    parser.add_argument("--officers", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--force", default="", help="force code (default: the largest by officer figure)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    app = nd._app(args.url)
    with app.app_context():
        from sqlalchemy import func, select

        from app.auth.models import User
        from app.auth.session_services import start_session
        from app.extensions import db
        from app.forces.models import Force

        held = nd._prepare(args.officers, args.months)
        if args.force:
            force = db.session.scalar(select(Force).where(Force.code == args.force))
        else:
            force = db.session.scalar(select(Force).order_by(Force.headcount.desc().nulls_last()).limit(1))
        officers = db.session.scalar(select(func.count()).select_from(User).where(User.force_id == force.id))
        user = _lead(force)
        client = app.test_client()
        token = start_session(user)
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True

        def get(url):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        bare = nd._timed(get("/healthz"), args.runs)
        floor = nd._timed(lambda: _floor_in_a_request(app, force), args.runs)
        page = nd._timed(get("/metrics/force"), args.runs)
        export = nd._timed(get("/metrics/force.csv"), args.runs)
        dialect = db.engine.dialect.name
        print(f"{dialect}: {held['officers']:,} officers nationally; {force.name}: {officers:,} officers")
        print(f"  /healthz (bare floor)          {bare * 1000:8.1f} ms")
        print(f"  dashboard SQL alone (floor)    {floor * 1000:8.1f} ms")
        for label, value in (("lead's dashboard page", page), ("lead's CSV", export)):
            ratios = f"{value / bare:6.1f}x bare   {value / floor:5.2f}x SQL"
            print(f"  {label:<30} {value * 1000:8.1f} ms   {ratios}")


if __name__ == "__main__":
    main()
