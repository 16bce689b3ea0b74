"""Forms for a force's single sign-on settings."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SsoSettingsForm(FlaskForm):
    """A force's OpenID Connect provider (Entra ID tenant), claim mapping and policy flags."""

    tenant_id = StringField(
        "Tenant ID", filters=[_strip], validators=[DataRequired("Enter the tenant ID"), Length(max=64)]
    )
    issuer = StringField(
        "Issuer", filters=[_strip], validators=[DataRequired("Enter the issuer"), Length(max=300)]
    )
    client_id = StringField(
        "Application (client) ID",
        filters=[_strip],
        validators=[DataRequired("Enter the application (client) ID"), Length(max=200)],
    )
    client_secret = PasswordField("Client secret", validators=[Optional(), Length(max=500)])
    name_claim = StringField("Name claim", filters=[_strip], default="name", validators=[Length(max=60)])
    service_number_claim = StringField(
        "Service number claim", filters=[_strip], validators=[Optional(), Length(max=60)]
    )
    team_claim = StringField("Team claim", filters=[_strip], validators=[Optional(), Length(max=60)])
    role_claim = StringField("Role claim", filters=[_strip], default="roles", validators=[Length(max=60)])
    role_map = TextAreaField("App roles to platform roles", validators=[Optional(), Length(max=2000)])
    enabled = BooleanField("Sign-in with this provider is on", default=True)
    sso_only = BooleanField("Single sign-on only: local passwords are off for this force's people")
    mfa_enforced = BooleanField("The force's Conditional Access enforces MFA for this application")
    allow_new_accounts = BooleanField("Create an account at first sign-in for people not yet invited")
    submit = SubmitField("Save sign-in settings")
