"""What the API accepts and returns (marshmallow), so the OpenAPI description is exact."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.scopes import MAX_PER_PAGE


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
