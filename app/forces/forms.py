"""Forms for force headcounts and teams."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation

DATE_MESSAGE = _l("Enter the date as day, month and year, for example 31 3 2025")


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
        _l("Officer headcount"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Enter a number from 1 to 100,000")),
        ],
    )
    headcount_measure = SelectField(
        _l("Measure"),
        choices=[
            ("", _l("Not stated")),
            ("headcount", _l("Headcount (people)")),
            ("fte", _l("FTE (full-time equivalent)")),
        ],
        validators=[Optional()],
    )
    headcount_as_of = DateField(_l("As of"), format="%d %m %Y", validators=[_optional_date])
    headcount_source = StringField(
        _l("Source"), validators=[DataRequired(_l("Say where the figure comes from")), Length(max=500)]
    )
    submit = SubmitField(_l("Save headcount"))


class TeamForm(FlaskForm):
    """A new team."""

    name = StringField(
        _l("Team name"), validators=[DataRequired(_l("Enter the team's name")), Length(max=120)]
    )
    submit = SubmitField(_l("Add team"))
