"""Routes of course delivery: catalogue, course, module and lesson pages."""

from tests.access.rules import ADMIN, LEAD, OFFICER, Route

READERS = frozenset({OFFICER, LEAD, ADMIN})

ROUTES = [
    Route("courses.catalogue", "/courses", READERS),
    Route("courses.course", "/courses/{course_slug}", READERS),
    Route("courses.module", "/modules/{module_slug}", READERS),
    Route("courses.lesson", "/modules/{module_slug}/lessons/1", READERS),
    Route(
        "courses.mark_read",
        "/modules/{module_slug}/lessons/1/read",
        frozenset({OFFICER, LEAD}),
        method="POST",
        ok=(302,),
    ),
]


def build(world: dict) -> None:
    """A published course with one module of two lessons."""
    from tests.factories import make_course

    course = make_course(n_modules=1, lessons=2, questions=1)
    world["course_slug"] = course.slug
    world["module_slug"] = course.modules[0].slug
