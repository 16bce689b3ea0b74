"""Quiz attempts, per-question answers, per-officer module results, confidence, item rollups."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, UniqueConstraint
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


class ModuleResult(db.Model):
    """Per officer per module summary kept up to date on submit, so metrics never scan attempts."""

    __tablename__ = "module_results"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
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


class ConfidenceRating(db.Model):
    """An officer's confidence (1-5) in a module's objectives, before starting or after passing."""

    __tablename__ = "confidence_ratings"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "stage"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("stage IN ('before', 'after')", name="stage_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    rating: Mapped[int]
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


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
