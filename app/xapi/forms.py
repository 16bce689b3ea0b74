"""The form that points a force at its Learning Record Store."""

from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError


def _lrs_url(_form, field):
    """An https address (http only for a test LRS on this machine), with a host and no credentials."""
    parts = urlsplit((field.data or "").strip())
    local = parts.hostname in ("localhost", "127.0.0.1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValidationError(_("Enter the LRS address starting with https://"))
    if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError(
            _("Enter the LRS address only, like https://lrs.example.police.uk/ (no user name, ? or #)")
        )


class LrsForm(FlaskForm):
    """A force, the LRS base address (…/xAPI/ is added) and its Basic credentials."""

    force = SelectField(
        _l("Force"), choices=[("", _l("Choose a force"))], validators=[DataRequired(_l("Choose the force"))]
    )
    url = StringField(
        _l("LRS address"),
        validators=[DataRequired(_l("Enter the LRS address")), Length(max=500), _lrs_url],
    )
    username = StringField(
        _l("User name (key)"),
        validators=[DataRequired(_l("Enter the LRS user name or key")), Length(max=200)],
    )
    password = PasswordField(
        _l("Password (secret)"),
        validators=[DataRequired(_l("Enter the LRS password or secret")), Length(max=200)],
    )
    submit = SubmitField(_l("Save and send records there"))
