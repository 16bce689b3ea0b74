"""`flask demo load` (demo data for trying the platform) and `flask demo generate` (synthetic
national data at a chosen size, for benchmarks)."""

import time

import click
from flask.cli import AppGroup

from app.demo.synthetic import generate_national
from app.extensions import db

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
@click.option(
    "--scale",
    type=click.Choice(["demo", "sample", "national"]),
    default="demo",
    show_default=True,
    help="sample also generates synthetic officers across every UK force (about 4,000, with "
    "12 months of quiz attempts and certificates: what `make run` loads, so the dashboards "
    "have figures to show); national about 200,000 officers and 2,000,000 attempts over 24 "
    "months. Synthetic data is generated once: a second load adds none.",
)
def load(scale):
    """Create demo teams and one user per role (idempotent) and print the logins."""
    from app.demo import assignments as assignments_demo
    from app.demo import content as content_demo
    from app.demo.users import DEMO_PASSWORD, load_demo

    logins = load_demo()

    for module in (content_demo, assignments_demo):  # the features' own demo data, in order
        module.load()
    db.session.commit()
    if scale != "demo":
        _synthetic(*SCALES[scale])
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role in logins:
        click.echo(f"  {role:<14} {email}")


@demo_cli.command("generate")
@click.option(
    "--officers",
    type=click.IntRange(min=50),
    default=200_000,
    show_default=True,
    help="Officers in all, shared between forces by headcount.",
)
@click.option(
    "--months",
    type=click.IntRange(min=1, max=120),
    default=24,
    show_default=True,
    help="Months of activity up to today.",
)
@click.option(
    "--attempts-per-officer",
    type=click.FloatRange(min=1),
    default=10.0,
    show_default=True,
    help="Average quiz attempts per officer.",
)
@click.option("--seed", type=int, default=2026, show_default=True)
def generate(officers, months, attempts_per_officer, seed):
    """Bulk-insert synthetic officers, attempts, results and certificates for every force."""
    started = time.perf_counter()
    try:
        with click.progressbar(length=officers, label="Generating officers", show_pos=True) as bar:
            counts = generate_national(
                officers, months, bar.update, attempts_per_officer=attempts_per_officer, seed=seed
            )
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Done in {time.perf_counter() - started:.0f} s:")
    for table, count in counts.items():
        click.echo(f"  {table:<20} {count:>10,}")


def register(app) -> None:
    """Add `flask demo`."""
    app.cli.add_command(demo_cli)


NATIONAL_OFFICERS = 200_000
SAMPLE_OFFICERS = 4_000
SCALES = {"sample": ("SAMPLE_OFFICERS", 12), "national": ("NATIONAL_OFFICERS", 24)}


def _synthetic(size_name: str, months: int) -> None:
    """Synthetic officers (app.demo.synthetic) with a progress bar, unless some exist already."""
    from sqlalchemy import func, select

    from app.auth.models import User

    officers = globals()[size_name]  # read at call time, so tests can make it small
    existing = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("scale.%")))
    if existing:
        click.echo(f"Synthetic data already loaded ({existing:,} officers): none added.")
        return
    started = time.perf_counter()
    try:
        with click.progressbar(
            length=officers, label="Generating officers", show_pos=True, show_eta=True
        ) as bar:
            counts = generate_national(officers=officers, months=months, progress=bar.update)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Synthetic data generated in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items())
    )
