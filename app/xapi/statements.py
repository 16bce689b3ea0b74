"""xAPI 1.0.3 statements: built from events, validated before they leave. Pure: no database."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITIES = "http://adlnet.gov/expapi/activities/"
NAMESPACE = uuid.UUID("4f1b0a52-1d4e-5b3a-9c0e-6a1f2e7d8c90")  # this platform's statement ids
VERBS = {
    "experienced": "experienced",
    "attempted": "attempted",
    "passed": "passed",
    "failed": "failed",
    "completed": "completed",
}
LanguageMap = dict[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")], str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Account(_Strict):
    homePage: AnyUrl  # noqa: N815 (xAPI's names)
    name: Annotated[str, Field(min_length=1)]


class Agent(_Strict):
    """An actor identified only by an account (one IFI: never an email or service number)."""

    objectType: Literal["Agent"] = "Agent"  # noqa: N815
    account: Account


class Verb(_Strict):
    id: AnyUrl
    display: LanguageMap


class Definition(_Strict):
    name: LanguageMap
    type: AnyUrl


class Activity(_Strict):
    objectType: Literal["Activity"] = "Activity"  # noqa: N815
    id: AnyUrl
    definition: Definition


class Score(_Strict):
    scaled: Annotated[float, Field(ge=-1, le=1)]
    raw: float | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _raw_within(self) -> Score:
        if self.raw is not None and self.min is not None and self.max is not None:
            if not (self.min <= self.raw <= self.max) or self.min >= self.max:
                raise ValueError("raw must lie between min and max (min < max)")
        return self


class Result(_Strict):
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None


class ContextActivities(_Strict):
    parent: list[Activity] = []


class Context(_Strict):
    registration: uuid.UUID | None = None
    platform: str | None = None
    language: str | None = None
    contextActivities: ContextActivities | None = None  # noqa: N815


class Statement(_Strict):
    id: uuid.UUID
    actor: Agent
    verb: Verb
    object: Activity
    result: Result | None = None
    context: Context | None = None
    timestamp: datetime
    version: Literal["1.0.3"] = VERSION

    @field_validator("timestamp")
    @classmethod
    def _zoned(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("timestamp must carry a time zone (ISO 8601)")
        return value


class InvalidStatementError(ValueError):
    """A statement that does not meet the xAPI 1.0.3 schema: never sent."""


def validate(statement: dict) -> dict:
    """Check a statement against the schema; return it, or raise InvalidStatementError."""
    try:
        Statement.model_validate(statement)
    except ValidationError as exc:
        raise InvalidStatementError(str(exc)) from exc
    return statement


def statement_id(event_key: str) -> str:
    """The statement's id, derived from its event: a resend is the same statement."""
    return str(uuid.uuid5(NAMESPACE, event_key))


def _activity(base: str, kind: str, slug: str, title: str, activity_type: str) -> dict:
    return {
        "objectType": "Activity",
        "id": f"{base}/xapi/activities/{kind}/{slug}",
        "definition": {"name": {"en-GB": title}, "type": ACTIVITIES + activity_type},
    }


def build(
    *,
    base: str,
    actor_name: str,
    verb: str,
    event_key: str,
    kind: str,
    slug: str,
    title: str,
    activity_type: str,
    at: datetime,
    score: tuple[float, float] | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    parent: tuple[str, str] | None = None,
) -> dict:
    """One statement. `actor_name` is an opaque id; `at` an aware datetime; score (raw, max)."""
    statement: dict = {
        "id": statement_id(event_key),
        "actor": {"objectType": "Agent", "account": {"homePage": base, "name": actor_name}},
        "verb": {"id": ADL + VERBS[verb], "display": {"en-GB": verb}},
        "object": _activity(base, kind, slug, title, activity_type),
        "timestamp": at.isoformat().replace("+00:00", "Z"),
        "version": VERSION,
    }
    result: dict = {}
    if score is not None:
        raw, top = score
        result["score"] = {"scaled": round(raw / top, 4) if top else 0.0, "raw": raw, "min": 0, "max": top}
    if success is not None:
        result["success"] = success
    if completion is not None:
        result["completion"] = completion
    if result:
        statement["result"] = result
    context: dict = {"platform": "Modern slavery training", "language": "en-GB"}
    if parent is not None:
        context["contextActivities"] = {
            "parent": [_activity(base, "courses", parent[0], parent[1], "course")]
        }
    statement["context"] = context
    return validate(statement)
