"""The shared page macros: one pagination and one error summary for every page."""

from flask import render_template_string


def _pager(app, *args):
    with app.test_request_context():
        return render_template_string(
            '{% from "_forms.html" import pager %}{{ pager(' + ", ".join(args) + ") }}"
        )


def test_pager_links_the_neighbouring_pages_with_the_pages_arguments(app):
    html = _pager(app, "2", "3", "'auth.admin_users'", "{'q': 'kent'}")
    assert 'href="/admin/users?page=1&amp;q=kent">Previous page</a>' in html
    assert 'href="/admin/users?page=3&amp;q=kent">Next page</a>' in html
    assert "Page 2 of 3" in html


def test_pager_shows_no_link_past_either_end_and_nothing_for_one_page(app):
    first = _pager(
        app, "1", "2", "'assignments.outbox'", "previous='Newer messages'", "next='Older messages'"
    )
    assert "Newer messages" not in first
    assert 'href="/admin/outbox?page=2">Older messages</a>' in first
    assert "pagination" not in _pager(app, "1", "1", "'assignments.outbox'")
    assert "pagination" not in _pager(app, "1", "0", "'assignments.outbox'")


def test_problem_summary_links_field_errors_and_lists_the_rest(app):
    with app.test_request_context():
        html = render_template_string(
            '{% from "_forms.html" import problem_summary %}'
            "{{ problem_summary([('email', 'Enter an email'), (None, 'Line 3: no name')],"
            " title='Fix these') }}"
        )
    assert '<h2 id="error-summary-title" class="error-summary__title">Fix these</h2>' in html
    assert '<li><a href="#email">Enter an email</a></li>' in html
    assert "<li>Line 3: no name</li>" in html
    with app.test_request_context():
        assert "error-summary" not in render_template_string(
            '{% from "_forms.html" import problem_summary %}{{ problem_summary([]) }}'
        )
