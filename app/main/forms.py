"""The feedback form: anyone may send it, signed in or not."""

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
        "What were you doing?",
        validators=[
            DataRequired("Enter what you were doing"),
            Length(max=DOING_MAX, message=f"What you were doing must be {DOING_MAX} characters or fewer"),
        ],
        filters=[_strip],
    )
    problem = TextAreaField(
        "What went wrong, or what could be better?",
        validators=[
            DataRequired("Enter what went wrong or what could be better"),
            Length(
                max=PROBLEM_MAX,
                message=f"What went wrong or could be better must be {PROBLEM_MAX:,} characters or fewer",
            ),
        ],
        filters=[_strip],
    )
    email = EmailField(
        "Email address (optional)",
        validators=[
            Optional(),
            Email("Enter an email address in the correct format, like name@example.police.uk"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        filters=[_strip],
    )
    submit = SubmitField("Send feedback")
