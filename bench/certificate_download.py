"""Time certificate downloads through the app against WeasyPrint on its own, in one process.

Run from the project root: .venv/bin/python bench/certificate_download.py [runs]

Measured (medians; the five cases alternate within each round, so load from other processes hits
them alike):
  minimal   a one-line WeasyPrint document (WeasyPrint's fixed cost)
  floor     the certificate HTML rendered by WeasyPrint directly (render_certificate_pdf, no app)
  first     GET /certificates/<serial>/pdf with nothing stored: query, render, store, commit
  repeat    the same GET once the PDF is stored: the stored bytes are sent
  static    GET of a static file (css/certificate.css) by the same signed-in client
Targets (issue 6): first <= 1.25 x floor; repeat <= static.
The app runs on a SQLite file in a temporary folder, as `make run` does, with the signed-in
session a real user would have (so each request also loads the session, like the static file).
"""

import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import update  # noqa: E402
from weasyprint import HTML  # noqa: E402

from app import create_app  # noqa: E402
from app.certificates.models import Certificate  # noqa: E402
from app.certificates.pdf import _font_config, render_certificate_pdf  # noqa: E402
from app.certificates.serial import new_serial  # noqa: E402
from app.clock import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from config import Config  # noqa: E402


def build(folder: Path):
    """An app on a fresh SQLite file with one officer, one certificate and a signed-in client."""
    from app.auth.models import User
    from app.auth.session_services import start_session
    from app.certificates import services
    from app.content.models import Course
    from app.forces.models import Force

    config = type(
        "BenchConfig",
        (Config,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_BASE_URL": "https://msa-training.example.police.uk",
        },
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        force = Force(
            code="west-midlands",
            name="West Midlands Police",
            nation="England",
            type="territorial",
            headcount=6500,
        )
        user = User(
            email="siobhan@example.police.uk",
            name="Siobhán Ní Dhuibhir",
            service_number="PC 4471",
            force=force,
            role="officer",
        )
        course = Course(
            slug="awareness", title="Modern Slavery Awareness", version=2, certificate_valid_months=36
        )
        db.session.add_all([force, user, course])
        db.session.flush()
        titles = [
            "Recognising the signs",
            "Victim care and the National Referral Mechanism",
            "Investigating exploitation",
            "County lines and criminal exploitation",
            "Working with partners",
        ]
        certificate = Certificate(
            serial=new_serial(),
            user_id=user.id,
            course_id=course.id,
            force_id=force.id,
            holder_name=user.name,
            service_number=user.service_number,
            force_name=force.name,
            course_slug=course.slug,
            course_title=course.title,
            course_version="2",
            modules=[
                {"slug": f"m{i}", "title": t, "version": 1, "percent": p}
                for i, (t, p) in enumerate(zip(titles, [92, 85, 78, 100, 88], strict=True))
            ],
            issued_at=utcnow(),
            expires_on=services.add_months(utcnow().date(), 36),
        )
        db.session.add(certificate)
        token = start_session(user)
        db.session.commit()
        with app.test_request_context():
            data = services.certificate_data(certificate)
            url = services.verify_url(certificate.serial)
        serial = certificate.serial
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return app, client, serial, data, url


def timed(function) -> float:
    """Milliseconds taken by one call."""
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Warm up, then time every case alternately and print medians and the two target ratios."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print("command:", shlex.join([sys.executable, *sys.argv]))
    static = ROOT / "app" / "static"
    with tempfile.TemporaryDirectory() as folder:
        app, client, serial, data, url = build(Path(folder))
        pdf_url = f"/certificates/{serial}/pdf"

        def minimal():
            HTML(string="<p>x</p>").write_pdf(font_config=_font_config())

        def floor():
            render_certificate_pdf(data, url, static)

        def forget_pdf():
            with app.app_context():
                db.session.execute(update(Certificate).values(pdf=None))
                db.session.commit()

        def download():
            response = client.get(pdf_url)
            if response.status_code != 200 or not response.data.startswith(b"%PDF"):
                raise SystemExit(f"download failed: {response.status}")
            return response

        def static_file():
            response = client.get("/static/css/certificate.css")
            assert response.status_code == 200
            response.data  # noqa: B018 - read the body, as a download does
            response.close()

        for _ in range(3):
            minimal(), floor(), forget_pdf(), download(), download(), static_file()
        cases = {"minimal": [], "floor": [], "first": [], "repeat": [], "static": []}
        for _ in range(runs):
            cases["minimal"].append(timed(minimal))
            cases["floor"].append(timed(floor))
            forget_pdf()  # untimed: the next download must render
            cases["first"].append(timed(download))
            cases["repeat"].append(timed(download))
            cases["static"].append(timed(static_file))
        size = len(download().data)
    median = {name: statistics.median(values) for name, values in cases.items()}
    print(f"runs: {runs}  PDF size: {size} bytes")
    labels = {
        "minimal": "one-line WeasyPrint document",
        "floor": "certificate HTML by WeasyPrint (floor)",
        "first": "download, first (renders and stores)",
        "repeat": "download, repeated (stored bytes)",
        "static": "static file, same signed-in client",
    }
    for name, label in labels.items():
        p95 = statistics.quantiles(cases[name], n=20)[-1]
        print(f"{label:40} median {median[name]:7.2f} ms  p95 {p95:7.2f} ms")
    first_ratio = median["first"] / median["floor"]
    repeat_ratio = median["repeat"] / median["static"]
    print(
        f"first / floor:    {first_ratio:.2f}x  (target <= 1.25x) "
        f"{'met' if first_ratio <= 1.25 else 'MISSED'}"
    )
    print(
        f"repeat / static:  {repeat_ratio:.2f}x  (target <= 1.00x) "
        f"{'met' if repeat_ratio <= 1.0 else 'MISSED'}"
    )
    print(f"floor / minimal:  {median['floor'] / median['minimal']:.2f}x")


if __name__ == "__main__":
    main()
