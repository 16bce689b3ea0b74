"""Forms for force headcounts and teams."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

DATE_MESSAGE = "Enter the date as day, month and year, for example 31 3 2025"


def _optional_date(_form, field):
    """Three empty boxes mean no date; otherwise the date must be whole and real (a 4-digit year),
    with one message saying how to write it rather than WTForms' "Not a valid date value"."""
    parts = [(value or "").strip() for value in field.raw_data or []]
    if not any(parts):
        field.errors[:] = []
        field.data = None
        raise StopValidation()
    if field.errors or len(parts) != 3 or len(parts[2]) != 4:
        field.errors[:] = [DATE_MESSAGE]
        field.data = None
        raise StopValidation()


class HeadcountForm(FlaskForm):
    """A force's officer headcount; leave it empty when it is not known."""

    headcount = IntegerField(
        "Officer headcount",
        validators=[Optional(), NumberRange(min=1, max=100_000, message="Enter a number from 1 to 100,000")],
    )
    headcount_measure = SelectField(
        "Measure",
        choices=[
            ("", "Not stated"),
            ("headcount", "Headcount (people)"),
            ("fte", "FTE (full-time equivalent)"),
        ],
        validators=[Optional()],
    )
    headcount_as_of = DateField("As of", format="%d %m %Y", validators=[_optional_date])
    headcount_source = StringField(
        "Source", validators=[DataRequired("Say where the figure comes from"), Length(max=500)]
    )
    submit = SubmitField("Save headcount")


class TeamForm(FlaskForm):
    """A new team."""

    name = StringField("Team name", validators=[DataRequired("Enter the team's name"), Length(max=120)])
    submit = SubmitField("Add team")
