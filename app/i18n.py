"""The interface in English or Welsh (Flask-Babel; catalogue in app/translations/cy).

The language of a request is, in order: the signed-in person's own choice (users.language), the
choice made in this browser before signing in (the session), their force's default
(forces.default_language, which an administrator sets for the Welsh forces), else English. The
"Cymraeg" / "English" link on every page (main.language) records the choice. docs/welsh.md says
how the catalogue is kept.
"""

from flask import has_request_context, session
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from app.messages import Message, shown

ENGLISH = "en"
WELSH = "cy"
# Each language, named in itself (as the switch link shows it).
LANGUAGES = {ENGLISH: "English", WELSH: "Cymraeg"}
SESSION_KEY = "language"

babel = Babel()


def choose_language(
    user_language: str | None, session_language: str | None, force_language: str | None
) -> str:
    """The language to use from the person's choice, this browser's choice and the force's default."""
    for candidate in (user_language, session_language, force_language):
        if candidate in LANGUAGES:
            return candidate
    return ENGLISH


def select_locale() -> str:
    """Flask-Babel's locale selector: see the module docstring."""
    if not has_request_context():
        return ENGLISH
    user = current_user if current_user and current_user.is_authenticated else None
    force = getattr(user, "force", None)
    return choose_language(
        getattr(user, "language", None),
        session.get(SESSION_KEY),
        getattr(force, "default_language", None),
    )


def current_language() -> str:
    """ "en" or "cy": the language this request is shown in."""
    locale = get_locale()
    return locale.language if locale is not None else ENGLISH


def english(value, language: str | None = None) -> Markup:
    """English data (a module's title or text with no Welsh version) on a page: marked
    lang="en" when the page (in `language`, else the request's) is in another language
    (WCAG 3.1.2, Language of Parts)."""
    # Content already in the page's language (app.content.localised) needs no mark.
    if getattr(value, "language", ENGLISH) == (language or current_language()):
        return escape(value)
    return Markup('<span lang="en">%s</span>') % value


@pass_context
def _english_on_page(context, value) -> Markup:
    """The `english` filter, with the page's language from the render's context (the context
    processor's current_language: a dashboard marks a hundred values), else asked."""
    return english(value, context.get("current_language"))


def lang_attr(value) -> Markup:
    """` lang="en"` for an element holding `value` (e.g. a lesson's HTML) when the value is not in
    the page's language, else nothing: `<div class="prose"{{ lesson.html|lang_attr }}>`."""
    language = getattr(value, "language", ENGLISH)
    if language == current_language():
        return Markup("")
    return Markup(' lang="%s"') % language


def translated(message: str) -> str:
    """A Message (app.messages) in the page's language: its template through the catalogue, filled
    with its params (a param that is itself a Message translated too, a date in the page's
    language). Other text is as it is."""
    if not isinstance(message, Message):
        return message
    language = current_language()
    params = {key: shown(translated(value), language) for key, value in message.params.items()}
    return gettext(message.template) % params


def say(message) -> Markup:
    """A message from a pure module on a page: a Message in the page's language, any other text
    (English that has no template yet) marked lang="en" on a Welsh page."""
    if isinstance(message, Message):
        return escape(translated(message))
    return english(message)


# The page's catalogue, put in the context of every render_template by init_app's context
# processor, so the ~180 strings of a dashboard look it up once instead of each asking Flask-Babel
# (several context-local lookups a string). Only the page's own context holds it: a macro file
# imported without context renders in a context Jinja keeps between pages (and languages), so
# there, and in templates rendered other than by render_template, each string asks Flask-Babel.
_PAGE_TRANSLATIONS = "__page_translations"


def _translations(context):
    return context.get(_PAGE_TRANSLATIONS) or get_translations()


@pass_context
def _gettext(__context, __string: str, **variables):
    """Jinja's gettext, `_()` and `{% trans %}` (newstyle, as Flask-Babel installs it: the text is
    markup when autoescaping, then always %-formatted with the variables)."""
    text = _translations(__context).ugettext(__string)
    if __context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


@pass_context
def _ngettext(__context, __singular: str, __plural: str, __num, **variables):
    """Jinja's ngettext (newstyle, as Flask-Babel installs it) with the count written as elsewhere
    on the pages, 1,754 rather than 1754; the plural form is still chosen from the number. (The
    odd parameter names leave `num=` free for a template that passes its own.)"""
    variables.setdefault("num", f"{__num:,}" if isinstance(__num, int) else __num)
    text = _translations(__context).ungettext(__singular, __plural, __num)
    if __context.eval_ctx.autoescape:  # as Jinja's own: the values are escaped into the markup
        text = Markup(text)
    return text % variables


def init_app(app) -> None:
    """Install Flask-Babel (gettext in templates: `_()`, `ngettext()`, `{% trans %}`)."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", ENGLISH)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["english"] = _english_on_page  # {{ course.title | english }}
    app.jinja_env.filters["lang_attr"] = lang_attr  # <div{{ lesson.html | lang_attr }}>
    app.jinja_env.filters["say"] = say  # {{ problem.message | say }}
    app.jinja_env.globals.update(gettext=_gettext, ngettext=_ngettext)

    @app.context_processor
    def _language():
        language = current_language()
        other = WELSH if language == ENGLISH else ENGLISH
        return {
            "current_language": language,
            "other_language": (other, LANGUAGES[other]),
            # Asked here, inside any force_locale around the render (see _translations).
            _PAGE_TRANSLATIONS: get_translations(),
        }
