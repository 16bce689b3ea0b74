"""What the API accepts and returns (marshmallow), so the OpenAPI description is exact."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.scopes import MAX_PER_PAGE
from app.bounds import FIRST_DATE, LAST_DATE
from app.metrics.definitions import METRIC_DEFINITIONS


class CompletionsArgs(Schema):
    """Filter by the date a course was completed (both ends included), and page."""

    completed_from = fields.Date(load_default=None, metadata={"description": "YYYY-MM-DD, included"})
    completed_to = fields.Date(load_default=None, metadata={"description": "YYYY-MM-DD, included"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        since, until = data.get("completed_from"), data.get("completed_to")
        if since and until and since > until:
            raise ValidationError("completed_from must not be after completed_to.", "completed_from")


class Officer(Schema):
    service_number = fields.String(metadata={"description": "As held when the certificate was issued"})
    name = fields.String()


class Course(Schema):
    slug = fields.String()
    title = fields.String()
    version = fields.String()


class Completion(Schema):
    """One completed course: the certificate and its status today."""

    serial = fields.String()
    officer = fields.Nested(Officer)
    course = fields.Nested(Course)
    cycle = fields.Integer(metadata={"description": "1 for the first completion, 2 for the next…"})
    completed_at = fields.DateTime()
    expires_on = fields.Date(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.String(
        validate=validate.OneOf(["valid", "expiring", "expired", "revoked"]),
        metadata={"description": "valid, expiring (recertification due soon), expired or revoked"},
    )


class CompletionsPage(Schema):
    items = fields.List(fields.Nested(Completion))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class NationalArgs(Schema):
    """The national report's filters, as on the commissioner's national page and its CSV."""

    date_from = fields.Date(load_default=None, metadata={"description": "YYYY-MM-DD, included"})
    date_to = fields.Date(load_default=None, metadata={"description": "YYYY-MM-DD, included; default today"})
    course = fields.String(
        load_default="", validate=validate.Length(max=80), metadata={"description": "slug"}
    )
    nation = fields.String(load_default="", validate=validate.Length(max=40))
    force_type = fields.String(load_default="", validate=validate.Length(max=40))

    @validates_schema
    def _dates_in_range_and_order(self, data, **kwargs):
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not FIRST_DATE <= day <= LAST_DATE:
                raise ValidationError(f"Enter a date between {FIRST_DATE} and {LAST_DATE}.", name)
        since, until = data.get("date_from"), data.get("date_to")
        if since and until and since > until:
            raise ValidationError("date_from must not be after date_to.", "date_from")


_FIGURE = 'a whole number, a fraction for a rate, "[c]" when withheld, or null when unknown'
NationalRow = Schema.from_dict(
    {
        d.csv_header: fields.Raw(allow_none=True, metadata={"description": f"{d.label}: {_FIGURE}"})
        for d in METRIC_DEFINITIONS
    },
    name="NationalRow",
)


class NationalMonth(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    completions = fields.Raw(metadata={"description": 'officers completing in the month, or "[c]"'})
    cumulative = fields.Raw(metadata={"description": 'officers ever completed by its end, or "[c]"'})
    uptake = fields.Raw(allow_none=True, metadata={"description": 'cumulative / officer figure, or "[c]"'})
    partial = fields.Boolean(
        metadata={"description": "true for the month the period ends in: a count so far"}
    )


class NationalFigures(Schema):
    """The commissioner's national table as published: disclosure control applied to every count."""

    status = fields.String(metadata={"description": "always provisional: live figures can change"})
    methodology_version = fields.String()
    calculated_at = fields.DateTime()
    period_from = fields.Date(allow_none=True)
    period_to = fields.Date()
    course = fields.String(allow_none=True)
    nation = fields.String(allow_none=True)
    force_type = fields.String(allow_none=True)
    forces = fields.List(fields.Nested(NationalRow))
    totals = fields.Nested(NationalRow)
    months = fields.List(fields.Nested(NationalMonth))
