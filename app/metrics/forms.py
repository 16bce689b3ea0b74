"""The metrics filter form: read from the query string (GET), so no CSRF token is needed."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional, StopValidation, ValidationError

from app.bounds import FIRST_DATE, LAST_DATE
from app.content.localised import course_text
from app.formatting import uk_date
from app.i18n import current_language


def _in_range(_form, field):
    """A date the period can use: one at the end of the calendar would overflow (a 500)."""
    if field.data and not FIRST_DATE <= field.data <= LAST_DATE:
        raise ValidationError(
            _(
                "Enter a date between %(first)s and %(last)s",
                first=uk_date(FIRST_DATE),
                last=uk_date(LAST_DATE),
            )
        )


# What a half-typed date lacks, per field: whole messages, so each reads naturally in Welsh.
_MISSING = {
    "start": {
        ("day",): _l("The start date must include a day"),
        ("month",): _l("The start date must include a month"),
        ("year",): _l("The start date must include a year"),
        ("day", "month"): _l("The start date must include a day and month"),
        ("day", "year"): _l("The start date must include a day and year"),
        ("month", "year"): _l("The start date must include a month and year"),
    },
    "end": {
        ("day",): _l("The end date must include a day"),
        ("month",): _l("The end date must include a month"),
        ("year",): _l("The end date must include a year"),
        ("day", "month"): _l("The end date must include a day and month"),
        ("day", "year"): _l("The end date must include a day and year"),
        ("month", "year"): _l("The end date must include a month and year"),
    },
}
_NOT_REAL = {
    "start": _l("Enter the start date as a real date, for example 1 4 2025"),
    "end": _l("Enter the end date as a real date, for example 1 4 2025"),
}


class PeriodDateField(DateField):
    """A date typed as day, month and year (three boxes of the same name, joined with spaces), or
    given as YYYY-MM-DD in a link (the sort and export links carry the period so). `what`:
    "start" or "end", which picks its error messages."""

    def __init__(self, label, what, **kwargs):
        self.what = what
        super().__init__(label, format=["%d %m %Y", "%Y-%m-%d"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_NOT_REAL[self.what])) from error


def _whole(_form, field):
    """Day, month and year all given, or none of them (then the date is left out)."""
    parts = [part.strip() for part in field.raw_data or []]
    if len(parts) == 3 and any(parts) and not all(parts):
        missing = tuple(name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part)
        field.errors[:] = []
        raise StopValidation(str(_MISSING[field.what][missing]))


class FilterForm(FlaskForm):
    """Nation, force type, course and period; every field is optional."""

    class Meta:
        csrf = False

    nation = SelectField(_l("Nation"), choices=[("", _l("All nations"))], default="")
    force_type = SelectField(_l("Force type"), choices=[("", _l("All force types"))], default="")
    course = SelectField(_l("Course"), choices=[("", _l("All courses"))], default="")
    date_from = PeriodDateField(_l("From"), "start", validators=[_whole, Optional(), _in_range])
    date_to = PeriodDateField(_l("To"), "end", validators=[_whole, Optional(), _in_range])
    submit = SubmitField(_l("Apply filters"))

    def validate_date_to(self, field):
        """The period must not end before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date must be on or after the start date"))

    def set_choices(self, nations, force_types, courses) -> None:
        """Fill the select lists from the reference data."""
        self.nation.choices = [("", _("All nations")), *((n, n) for n in nations)]
        self.force_type.choices = [("", _("All force types")), *((t, t.capitalize()) for t in force_types)]
        language = current_language()
        self.course.choices = [
            ("", _("All courses")),
            *((c.slug, str(course_text(c.title, language))) for c in courses),
        ]
