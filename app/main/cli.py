"""`flask demo load`: demo data for trying the platform."""

import click

from app.extensions import db


def register(app) -> None:
    """Add the `demo` command group."""

    @app.cli.group("demo")
    def demo():
        """Demonstration data."""

    @demo.command("load")
    def load():
        """Create demo teams and one user per role (idempotent) and print the logins."""
        from app.demo import DEMO_PASSWORD, load_demo

        logins = load_demo()
        from app import FEATURES, _feature_module

        for feature in FEATURES:  # each feature may add its own demo data (app/<feature>/demo.py)
            module = _feature_module(feature, "demo")
            if module is not None:
                module.load()
        db.session.commit()
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, role in logins:
            click.echo(f"  {role:<14} {email}")
