"""The copies the figures read from event rows (migration 0026) stay equal to their sources:
a module result's and a rating's record key is its officer's, and an 'after' rating carries the
same module's 'before' rating, whichever order they are written in."""

from datetime import datetime

from sqlalchemy import select

from app.assessments.models import ConfidenceRating, ModuleResult
from app.extensions import db
from tests.factories import UserFactory, make_course


def _rating(user, module, stage, rating):
    row = ConfidenceRating(
        user_id=user.id,
        module_id=module.id,
        force_id=user.force_id,
        stage=stage,
        rating=rating,
        rated_at=datetime(2026, 1, 1),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _after_copy(user, module):
    return db.session.execute(
        select(ConfidenceRating.before_rating, ConfidenceRating.record_key).where(
            ConfidenceRating.user_id == user.id,
            ConfidenceRating.module_id == module.id,
            ConfidenceRating.stage == "after",
        )
    ).one()


def test_a_module_result_carries_its_officers_record_key(database):
    user = UserFactory(record_key=173)
    module = make_course(n_modules=1).modules[0]
    result = ModuleResult(
        user_id=user.id, module_id=module.id, force_id=user.force_id, attempts=1, best_percent=50.0
    )
    db.session.add(result)
    db.session.flush()
    assert db.session.scalar(select(ModuleResult.record_key).where(ModuleResult.id == result.id)) == 173


def test_an_after_rating_carries_the_before_rating_and_the_record_key(database):
    user = UserFactory(record_key=45)
    module = make_course(n_modules=1).modules[0]
    _rating(user, module, "before", 2)
    _rating(user, module, "after", 4)
    assert tuple(_after_copy(user, module)) == (2, 45)


def test_the_copy_follows_a_before_rating_written_or_changed_after_the_after_one(database):
    user = UserFactory(record_key=9)
    module = make_course(n_modules=1).modules[0]
    _rating(user, module, "after", 5)
    assert tuple(_after_copy(user, module)) == (None, 9)  # no 'before' yet: no gain to count
    before = _rating(user, module, "before", 1)
    assert tuple(_after_copy(user, module)) == (1, 9)
    before.rating = 3
    db.session.flush()
    assert tuple(_after_copy(user, module)) == (3, 9)
    db.session.delete(before)
    db.session.flush()
    assert tuple(_after_copy(user, module)) == (None, 9)


def test_a_before_rating_never_carries_a_copy_and_other_modules_are_untouched(database):
    user = UserFactory()
    first, second = make_course(n_modules=2).modules
    _rating(user, second, "after", 5)
    before = _rating(user, first, "before", 2)
    assert before.before_rating is None
    assert _after_copy(user, second).before_rating is None
