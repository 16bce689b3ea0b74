"""Forms for assigning courses, changing due dates and withdrawing."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
    ("force", _l("Whole force")),
    ("teams", _l("Teams")),
    ("officers", _l("Named officers")),
]


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
    """A due date given as day, month and year: present, real, and not in the past (the two
    messages end with an example date, "for example 31 3 2027")."""

    def check(form, field):
        if field.data is None:
            field.errors[:] = []
            if not any((v or "").strip() for v in field.raw_data or []):
                raise StopValidation(str(missing))
            raise StopValidation(str(invalid))
        if field.data < today():
            raise StopValidation(_("The due date must be today or in the future."))

    return check


def _one_team(form, field):
    if not field.data:
        raise StopValidation(_("Choose at least one team"))


def _some_officers(form, field):
    if not (field.data or "").strip() and not (form.add_officer.data or "").strip():
        raise StopValidation(_("Enter at least one service number or email address"))


class AssignmentForm(FlaskForm):
    """A new assignment; course and team choices are filled in by the view, named officers are
    resolved by it (teams and officers are validated only when their scope is chosen)."""

    course_id = SelectField(
        _l("Course"), coerce=str, validators=[DataRequired(_l("Choose a course"))], validate_choice=False
    )
    scope = RadioField(
        _l("Who must complete it"),
        choices=SCOPE_CHOICES,
        validators=[DataRequired(_l("Choose who the course is for"))],
    )
    team_ids = CheckboxesField(
        _l("Teams"), coerce=str, validate_choice=False, validators=[only_for_scope("teams"), _one_team]
    )
    service_numbers = TextAreaField(
        _l("Service numbers or email addresses, one per line"),
        validators=[only_for_scope("officers"), Length(max=20_000), _some_officers],
    )
    add_officer = StringField(
        _l("Add an officer by name"), validators=[only_for_scope("officers"), Length(max=200)]
    )
    due_on = DateField(
        _l("Due date"),
        format="%d %m %Y",
        validators=[
            due_date(
                _l("Enter a due date, for example 31 3 2027"),
                _l("The due date must be a real date, for example 31 3 2027"),
            )
        ],
    )
    message = TextAreaField(_l("Message to officers (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Assign course"))


class DueDateForm(FlaskForm):
    """A new due date for an assignment."""

    due_on = DateField(
        _l("New due date"),
        format="%d %m %Y",
        validators=[
            due_date(
                _l("Enter the new due date, for example 31 3 2027"),
                _l("The new due date must be a real date, for example 31 3 2027"),
            )
        ],
    )
    submit = SubmitField(_l("Change due date"))


class WithdrawForm(FlaskForm):
    """Withdraw an assignment, with an optional reason for the audit log."""

    reason = StringField(
        _l("Reason (optional, kept in the audit log)"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(_l("Withdraw assignment"))
