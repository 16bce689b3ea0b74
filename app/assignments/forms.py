"""Forms for assigning courses, changing due dates and withdrawing."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

SCOPE_CHOICES = [
    ("force", "The whole force (including officers who join later)"),
    ("teams", "One or more teams (including officers who join them later)"),
    ("officers", "Individual officers"),
]


class CheckboxesField(SelectMultipleField):
    """Multiple choice as checkboxes; choices are checked by the service, not here."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(FlaskForm):
    """A new assignment; course, team and officer choices are filled in by the view."""

    course_id = SelectField(
        "Course", coerce=str, validators=[DataRequired("Choose a course")], validate_choice=False
    )
    scope = RadioField(
        "Who must complete it",
        choices=SCOPE_CHOICES,
        validators=[DataRequired("Choose who the course is for")],
    )
    team_ids = CheckboxesField("Teams", coerce=str, validate_choice=False)
    user_ids = SelectMultipleField("Officers", coerce=str, validate_choice=False)
    service_numbers = TextAreaField(
        "Service numbers or email addresses", validators=[Optional(), Length(max=20_000)]
    )
    due_on = DateField("Due date", validators=[DataRequired("Enter a real due date, for example 2026-03-31")])
    message = TextAreaField("Message to officers (optional)", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Assign course")


class DueDateForm(FlaskForm):
    """A new due date for an assignment."""

    due_on = DateField(
        "New due date", validators=[DataRequired("Enter a real due date, for example 2026-03-31")]
    )
    submit = SubmitField("Change due date")


class WithdrawForm(FlaskForm):
    """Withdraw an assignment, with an optional reason for the audit log."""

    reason = StringField("Reason (optional, kept in the audit log)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Withdraw assignment")
