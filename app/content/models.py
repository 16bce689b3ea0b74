"""Synced content: modules and their immutable versions, lessons, questions, courses."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db


class Module(db.Model):
    """A module by slug; its versions hold the content, current_version is what new learners get."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_versions.id", use_alter=True, name="fk_modules_current_version")
    )
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    current_version: Mapped["ModuleVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class ModuleVersion(db.Model):
    """One immutable version of a module, identified by the hash of its files."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "content_hash"), UniqueConstraint("module_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    pass_mark: Mapped[int] = mapped_column(default=80)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    quiz_settings: Mapped[dict] = mapped_column(JSON, default=dict)
    version_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    lessons: Mapped[list["Lesson"]] = relationship(back_populates="module_version", order_by="Lesson.number")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="module_version", order_by="Question.position"
    )


class ModuleTranslation(db.Model):
    """A module version's text in another language (content/modules/<slug>/<language>/), rendered
    at sync. Question and option keys are the English ones, so an attempt is scored the same in
    either language. out_of_date names the files whose English changed since they were
    translated: those are shown in English (docs/welsh.md)."""

    __tablename__ = "module_translations"
    __table_args__ = (UniqueConstraint("module_version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    intro_html: Mapped[str] = mapped_column(Text, default="")
    # [{"number", "title", "content_warning", "html"}] for each translated lesson
    lessons: Mapped[list] = mapped_column(JSON, default=list)
    # {question key: {"scenario_html", "options": {option key: {"html", "feedback_html"}}}}
    questions: Mapped[dict] = mapped_column(JSON, default=dict)
    out_of_date: Mapped[list] = mapped_column(JSON, default=list)  # file names
    # Any of its files says `translation: machine-drafted`: not yet checked by a speaker.
    machine_drafted: Mapped[bool] = mapped_column(default=False)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Lesson(db.Model):
    """A lesson of a module version, with its sanitised HTML rendered at sync time."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("module_version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    number: Mapped[int]
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    html: Mapped[str] = mapped_column(Text)
    content_warning: Mapped[str | None] = mapped_column(Text)
    # Review metadata, outside the version hash: each sync sets them from the lesson's front
    # matter, so a new review date or source never makes a new version (docs/authoring.md).
    reviewed_on: Mapped[date | None]
    sources: Mapped[list | None] = mapped_column(JSON)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="lessons")


class Question(db.Model):
    """A quiz question of a module version; options hold correctness and feedback (sent late)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("module_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(String(20))
    points: Mapped[float] = mapped_column(default=1.0)
    scenario_html: Mapped[str] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # [{"key": "a", "html": "...", "correct": true, "feedback_html": "..."}] in authored order.
    options: Mapped[list] = mapped_column(JSON, default=list)
    source_module: Mapped[str] = mapped_column(String(80), default="")

    module_version: Mapped[ModuleVersion] = relationship(back_populates="questions")


class Course(db.Model):
    """A course: an ordered list of modules, optionally with a certificate validity period."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    certificate_valid_months: Mapped[int | None]
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course_modules: Mapped[list["CourseModule"]] = relationship(
        back_populates="course", order_by="CourseModule.position", cascade="all, delete-orphan"
    )

    @property
    def modules(self) -> list[Module]:
        """The course's modules in order."""
        return [cm.module for cm in self.course_modules]


class CourseTranslation(db.Model):
    """A course's title, audience and description in another language (content/<language>/
    courses.yml). Not in the course's hash: a translation gives the course no new version.
    out_of_date: the English has changed since it was translated, so the English is shown."""

    __tablename__ = "course_translations"
    __table_args__ = (UniqueConstraint("course_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    source_hash: Mapped[str] = mapped_column(String(16))
    out_of_date: Mapped[bool] = mapped_column(default=False)
    # The file says `translation: machine-drafted`: not yet checked by a speaker.
    machine_drafted: Mapped[bool] = mapped_column(default=False)
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped["Course"] = relationship()


class CourseModule(db.Model):
    """A module's place in a course."""

    __tablename__ = "course_modules"
    __table_args__ = (UniqueConstraint("course_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    position: Mapped[int]

    module: Mapped[Module] = relationship()
    course: Mapped[Course] = relationship(back_populates="course_modules")
