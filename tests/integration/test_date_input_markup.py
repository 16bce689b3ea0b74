"""The date input written out in _forms.html gives the markup of GOV.UK Frontend's govukDateInput.

_forms.html writes the date input's HTML itself (govukDateInput's nested component macros cost
about 1.7 ms a field on every filter form). These tests render both for the same field, in every
state the macro handles (empty, filled from the query, a stored date, an error, a hint as text or
HTML, a page-heading legend, autocomplete), and compare the two as sequences of tags, sorted
attributes and text, so that only whitespace may differ.
"""

from datetime import date
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields import DateField

# govukDateInput with the parameters the _forms.html macro gave it before it wrote the markup out.
REFERENCE = """
{% from "govuk_frontend_jinja/components/date-input/macro.html" import govukDateInput %}
{% if f.raw_data and f.raw_data | length == 3 %}{% set day, month, year = f.raw_data %}
{% elif f.data %}{% set day, month, year = f.data.day, f.data.month, f.data.year %}
{% else %}{% set day, month, year = '', '', '' %}{% endif %}
{% set error = ' govuk-input--error' if f.errors else '' %}
{% set p = {
  'id': f.id ~ '-date', 'namePrefix': none,
  'fieldset': {'legend': {'text': legend or f.label.text, 'classes': legend_classes,
                          'isPageHeading': is_page_heading}},
  'items': [
    {'id': f.id, 'name': f.name, 'label': _('Day'), 'value': day,
     'classes': 'govuk-input--width-2' ~ error,
     'autocomplete': (autocomplete_prefix ~ '-day') if autocomplete_prefix else none},
    {'id': f.id ~ '-month', 'name': f.name, 'label': _('Month'), 'value': month,
     'classes': 'govuk-input--width-2' ~ error,
     'autocomplete': (autocomplete_prefix ~ '-month') if autocomplete_prefix else none},
    {'id': f.id ~ '-year', 'name': f.name, 'label': _('Year'), 'value': year,
     'classes': 'govuk-input--width-4' ~ error,
     'autocomplete': (autocomplete_prefix ~ '-year') if autocomplete_prefix else none},
  ],
} %}
{% if hint_html %}{% do p.update({'hint': {'html': hint_html}}) %}
{% elif hint %}{% do p.update({'hint': {'text': hint}}) %}{% endif %}
{% if f.errors %}
{% do p.update({'errorMessage': {'text': f.errors[0], 'visuallyHiddenText': _('Error')}}) %}
{% endif %}
{{ govukDateInput(p) }}
"""

WRITTEN_OUT = (
    '{% from "_forms.html" import date_input %}'
    "{{ date_input(f, hint=hint, hint_html=hint_html, legend=legend, legend_classes=legend_classes,"
    " is_page_heading=is_page_heading, autocomplete_prefix=autocomplete_prefix) }}"
)


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if data.split():
            self.tokens.append(("text", " ".join(data.split())))


def _tokens(html: str) -> list:
    parser = _Tokens()
    parser.feed(html)
    return parser.tokens


class _DateForm(Form):
    due_on = DateField("Due date", format="%d %m %Y")


def _field(formdata=None, data=None):
    form = _DateForm(formdata=MultiDict(formdata) if formdata else None, data=data)
    if formdata:
        form.validate()
    return form.due_on


CASES = {
    "empty": dict(),
    "a stored date": dict(data={"due_on": date(2027, 3, 31)}),
    "typed in, valid": dict(formdata=[("due_on", "1"), ("due_on", "4"), ("due_on", "2027")]),
    "typed in, not a date, with its error": dict(
        formdata=[("due_on", "40"), ("due_on", "13"), ("due_on", "2025")]
    ),
    "a hint": dict(options=dict(hint="For example, 31 3 2027")),
    "a hint in HTML, an error and a page heading": dict(
        formdata=[("due_on", "x"), ("due_on", ""), ("due_on", "")],
        options=dict(hint_html=Markup("Today is <strong>1 April</strong>"), is_page_heading=True),
    ),
    "a legend of its own, autocomplete": dict(
        options=dict(
            legend="Date of birth", legend_classes="govuk-fieldset__legend--m", autocomplete_prefix="bday"
        )
    ),
    "markup in the hint text is escaped": dict(options=dict(hint="<b>31 3 2027</b>")),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_written_out_date_input_matches_govuk_date_input(app, case):
    spec = CASES[case]
    options = dict(
        hint=None,
        hint_html=None,
        legend=None,
        legend_classes="govuk-fieldset__legend--s",
        is_page_heading=False,
        autocomplete_prefix=None,
    )
    options.update(spec.get("options", {}))
    with app.test_request_context():
        field = _field(spec.get("formdata"), spec.get("data"))
        written = render_template_string(WRITTEN_OUT, f=field, **options)
        reference = render_template_string(REFERENCE, f=field, **options)
    assert _tokens(written) == _tokens(reference)
    assert 'id="due_on"' in written  # the error summary links to the day box


def test_a_date_that_failed_shows_its_error_and_keeps_what_was_typed(app):
    with app.test_request_context():
        field = _field([("due_on", "40"), ("due_on", "13"), ("due_on", "2025")])
        html = render_template_string(
            WRITTEN_OUT,
            f=field,
            hint=None,
            hint_html=None,
            legend=None,
            legend_classes=None,
            is_page_heading=False,
            autocomplete_prefix=None,
        )
    assert field.errors
    assert "govuk-form-group--error" in html
    assert html.count("govuk-input--error") == 3
    for typed in ("40", "13", "2025"):
        assert f'value="{typed}"' in html
    assert 'aria-describedby="due_on-date-error"' in html
