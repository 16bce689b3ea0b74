"""factory_boy factories for the foundation models; feature tests add their own beside them."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.workforce import default_for_role
from app.extensions import db
from app.forces.models import Force, Team
from app.roles import Role

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
    headcount_measure = "headcount"
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
    # As the migration, the admin form and the CLI decide it when none is given.
    workforce_type = factory.LazyAttribute(lambda o: default_for_role(o.role).value)
    force = factory.SubFactory(ForceFactory)
    team = None
    password_hash = _HASH
    active = True


# Content, built directly (tests that need real Markdown use the content sync instead).
from app.content.models import Course, CourseModule, Lesson, Module, ModuleVersion, Question  # noqa: E402


class ModuleFactory(_Base):
    class Meta:
        model = Module

    slug = factory.Sequence(lambda n: f"module-{n}")
    published = True


class ModuleVersionFactory(_Base):
    class Meta:
        model = ModuleVersion

    module = factory.SubFactory(ModuleFactory)
    number = 1
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    title = factory.Sequence(lambda n: f"Module {n}")
    summary = "A test module."
    estimated_minutes = 20
    pass_mark = 80
    objectives = factory.LazyFunction(lambda: ["Spot the signs", "Refer to the NRM"])
    sources = factory.LazyFunction(lambda: [{"title": "Modern Slavery Act 2015", "url": None}])
    intro_html = "<p>Introduction.</p>"
    quiz_settings = factory.LazyFunction(
        lambda: {
            "questions_per_attempt": None,
            "attempts_allowed": 0,
            "cooldown_minutes": 30,
            "show_feedback": True,
            "include": [],
        }
    )

    @factory.post_generation
    def make_current(self, create, extracted, **kwargs):
        if extracted is not False:
            self.module.current_version = self


class LessonFactory(_Base):
    class Meta:
        model = Lesson

    module_version = factory.SubFactory(ModuleVersionFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    html = "<p>Lesson text.</p>"
    content_warning = None


def _single_options():
    return [
        {
            "key": "a",
            "html": "<p>Safeguard and refer</p>",
            "correct": True,
            "feedback_html": "<p>Right: safeguard first (MSA 2015 s.52).</p>",
        },
        {
            "key": "b",
            "html": "<p>Take no action</p>",
            "correct": False,
            "feedback_html": "<p>No: victims rarely self-identify.</p>",
        },
        {
            "key": "c",
            "html": "<p>Arrest everyone</p>",
            "correct": False,
            "feedback_html": "<p>No: the person may be a victim (s.45).</p>",
        },
    ]


class QuestionFactory(_Base):
    class Meta:
        model = Question

    module_version = factory.SubFactory(ModuleVersionFactory)
    key = factory.Sequence(lambda n: f"q-{n}")
    position = factory.Sequence(lambda n: n)
    type = "single"
    points = 1.0
    scenario_html = "<p>You stop a van at 5 a.m.</p>"
    tags = factory.LazyFunction(lambda: ["situational-indicators"])
    options = factory.LazyFunction(_single_options)


class CourseFactory(_Base):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    audience = "Frontline officers"
    description = "A test course."
    certificate_valid_months = 12
    content_hash = factory.Sequence(lambda n: f"c{n:063x}")
    version = 1


class CourseModuleFactory(_Base):
    class Meta:
        model = CourseModule

    course = factory.SubFactory(CourseFactory)
    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n)


def make_course(n_modules: int = 2, questions: int = 2, lessons: int = 2, **course_kwargs):
    """A published course of n modules, each with a current version, lessons and questions."""
    course = CourseFactory(**course_kwargs)
    for position in range(n_modules):
        version = ModuleVersionFactory()
        for number in range(1, lessons + 1):
            LessonFactory(module_version=version, number=number)
        for index in range(questions):
            QuestionFactory(module_version=version, position=index)
        CourseModuleFactory(course=course, module=version.module, position=position)
    db.session.flush()
    return course
