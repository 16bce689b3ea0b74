"""Forms for signing in and administering users."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.validators import Email as _Email

from app.auth.workforce import workforce_choices
from app.roles import ROLE_LABELS


class Email(_Email):
    """WTForms' Email check, refusing an address longer than any valid one (254 characters, RFC
    5321) before email_validator reads it: its parser walks the text character by character, so a
    megabyte posted to a public form cost a quarter of a second (seconds under coverage). Same
    message as any other invalid address; the Length check beside it adds its own as before."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and len(field.data) > 254:
            raise ValidationError(self.message or field.gettext("Invalid email address."))
        return super().__call__(form, field)


def _strip(value: str | None) -> str | None:
    """Surrounding spaces (a pasted address) are not part of an email address."""
    return value.strip() if isinstance(value, str) else value


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        _l("Email address"), validators=[DataRequired(_l("Enter your email address")), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=256)]
    )
    submit = SubmitField(_l("Sign in"))


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for POST buttons."""

    submit = SubmitField("Confirm")


def role_choices() -> list[tuple[str, str]]:
    """Role options for select fields."""
    return [(role.value, _l(label)) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    """Create or edit a user; force and team choices are filled in by the view."""

    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the person's name")), Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter an email address")),
            Email(_l("Enter a valid email address")),
            Length(max=254),
        ],
    )
    service_number = StringField(_l("Service number"), validators=[Optional(), Length(max=40)])
    role = SelectField(_l("Role"), choices=role_choices())
    workforce_type = SelectField(
        _l("Workforce type"),
        choices=[("", _l("From the role: police officer for an officer, police staff otherwise"))]
        + [(value, _l(label)) for value, label in workforce_choices()],
        default="",
    )
    force_id = SelectField(_l("Force"), coerce=str, validators=[Optional()])
    team_id = SelectField(_l("Team"), coerce=str, validators=[Optional()])
    password = PasswordField(_l("Initial password (optional)"), validators=[Optional(), Length(max=256)])
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    """An officer CSV upload."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file")),
            FileAllowed(["csv", "txt"], _l("The file must be a CSV")),
        ],
    )
    invite = BooleanField(
        _l("Email an invitation to each imported officer, so they can choose their own password")
    )
    submit = SubmitField(_l("Import officers"))


class ImportConfirmForm(FlaskForm):
    """The second step of an import that would create teams: the file (as it was uploaded, base64)
    and the teams the admin was shown, sent back to import them. Every row is checked again."""

    pending = HiddenField(validators=[DataRequired(), Length(max=8 * 1024 * 1024)])
    teams = HiddenField()  # JSON: [[force code, team name], ...]
    invite = HiddenField()
    confirm = SubmitField(_l("Import and create these teams"))


class PasswordForm(FlaskForm):
    """Set a new password."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password")), Length(max=256)]
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(FlaskForm):
    """Change your own password: the current one, then the new one."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password")), Length(max=256)]
    )
    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password")), Length(max=256)]
    )
    submit = SubmitField(_l("Change password"))


class SetPasswordForm(FlaskForm):
    """Choose a password through an invitation or reset link: typed twice."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Enter a new password")), Length(max=256)]
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(_l("Type the new password again")),
            EqualTo("password", _l("The two passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Set password"))


class ForgotPasswordForm(FlaskForm):
    """The email address to send a reset link to."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(_l("Enter a valid email address")),
            Length(max=254),
        ],
        filters=[_strip],
    )
    submit = SubmitField(_l("Send me a link"))


class CodeForm(FlaskForm):
    """A 6-digit authenticator code or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code")), Length(max=20)])
    submit = SubmitField(_l("Continue"))
