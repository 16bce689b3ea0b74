"""Quiz attempts, per-question answers, per-officer module results, confidence, item rollups."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class Attempt(db.Model):
    """One quiz attempt; the drawn questions and seed are fixed at start, immutable once submitted."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    number: Mapped[int]
    seed: Mapped[int]
    question_keys: Mapped[list] = mapped_column(JSON)
    saved_answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # The interface language it was taken in (app.i18n); None for attempts before languages.
    language: Mapped[str | None] = mapped_column(String(5))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]

    answers: Mapped[list["AttemptAnswer"]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position"
    )


class AttemptAnswer(db.Model):
    """The answer to one question of a submitted attempt, with its score (for item analysis)."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    answer: Mapped[object] = mapped_column(JSON, nullable=True)
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


# The covering indexes' extra columns (migration 0028 repeats them: migrations stay frozen).
MODULE_FIGURE_COLUMNS = (
    "module_id",
    "team_id",
    "first_attempt_at",
    "passed_at",
    "first_attempt_passed",
    "attempts_to_pass",
    "best_percent",
    "best_at",
    "record_key",
)
CONFIDENCE_GAIN_COLUMNS = ("module_id", "rated_at", "rating", "before_rating", "record_key")
CONFIDENCE_GAIN_ROWS = "stage = 'after' AND before_rating IS NOT NULL"


class ModuleResult(db.Model):
    """Per officer per module summary kept up to date on submit, so metrics never scan attempts."""

    __tablename__ = "module_results"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id"),
        # The adoption figures' module statements read every column they need from this index in
        # force and officer order (index-only on PostgreSQL; migration 0028, docs/benchmarks.md).
        Index(
            "ix_module_results_force_id_user_id",
            "force_id",
            "user_id",
            postgresql_include=MODULE_FIGURE_COLUMNS,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    # Where the first attempt was sat; never rewritten when the officer moves (migration 0010).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    best_percent: Mapped[float] = mapped_column(Float, default=0.0)
    best_attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"))
    first_attempt_at: Mapped[datetime | None]
    passed_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts_to_pass: Mapped[int | None]
    first_attempt_passed: Mapped[bool] = mapped_column(default=False)
    best_at: Mapped[datetime | None]  # when the best attempt was submitted
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The officer's record key (users.record_key, fixed), copied so the figures need not join
    # users; set on insert (below).
    record_key: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")


class ConfidenceRating(db.Model):
    """An officer's confidence (1-5) in a module's objectives, before starting or after passing."""

    __tablename__ = "confidence_ratings"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "stage"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("stage IN ('before', 'after')", name="stage_value"),
        # The confidence gain's statement (an 'after' row with its 'before' rating) read from this
        # index alone, in force and officer order (migration 0028).
        Index(
            "ix_confidence_ratings_gains",
            "force_id",
            "user_id",
            postgresql_include=CONFIDENCE_GAIN_COLUMNS,
            postgresql_where=text(CONFIDENCE_GAIN_ROWS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    rating: Mapped[int]
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Copies the figures read without joins, kept by the events below: the officer's record key,
    # and on an 'after' row the same module's 'before' rating (NULL when none was given).
    record_key: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    before_rating: Mapped[int | None]


class QuestionStat(db.Model):
    """Additive item-analysis sums per question, force and month of the first attempt's
    submission (first attempts only), updated on submit. month is NULL for sums written before
    migration 0010, which had no month (counted only by reports without a start date)."""

    __tablename__ = "question_stats"
    __table_args__ = (UniqueConstraint("module_id", "question_key", "force_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(120))
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    month: Mapped[str | None] = mapped_column(String(7))  # 'YYYY-MM' (UTC)
    n: Mapped[int] = mapped_column(default=0)
    sum_x: Mapped[float] = mapped_column(Float, default=0.0)
    sum_x2: Mapped[float] = mapped_column(Float, default=0.0)
    sum_y: Mapped[float] = mapped_column(Float, default=0.0)
    sum_y2: Mapped[float] = mapped_column(Float, default=0.0)
    sum_xy: Mapped[float] = mapped_column(Float, default=0.0)
    max_points: Mapped[float] = mapped_column(Float, default=1.0)


# --- the copies on event rows (migration 0026) ---------------------------------------------------


def _record_key(connection, user_id: int) -> int:
    from app.auth.models import User  # noqa: PLC0415 (auth imports nothing from here; avoid a cycle)

    return connection.scalar(select(User.record_key).where(User.id == user_id)) or 0


@event.listens_for(ModuleResult, "before_insert")
def _result_record_key(_mapper, connection, target: ModuleResult) -> None:
    target.record_key = _record_key(connection, target.user_id)


@event.listens_for(ConfidenceRating, "before_insert")
@event.listens_for(ConfidenceRating, "before_update")
def _rating_copies(_mapper, connection, target: ConfidenceRating) -> None:
    target.record_key = _record_key(connection, target.user_id)
    if target.stage == "after":
        table = ConfidenceRating.__table__
        target.before_rating = connection.scalar(
            select(table.c.rating).where(
                table.c.user_id == target.user_id,
                table.c.module_id == target.module_id,
                table.c.stage == "before",
            )
        )
    else:
        target.before_rating = None


def _copy_before(connection, target: ConfidenceRating, rating: int | None) -> None:
    """A 'before' rating written (or removed) after the 'after' one: the 'after' row's copy follows."""
    if target.stage != "before":
        return
    table = ConfidenceRating.__table__
    connection.execute(
        table.update()
        .where(
            table.c.user_id == target.user_id,
            table.c.module_id == target.module_id,
            table.c.stage == "after",
        )
        .values(before_rating=rating)
    )


@event.listens_for(ConfidenceRating, "after_insert")
@event.listens_for(ConfidenceRating, "after_update")
def _before_written(_mapper, connection, target: ConfidenceRating) -> None:
    _copy_before(connection, target, target.rating)


@event.listens_for(ConfidenceRating, "after_delete")
def _before_deleted(_mapper, connection, target: ConfidenceRating) -> None:
    _copy_before(connection, target, None)
