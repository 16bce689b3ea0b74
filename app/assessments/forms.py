"""Quiz forms: start and confidence (Flask-WTF), and parsing the hand-built attempt form.

The attempt form is written by hand in the template (its fields depend on the attempt); option
values are the per-attempt codes of queries.AttemptItem, mapped back to option keys here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Optional

from app.assessments.queries import AttemptItem
from app.assessments.services import STAGES, InvalidSubmissionError

CONFIDENCE_CHOICES = [
    (1, _l("1 – Not at all confident")),
    (2, _l("2 – Slightly confident")),
    (3, _l("3 – Fairly confident")),
    (4, _l("4 – Confident")),
    (5, _l("5 – Very confident")),
]


CONFIDENCE_LABEL = _l("How confident do you feel about this module's objectives?")


class StartForm(FlaskForm):
    """Start (or resume) an attempt; before the first attempt it also asks how confident the
    officer feels (optional: a rating given is stored as the "before" rating)."""

    rating = RadioField(CONFIDENCE_LABEL, choices=CONFIDENCE_CHOICES, coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Start the quiz"))


class ConfidenceForm(FlaskForm):
    """How confident the officer feels about the module's objectives, 1 to 5."""

    stage = HiddenField(validators=[AnyOf(STAGES)])
    rating = RadioField(
        CONFIDENCE_LABEL,
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        validators=[InputRequired(_l("Choose how confident you feel, from 1 to 5"))],
    )
    next = HiddenField()
    submit = SubmitField(_l("Save my rating"))


def field_name(item: AttemptItem, code: str | None = None) -> str:
    """The form field (and element id) for a question, or for one item of an ordering question."""
    return f"q{item.number}" if code is None else f"q{item.number}-{code}"


@dataclass
class ParsedAnswers:
    """What the form holds, by question key (option keys, not codes), and the officer's mistakes.

    answers: complete answers as scoring takes them (an ordering is the list of keys in order).
    saved: everything given, for a part-way save (an ordering is {key: position}, maybe partial).
    """

    answers: dict[str, object] = field(default_factory=dict)
    saved: dict[str, object] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (element id, message)


def _keys(item: AttemptItem, codes: list[str]) -> list[str]:
    """Map codes to option keys; an unknown code is tampering."""
    try:
        return [item.code_to_key[code] for code in codes]
    except KeyError:
        raise InvalidSubmissionError(
            _("Question %(number)s: an option that does not belong to it was sent.", number=item.number)
        ) from None


def _positions(form: MultiDict, item: AttemptItem) -> dict[str, int]:
    """Positions chosen for an ordering question's items, by option key (blank ones left out)."""
    size = len(item.choices)
    positions = {}
    for choice in item.choices:
        values = form.getlist(field_name(item, choice.code))
        if len(values) > 1:
            raise InvalidSubmissionError(
                _("Question %(number)s: an item was given twice.", number=item.number)
            )
        value = values[0].strip() if values else ""
        if not value:
            continue
        # isascii(): str.isdigit() accepts '²', which int() refuses (was a 500 on save/submit).
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= size:
            raise InvalidSubmissionError(
                _("Question %(number)s: a position is out of range.", number=item.number)
            )
        positions[item.code_to_key[choice.code]] = int(value)
    return positions


def parse_answers(form: MultiDict, items: list[AttemptItem]) -> ParsedAnswers:
    """Read the attempt form; raise InvalidSubmissionError for what no honest form could send.

    Unanswered questions, and ordering questions without a different position for every item,
    are reported as errors (a submission needs every question answered; a save does not).
    """
    parsed = ParsedAnswers()
    for item in items:
        first = field_name(item, item.choices[0].code) if item.choices else field_name(item)
        if item.type == "ordering":
            positions = _positions(form, item)
            if positions:
                parsed.saved[item.key] = positions
            if len(positions) < len(item.choices):
                parsed.errors.append(
                    (first, _("Question %(number)s: choose a position for every step", number=item.number))
                )
            elif len(set(positions.values())) < len(positions):
                parsed.errors.append(
                    (first, _("Question %(number)s: give each step a different position", number=item.number))
                )
            else:
                parsed.answers[item.key] = sorted(positions, key=positions.get)
            continue
        codes = form.getlist(field_name(item))
        if item.type == "single" and len(codes) > 1:
            raise InvalidSubmissionError(
                _("Question %(number)s: only one answer may be chosen.", number=item.number)
            )
        keys = _keys(item, codes)
        if not keys:
            message = (
                _("Question %(number)s: choose an answer", number=item.number)
                if item.type == "single"
                else _("Question %(number)s: choose at least one answer", number=item.number)
            )
            parsed.errors.append((first, message))
            continue
        parsed.answers[item.key] = parsed.saved[item.key] = keys[0] if item.type == "single" else keys
    return parsed
