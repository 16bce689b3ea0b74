"""The metrics filter form: read from the query string (GET), so no CSRF token is needed."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from app.bounds import FIRST_DATE, LAST_DATE
from app.formatting import uk_date


def _in_range(_form, field):
    """A date the period can use: one at the end of the calendar would overflow (a 500)."""
    if field.data and not FIRST_DATE <= field.data <= LAST_DATE:
        raise ValidationError(f"Enter a date between {uk_date(FIRST_DATE)} and {uk_date(LAST_DATE)}")


class FilterForm(FlaskForm):
    """Nation, force type, course and period; every field is optional."""

    class Meta:
        csrf = False

    nation = SelectField("Nation", choices=[("", "All nations")], default="")
    force_type = SelectField("Force type", choices=[("", "All force types")], default="")
    course = SelectField("Course", choices=[("", "All courses")], default="")
    date_from = DateField(
        "From", validators=[Optional(), _in_range], render_kw={"aria-describedby": "period-hint"}
    )
    date_to = DateField(
        "To", validators=[Optional(), _in_range], render_kw={"aria-describedby": "period-hint"}
    )
    submit = SubmitField("Apply filters")

    def validate_date_to(self, field):
        """The period must not end before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date must be on or after the start date")

    def set_choices(self, nations, force_types, courses) -> None:
        """Fill the select lists from the reference data."""
        self.nation.choices = [("", "All nations"), *((n, n) for n in nations)]
        self.force_type.choices = [("", "All force types"), *((t, t.capitalize()) for t in force_types)]
        self.course.choices = [("", "All courses"), *((c.slug, c.title) for c in courses)]
