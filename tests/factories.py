"""factory_boy factories for the foundation models; feature tests add their own beside them."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.roles import Role
from app.extensions import db
from app.forces.models import Force, Team

PASSWORD = "a long test passphrase"
_HASH = hash_password(PASSWORD)  # hashed once: argon2id is deliberately slow


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class ForceFactory(_Base):
    class Meta:
        model = Force

    code = factory.Sequence(lambda n: f"force-{n}")
    name = factory.Sequence(lambda n: f"Test Force {n}")
    nation = "England"
    type = "territorial"
    headcount = 1000
    headcount_source = "test data"


class TeamFactory(_Base):
    class Meta:
        model = Team

    force = factory.SubFactory(ForceFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.police.uk")
    name = factory.Sequence(lambda n: f"Officer Number{n}")
    service_number = factory.Sequence(lambda n: f"SN{n:05d}")
    role = Role.OFFICER.value
    force = factory.SubFactory(ForceFactory)
    team = None
    password_hash = _HASH
    active = True
