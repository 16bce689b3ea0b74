"""`flask demo load`: demo data for trying the platform."""

import click

from app.extensions import db


def register(app) -> None:
    """Add the `demo` command group."""

    @app.cli.group("demo")
    def demo():
        """Demonstration data."""

    @demo.command("load")
    @click.option(
        "--scale",
        type=click.Choice(["demo", "national"]),
        default="demo",
        show_default=True,
        help="national also generates synthetic data for every UK force: about "
        "200,000 officers and 2,000,000 quiz attempts over 24 months.",
    )
    def load(scale):
        """Create demo teams and one user per role (idempotent) and print the logins."""
        from app.demo import DEMO_PASSWORD, load_demo

        logins = load_demo()
        from app.assignments import demo as assignments_demo
        from app.content import demo as content_demo

        for module in (content_demo, assignments_demo):  # the features' own demo data, in order
            module.load()
        db.session.commit()
        if scale == "national":
            _national()
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in logins:
            click.echo(f"  {role:<14} {email}")


NATIONAL_OFFICERS = 200_000


def _national() -> None:
    """Synthetic national-scale data (app.metrics.scale) with a progress bar."""
    import time

    from app.metrics.scale import generate_national

    started = time.perf_counter()
    try:
        with click.progressbar(
            length=NATIONAL_OFFICERS, label="Generating officers", show_pos=True, show_eta=True
        ) as bar:
            counts = generate_national(officers=NATIONAL_OFFICERS, months=24, progress=bar.update)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"National data generated in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{count:,} {table}" for table, count in counts.items())
    )
