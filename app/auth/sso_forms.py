"""Forms for a force's single sign-on settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SsoSettingsForm(FlaskForm):
    """A force's OpenID Connect provider (Entra ID tenant), claim mapping and policy flags."""

    tenant_id = StringField(
        _l("Tenant ID"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the tenant ID")), Length(max=64)],
    )
    issuer = StringField(
        _l("Issuer"), filters=[_strip], validators=[DataRequired(_l("Enter the issuer")), Length(max=300)]
    )
    client_id = StringField(
        _l("Application (client) ID"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the application (client) ID")), Length(max=200)],
    )
    client_secret = PasswordField(_l("Client secret"), validators=[Optional(), Length(max=500)])
    name_claim = StringField(_l("Name claim"), filters=[_strip], default="name", validators=[Length(max=60)])
    service_number_claim = StringField(
        _l("Service number claim"), filters=[_strip], validators=[Optional(), Length(max=60)]
    )
    team_claim = StringField(_l("Team claim"), filters=[_strip], validators=[Optional(), Length(max=60)])
    role_claim = StringField(_l("Role claim"), filters=[_strip], default="roles", validators=[Length(max=60)])
    role_map = TextAreaField(_l("App roles to platform roles"), validators=[Optional(), Length(max=2000)])
    enabled = BooleanField(_l("Sign-in with this provider is on"), default=True)
    sso_only = BooleanField(_l("Single sign-on only: local passwords are off for this force's people"))
    mfa_enforced = BooleanField(_l("The force's Conditional Access enforces MFA for this application"))
    allow_new_accounts = BooleanField(_l("Create an account at first sign-in for people not yet invited"))
    submit = SubmitField(_l("Save sign-in settings"))
