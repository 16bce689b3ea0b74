"""The shared page macros: one pagination and one error summary for every page."""

import re

from flask import render_template_string


def _pager(app, *args):
    with app.test_request_context():
        return render_template_string(
            '{% from "_forms.html" import pager %}{{ pager(' + ", ".join(args) + ") }}"
        )


def _link(html, href, rel):
    """The text of the pagination link to `href` with rel `rel` (whitespace collapsed)."""
    found = re.search(rf'href="{re.escape(href)}" rel="{rel}">(.*?)</a>', html, re.S)
    assert found, f"no {rel} link to {href}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_pager_links_the_neighbouring_pages_with_the_pages_arguments(app):
    html = _pager(app, "2", "3", "'auth.admin_users'", "{'q': 'kent'}")
    assert _link(html, "/admin/users?page=1&amp;q=kent", rel="prev") == "Previous page"
    assert _link(html, "/admin/users?page=3&amp;q=kent", rel="next") == "Next page"
    # Every page numbered, the current one marked for assistive technology.
    assert re.search(
        r'href="/admin/users\?page=2&amp;q=kent" aria-label="Page 2"\s+aria-current="page"', html
    )
    assert 'aria-label="Page 1"' in html
    assert 'aria-label="Page 3"' in html


def test_pager_numbers_the_ends_and_the_neighbours_of_a_long_run(app):
    html = _pager(app, "10", "40", "'assignments.outbox'")
    numbers = [int(n) for n in re.findall(r'aria-label="Page (\d+)"', html)]
    assert numbers == [1, 9, 10, 11, 40]
    assert html.count("govuk-pagination__item--ellipsis") == 2


def test_pager_shows_no_link_past_either_end_and_nothing_for_one_page(app):
    first = _pager(
        app, "1", "2", "'assignments.outbox'", "previous='Newer messages'", "next='Older messages'"
    )
    assert "Newer messages" not in first
    assert _link(first, "/admin/outbox?page=2", rel="next") == "Older messages"
    assert "pagination" not in _pager(app, "1", "1", "'assignments.outbox'")
    assert "pagination" not in _pager(app, "1", "0", "'assignments.outbox'")


def test_problem_summary_links_field_errors_and_lists_the_rest(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "_forms.html" import problem_summary %}'
            "{{ problem_summary([('email', 'Enter an email'), (None, 'Line 3: no name')],"
            " title='Fix these') }}"
        )
    assert re.search(r'id="error-summary-title"[^>]*data-module="govuk-error-summary"', html)
    assert re.search(r'<h2 class="govuk-error-summary__title">\s*Fix these\s*</h2>', html)
    assert '<a href="#email">Enter an email</a>' in html
    assert re.search(r"<li>\s*Line 3: no name\s*</li>", html)
    with app.test_request_context():
        assert "error-summary" not in render_template_string(
            '{% from "_forms.html" import problem_summary %}{{ problem_summary([]) }}'
        )


def _render_fields(app, source: str, data: dict | None = None, **context):
    """Render `source` (with _forms.html's macros imported) for a form posted with `data`."""
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict
    from wtforms import (
        BooleanField,
        DateField,
        RadioField,
        SelectField,
        SelectMultipleField,
        StringField,
        SubmitField,
        TextAreaField,
    )
    from wtforms.validators import DataRequired

    class _Form(FlaskForm):
        class Meta:
            csrf = False

        name = StringField("Full name", validators=[DataRequired("Enter your full name")])
        scope = RadioField("Who", choices=[("force", "Whole force"), ("teams", "Teams")])
        due_on = DateField("Due date", format="%d %m %Y", validators=[DataRequired("Enter a real date")])
        course = SelectField("Course", choices=[("a", "Course A"), ("b", "Course B")])
        teams = SelectMultipleField("Teams", choices=[("1", "Team 1"), ("2", "Team 2")])
        agree = BooleanField("I agree")
        message = TextAreaField("Message")
        submit = SubmitField("Assign course")

    with app.test_request_context(method="POST", data=MultiDict(data or {})):
        form = _Form()
        if data is not None:
            form.validate()
        return render_template_string(
            "{% from '_forms.html' import text_input, radios, date_input, select, checkboxes,"
            " checkbox, textarea, submit_button, error_summary, field, table_scroller %}" + source,
            form=form,
            **context,
        )


def test_a_field_with_an_error_shows_it_and_the_summary_links_to_the_field(app):
    html = _render_fields(
        app, "{{ error_summary(form) }}{{ text_input(form.name, hint='As on your warrant card') }}", {}
    )
    assert '<a href="#name">Enter your full name</a>' in html
    assert "govuk-form-group--error" in html
    assert re.search(
        r'<p id="name-error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span> Enter your full name',
        html,
    )
    assert re.search(
        r'<input\s+class="govuk-input govuk-input--error" id="name" name="name" type="text"', html
    )
    assert 'aria-describedby="name-hint name-error"' in html


def test_radios_checkboxes_and_a_date_give_their_first_input_the_fields_id(app):
    data = [
        ("scope", "teams"),
        ("teams", "2"),
        ("due_on", "31"),
        ("due_on", "3"),
        ("due_on", "2027"),
        ("name", "x"),
    ]
    html = _render_fields(
        app,
        "{{ radios(form.scope, conditional={'teams': '<p>Pick teams</p>'}) }}{{ checkboxes(form.teams) }}"
        "{{ date_input(form.due_on) }}{{ text_input(form.name) }}",
        data,
    )
    assert re.search(r'id="scope" name="scope" type="radio" value="force"', html)
    assert re.search(r'id="scope-2" name="scope" type="radio" value="teams" checked', html)
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' not in html  # shown: chosen
    assert "<p>Pick teams</p>" in html
    assert re.search(r'id="teams-2" name="teams" type="checkbox" value="2" checked', html)
    # Day, month and year share the field's name (WTForms joins them: "31 3 2027").
    for box_id, value in (("due_on", "31"), ("due_on-month", "3"), ("due_on-year", "2027")):
        assert re.search(
            rf'id="{box_id}" name="due_on" type="text" value="{value}" inputmode="numeric"', html
        )


def test_a_date_posted_as_three_boxes_is_read_by_the_field(app):
    from datetime import date

    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict
    from wtforms import DateField

    class _Form(FlaskForm):
        class Meta:
            csrf = False

        due_on = DateField("Due date", format="%d %m %Y")

    with app.test_request_context(
        method="POST", data=MultiDict([("due_on", "31"), ("due_on", "3"), ("due_on", "2027")])
    ):
        form = _Form()
        assert form.validate()
        assert form.due_on.data == date(2027, 3, 31)


def test_select_textarea_checkbox_and_button_come_from_the_package(app):
    html = _render_fields(
        app,
        "{{ select(form.course) }}{{ textarea(form.message, rows=3) }}{{ checkbox(form.agree) }}"
        "{{ submit_button(form.submit, secondary=True) }}",
    )
    assert re.search(r'<select class="govuk-select" id="course" name="course"', html)
    assert re.search(r'<textarea class="govuk-textarea" id="message" name="message" rows="3"', html)
    assert re.search(r'id="agree" name="agree" type="checkbox" value="y"', html)
    assert re.search(r'<button type="submit" value="Assign course" name="submit"', html)
    assert "govuk-button govuk-button--secondary" in html


def test_field_picks_the_macro_for_the_fields_type(app):
    html = _render_fields(
        app, "{{ field(form.message) }}{{ field(form.course) }}{{ field(form.name, width='10') }}"
    )
    assert "govuk-textarea" in html
    assert "govuk-select" in html
    assert 'class="govuk-input govuk-input--width-10"' in html


def test_table_scroller_is_a_labelled_focusable_region(app):
    html = _render_fields(app, "{% call table_scroller('Officers by team') %}<table></table>{% endcall %}")
    assert 'role="region" aria-label="Officers by team" tabindex="0"' in html
    assert "Scroll sideways to see the whole table." in html
    assert "<table></table>" in html


def _table(app, call: str, **context):
    with app.test_request_context():
        return render_template_string(
            '{% from "_forms.html" import data_table %}'
            + call
            + '<tr class="govuk-table__row"><td class="govuk-table__cell">Row</td></tr>{% endcall %}',
            **context,
        )


def test_data_table_gives_the_caption_header_cells_and_body_around_the_callers_rows(app):
    html = _table(
        app,
        "{% call data_table(caption=\"A force's attempts\", caption_classes='govuk-visually-hidden',"
        " classes='app-table--compact', scroll_label='Attempts', head=['Officer', 'Force' if not force"
        " else none, {'text': 'Score', 'format': 'numeric'},"
        " {'html': '<span class=\"govuk-visually-hidden\">Actions</span>'}]) %}",
        force=None,
    )
    assert 'role="region" aria-label="Attempts" tabindex="0"' in html
    assert '<table class="govuk-table app-table--compact">' in html
    assert (
        '<caption class="govuk-table__caption govuk-visually-hidden">A force&#39;s attempts</caption>' in html
    )
    header = re.search(
        r'<thead class="govuk-table__head"><tr class="govuk-table__row">(.*?)</tr></thead>', html
    )
    assert header
    assert re.findall(r"<th [^>]*>.*?</th>", header.group(1)) == [
        '<th scope="col" class="govuk-table__header">Officer</th>',
        '<th scope="col" class="govuk-table__header">Force</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Score</th>',
        '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>',
    ]
    assert re.search(
        r'<tbody class="govuk-table__body">\s*<tr class="govuk-table__row">'
        r'<td class="govuk-table__cell">Row</td></tr>\s*</tbody>\s*</table>',
        html,
    )


def test_data_table_without_a_label_or_caption_is_a_bare_table_and_drops_none_columns(app):
    html = _table(app, "{% call data_table(head=['Team', 'Force' if not force else none]) %}", force=object())
    assert "app-table-scroller" not in html
    assert "<caption" not in html
    assert html.count("<th ") == 1
    assert '<table class="govuk-table">' in html
