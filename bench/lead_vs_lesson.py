"""Time the training lead's force dashboard against a lesson page and a bare endpoint, alone.

Run from the project root, on a database that `flask demo load` (or bench/load/run.py) filled:

    .venv/bin/python bench/lead_vs_lesson.py --url postgresql+psycopg://ci:ci@127.0.0.1:55432/msa_prof

Each request goes through the Flask test client in its own app context, as in production (the
session ends, and a request that only read commits: app/database.py). Prints the median of
--runs requests for each page, after 10 warm-ups, and the lead's dashboard as a multiple of the
lesson page (issue 14: no dearer than 3x, under load; bench/load/run.py measures that) and of
the bare endpoint (/healthz: one SELECT 1), the floor.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.auth.session_services import start_session  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of a database with the demo data")
    parser.add_argument("--lead", default="lead@demo.police.uk")
    parser.add_argument("--lesson", default="/modules/spotting-the-signs/lessons/1")
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    config = type(
        "BenchConfig",
        (TestingConfig,),
        {"SQLALCHEMY_DATABASE_URI": args.url, "SQLALCHEMY_ENGINE_OPTIONS": {}},
    )
    app = create_app(config)
    with app.app_context():
        lead = db.session.scalar(db.select(User).where(User.email == args.lead))
        if lead is None:
            sys.exit(f"no user {args.lead}: load the demo data first (flask demo load)")
        token = start_session(lead)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = token, True
    pages = {
        "bare endpoint (floor)": "/healthz",
        "lesson page": args.lesson,
        "lead's dashboard": "/metrics/force",
    }
    medians = {}
    for label, url in pages.items():
        for _ in range(10):
            status = client.get(url).status_code
            if status != 200:
                sys.exit(f"{url} answered {status}")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        medians[label] = statistics.median(times)
    floor, lesson, lead = medians.values()
    for label, median in medians.items():
        print(f"{label:24} median {median:6.1f} ms  ({median / floor:.1f}x the floor)")
    print(f"lead's dashboard / lesson page: {lead / lesson:.1f}x")


if __name__ == "__main__":
    main()
