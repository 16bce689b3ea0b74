"""How PostgreSQL plans the report's statements (queries.tune_for_reports).

The statements are prepared (a request that only read commits, app/database.py), so PostgreSQL may
reuse a generic plan. Figures across many forces always plan for their values (a generic plan was
up to a third slower nationally at 200,000 officers); one force's figures leave the choice to
PostgreSQL (the generic plan saves the planning and ran as fast at the largest forces).
"""

import pytest
from sqlalchemy import text

from app.extensions import db
from app.metrics import queries, services
from tests.factories import ForceFactory, TeamFactory


def _plan_mode() -> str:
    return db.session.execute(text("SHOW plan_cache_mode")).scalar()


@pytest.fixture
def forces(database):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("plan_cache_mode is PostgreSQL's")
    first, second = ForceFactory(), ForceFactory()
    TeamFactory(force=first)
    database.session.flush()
    return first, second


def _scope():
    return services.scope_for(services.Filters())[0]


def test_the_national_figures_plan_for_their_values(forces):
    queries.force_counts(_scope(), queries.force_groups(list(forces)), queries.Grouping())
    assert _plan_mode() == "force_custom_plan"


def test_some_forces_plan_for_their_values(forces):
    ids = tuple(force.id for force in forces)
    queries.force_counts(_scope(), queries.force_groups(list(forces)), queries.Grouping(force_ids=ids))
    assert _plan_mode() == "force_custom_plan"


def test_one_forces_figures_leave_the_plan_to_postgresql(forces):
    force, national = forces[0], queries.Grouping()
    [group] = queries.force_groups([force])
    everyone = queries.force_groups(list(forces))
    # Each call sets its own mode: the national figures run first each time, in the same
    # transaction, so "auto" is not merely PostgreSQL's default left alone.
    for one_force in (
        lambda: queries.force_and_team_counts(_scope(), group, queries.team_groups(force.id)),
        lambda: queries.force_counts(_scope(), [group], queries.Grouping(force_ids=(force.id,))),
        lambda: queries.force_counts(
            _scope(), queries.team_groups(force.id), queries.Grouping(team_force_id=force.id)
        ),
    ):
        queries.force_counts(_scope(), everyone, national)
        assert _plan_mode() == "force_custom_plan"
        one_force()
        assert _plan_mode() == "auto"
