"""Time a whole-force assignment: the officer-state rollup refreshed for every officer of a force.

Run from the project root against a database of synthetic national data (made by
bench/national_dashboard.py, or made here when empty), for example:

    .venv/bin/python bench/whole_force_assignment.py \
        --url postgresql+psycopg://ci:ci@127.0.0.1:55432/msa_b200 --officers 200000 --force met

A training lead's "assign to the whole force" (app.assignments.services.create_assignment) writes
one assignment row; before its transaction commits, app.metrics.rollup refreshes the timeline,
coverage spans and rollup sums of every officer of the force (the rollup is written in the same
transaction as the record it summarises). Each run is rolled back, so every run starts from the
same data. The floor, measured in the same run: reading the force's officers' ids and their
existing timelines (the least any refresh has to read). Each figure is the median of --runs runs
after one warm-up.
"""

import argparse
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import national_dashboard as nd  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy database URL")
    parser.add_argument("--officers", type=int, default=20_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--force", default="west-yorkshire", help="force code")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    app = nd._app(args.url)
    with app.app_context():
        from sqlalchemy import func, select

        from app.assignments.services import create_assignment
        from app.auth.models import User
        from app.clock import today
        from app.content.models import Course
        from app.extensions import db
        from app.forces.models import Force
        from app.metrics import rollup
        from app.metrics.models import OfficerTimeline

        nd._prepare(args.officers, args.months)
        force = db.session.scalar(select(Force).where(Force.code == args.force))
        course = db.session.scalar(select(Course).where(Course.published.is_(True)).order_by(Course.id))
        officers = db.session.scalar(select(func.count()).select_from(User).where(User.force_id == force.id))

        def assign():
            try:
                create_assignment(
                    actor=None,
                    force=force,
                    course_id=course.id,
                    scope="force",
                    due_on=today() + timedelta(days=30),
                )
                rollup.apply_pending(db.session)  # what the commit does first
            finally:
                db.session.rollback()

        def floor():
            ids = db.session.scalars(select(User.id).where(User.force_id == force.id)).all()
            t = OfficerTimeline
            for start in range(0, len(ids), 1000):
                db.session.execute(
                    select(t.user_id, t.deltas).where(t.user_id.in_(ids[start : start + 1000]))
                ).all()
            db.session.rollback()

        base = nd._timed(floor, args.runs)
        took = nd._timed(assign, args.runs)
        print(f"{db.engine.dialect.name}: {force.name}, {officers:,} officers; course {course.slug}")
        print(f"  read the officers and their timelines (floor)  {base * 1000:8.0f} ms")
        ratio = f"{took / base:5.1f}x floor"
        print(f"  whole-force assignment with the rollup refresh {took * 1000:8.0f} ms   {ratio}")
        print(f"  per officer                                    {took / officers * 1e6:8.0f} µs")


if __name__ == "__main__":
    main()
