"""The form that points a force at its Learning Record Store."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError


def _lrs_url(_form, field):
    """An https address (http only for a test LRS on this machine), with a host and no credentials."""
    parts = urlsplit((field.data or "").strip())
    local = parts.hostname in ("localhost", "127.0.0.1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError("Enter the LRS address starting with https://")
    if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(
            "Enter the LRS address only, like https://lrs.example.police.uk/ (no user name, ? or #)"
        )


class LrsForm(FlaskForm):
    """A force, the LRS base address (…/xAPI/ is added) and its Basic credentials."""

    force = SelectField(
        "Force", choices=[("", "Choose a force")], validators=[DataRequired("Choose the force")]
    )
    url = StringField(
        "LRS address",
        validators=[DataRequired("Enter the LRS address"), Length(max=500), _lrs_url],
    )
    username = StringField(
        "User name (key)", validators=[DataRequired("Enter the LRS user name or key"), Length(max=200)]
    )
    password = PasswordField(
        "Password (secret)", validators=[DataRequired("Enter the LRS password or secret"), Length(max=200)]
    )
    submit = SubmitField("Save and send records there")
