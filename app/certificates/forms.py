"""Forms for checking a certificate serial and revoking a certificate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class VerifyForm(FlaskForm):
    """The public serial check: a GET form, so it needs no CSRF token and can be bookmarked."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Certificate serial"),
        validators=[DataRequired(_l("Enter the serial printed on the certificate")), Length(max=60)],
    )
    submit = SubmitField(_l("Check certificate"))


class RevokeForm(FlaskForm):
    """An administrator's reason for revoking a certificate (kept in the record and audit log)."""

    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(_l("Enter the reason for revoking this certificate")), Length(max=500)],
    )
    submit = SubmitField(_l("Revoke certificate"))
