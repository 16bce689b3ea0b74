"""The feedback form: anyone may send it, signed in or not."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.forms import Email  # WTForms' check, with over-long addresses refused first

DOING_MAX = 500
PROBLEM_MAX = 2000


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class FeedbackForm(FlaskForm):
    """What the person was doing, what went wrong or could be better, and where to reply."""

    doing = TextAreaField(
        _l("What were you doing?"),
        validators=[
            DataRequired(_l("Enter what you were doing")),
            Length(
                max=DOING_MAX,
                message=_l("What you were doing must be %(max)s characters or fewer", max=DOING_MAX),
            ),
        ],
        filters=[_strip],
    )
    problem = TextAreaField(
        _l("What went wrong, or what could be better?"),
        validators=[
            DataRequired(_l("Enter what went wrong or what could be better")),
            Length(
                max=PROBLEM_MAX,
                message=_l(
                    "What went wrong or could be better must be %(max)s characters or fewer",
                    max=f"{PROBLEM_MAX:,}",
                ),
            ),
        ],
        filters=[_strip],
    )
    email = EmailField(
        _l("Email address (optional)"),
        validators=[
            Optional(),
            Email(_l("Enter an email address in the correct format, like name@example.police.uk")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
        filters=[_strip],
    )
    submit = SubmitField(_l("Send feedback"))
