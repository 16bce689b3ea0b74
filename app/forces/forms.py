"""Forms for force headcounts and teams."""

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


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
    headcount_as_of = DateField("As of", validators=[Optional()])
    headcount_source = StringField(
        "Source", validators=[DataRequired("Say where the figure comes from"), Length(max=500)]
    )
    submit = SubmitField("Save headcount")


class TeamForm(FlaskForm):
    """A new team."""

    name = StringField("Team name", validators=[DataRequired("Enter the team's name"), Length(max=120)])
    submit = SubmitField("Add team")
