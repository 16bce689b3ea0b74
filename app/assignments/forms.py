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
from wtforms.validators import DataRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.clock import today

SCOPE_CHOICES = [
    ("force", "Whole force"),
    ("teams", "Teams"),
    ("officers", "Named officers"),
]
DATE_EXAMPLE = "for example 31 3 2027"


class CheckboxesField(SelectMultipleField):
    """Multiple choice as checkboxes; choices are checked by the service, not here."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def only_for_scope(scope: str):
    """Validate the field only when this scope is chosen; otherwise its value is ignored."""

    def check(form, field):
        if form.scope.data != scope:
            field.errors[:] = []
            raise StopValidation()

    return check


def due_date(missing: str, invalid: str):
    """A due date given as day, month and year: present, real, and not in the past."""

    def check(form, field):
        if field.data is None:
            field.errors[:] = []
            if not any((v or "").strip() for v in field.raw_data or []):
                raise StopValidation(f"{missing}, {DATE_EXAMPLE}")
            raise StopValidation(f"{invalid}, {DATE_EXAMPLE}")
        if field.data < today():
            raise StopValidation("The due date must be today or in the future.")

    return check


def _one_team(form, field):
    if not field.data:
        raise StopValidation("Choose at least one team")


def _some_officers(form, field):
    if not (field.data or "").strip() and not (form.add_officer.data or "").strip():
        raise StopValidation("Enter at least one service number or email address")


class AssignmentForm(FlaskForm):
    """A new assignment; course and team choices are filled in by the view, named officers are
    resolved by it (teams and officers are validated only when their scope is chosen)."""

    course_id = SelectField(
        "Course", coerce=str, validators=[DataRequired("Choose a course")], validate_choice=False
    )
    scope = RadioField(
        "Who must complete it",
        choices=SCOPE_CHOICES,
        validators=[DataRequired("Choose who the course is for")],
    )
    team_ids = CheckboxesField(
        "Teams", coerce=str, validate_choice=False, validators=[only_for_scope("teams"), _one_team]
    )
    service_numbers = TextAreaField(
        "Service numbers or email addresses, one per line",
        validators=[only_for_scope("officers"), Length(max=20_000), _some_officers],
    )
    add_officer = StringField(
        "Add an officer by name", validators=[only_for_scope("officers"), Length(max=200)]
    )
    due_on = DateField(
        "Due date",
        format="%d %m %Y",
        validators=[due_date("Enter a due date", "The due date must be a real date")],
    )
    message = TextAreaField("Message to officers (optional)", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Assign course")


class DueDateForm(FlaskForm):
    """A new due date for an assignment."""

    due_on = DateField(
        "New due date",
        format="%d %m %Y",
        validators=[due_date("Enter the new due date", "The new due date must be a real date")],
    )
    submit = SubmitField("Change due date")


class WithdrawForm(FlaskForm):
    """Withdraw an assignment, with an optional reason for the audit log."""

    reason = StringField("Reason (optional, kept in the audit log)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Withdraw assignment")
