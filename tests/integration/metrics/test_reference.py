"""The content the metrics refer to, read whole in two statements (app.metrics.reference)."""

from app.metrics import reference
from tests.factories import CourseModuleFactory, ModuleFactory, ModuleVersionFactory, make_course


def test_modules_of_a_course_their_titles_and_their_order_in_the_courses(database):
    first = make_course(n_modules=2, questions=1, lessons=1)
    second = make_course(n_modules=1, questions=1, lessons=1)
    a, b = (cm.module for cm in sorted(first.course_modules, key=lambda cm: cm.position))
    [c] = second.modules
    # c is also the first module of the first course; b also sits first in the second course.
    CourseModuleFactory(course=first, module=c, position=-1)
    CourseModuleFactory(course=second, module=b, position=-1)
    CourseModuleFactory(course=make_course(n_modules=0), module=b, position=5)  # not its lowest
    unversioned = ModuleFactory(slug="no-version-yet")
    database.session.flush()

    assert reference.module_ids(first.id) == sorted([a.id, b.id, c.id])
    assert reference.module_ids(second.id) == sorted([b.id, c.id])
    assert reference.module_ids(None) == sorted([a.id, b.id, c.id])  # every course's
    # Ordered by the lowest course id holding them, then their lowest position in any course.
    assert reference.module_order([a.id, b.id, c.id, unversioned.id]) == [b.id, c.id, a.id]

    titles = reference.module_titles([a.id, unversioned.id, 10**9])
    assert titles == {
        a.id: (a.slug, a.current_version.title),
        unversioned.id: ("no-version-yet", "no-version-yet"),  # no title yet: its slug
    }


def test_every_version_is_listed_in_id_order_for_the_question_catalogue(database):
    course = make_course(n_modules=2, questions=1, lessons=1)
    first, second = course.modules
    older = [first.current_version, second.current_version]
    newer = ModuleVersionFactory(module=first, number=2)  # becomes the current version
    database.session.flush()

    versions = reference.modules().versions
    ids = [row[0] for row in versions]
    assert ids == sorted(ids)
    assert {v.id for v in (*older, newer)} <= set(ids)
    assert (newer.id, newer.content_hash, newer.created_at) in versions
    assert reference.module_titles([first.id])[first.id] == (first.slug, newer.title)
