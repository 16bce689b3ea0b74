"""Forms for signing in and administering users."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.auth.roles import ROLE_LABELS


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                    Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"),
                                                     Length(max=256)])
    submit = SubmitField("Sign in")


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for POST buttons."""

    submit = SubmitField("Confirm")


def role_choices() -> list[tuple[str, str]]:
    """Role options for select fields."""
    return [(role.value, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    """Create or edit a user; force and team choices are filled in by the view."""

    name = StringField("Full name", validators=[DataRequired("Enter the person's name"),
                                                Length(max=120)])
    email = EmailField("Email address", validators=[DataRequired("Enter an email address"),
                                                    Email("Enter a valid email address"),
                                                    Length(max=254)])
    service_number = StringField("Service number", validators=[Optional(), Length(max=40)])
    role = SelectField("Role", choices=role_choices())
    force_id = SelectField("Force", coerce=str, validators=[Optional()])
    team_id = SelectField("Team", coerce=str, validators=[Optional()])
    password = PasswordField("Initial password (optional)", validators=[Optional(),
                                                                        Length(max=256)])
    submit = SubmitField("Save")


class ImportForm(FlaskForm):
    """An officer CSV upload."""

    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file"),
                                             FileAllowed(["csv", "txt"], "The file must be a CSV")])
    submit = SubmitField("Import officers")


class PasswordForm(FlaskForm):
    """Set a new password."""

    password = PasswordField("New password", validators=[DataRequired("Enter a new password"),
                                                         Length(max=256)])
    submit = SubmitField("Set password")


class CodeForm(FlaskForm):
    """A 6-digit authenticator code or a recovery code."""

    code = StringField("Code", validators=[DataRequired("Enter the code"), Length(max=20)])
    submit = SubmitField("Continue")
