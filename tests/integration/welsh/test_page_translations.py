"""Templates look the catalogue up once per page (app.i18n: the context processor's catalogue),
yet every string still comes in the language of the render it is part of."""

from flask import render_template_string
from flask_babel import force_locale
from jinja2 import ChoiceLoader, DictLoader

# A macro file imported without context: Jinja keeps its module (and the context it rendered in)
# between pages, so a catalogue kept there would carry one page's language into the next.
MACROS = {"_test_sign_in.html": "{% macro sign_in() %}{{ _('Sign in') }}{% endmacro %}"}
PAGE = (
    "{% import '_test_sign_in.html' as m %}{{ _('Sign in') }}|{{ m.sign_in() }}|"
    "{{ ngettext('%(num)s officer', '%(num)s officers', 1234) }}"
)


def test_each_render_in_its_own_language(app, monkeypatch):
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader(MACROS), app.jinja_env.loader]))
    with app.test_request_context("/"):
        english = render_template_string(PAGE)
        with force_locale("cy"):
            welsh = render_template_string(PAGE)
        again = render_template_string(PAGE)
    assert english == "Sign in|Sign in|1,234 officers"
    assert welsh.split("|")[:2] == ["Mewngofnodi", "Mewngofnodi"]
    assert again == english
