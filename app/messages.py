"""Messages that pure modules write for people: English where they are read as text (the command
line, SCIM's JSON, logs, tests), translated where a page shows them (pure: no Flask).

A `Message` is a `str` whose value is the English (`template % params`), so code and tests that
read it as a string see the English they always did; it also keeps the template, marked with
`N_` so `make translations` extracts it, and the params, so a page can render it in its own
language (`|say` in app/i18n.py: `gettext(template) % params`). Params are data (file paths,
column names, CSV values, line numbers) and are never translated, except a param that is itself
a Message, and a date, which reads in the sentence's language. The template is always
%-formatted, so a literal % is written %%. Anything built from a Message by string operations
(`+`, slicing, f-strings) is a plain str again, shown in English (and marked lang="en" on a
Welsh page).
"""

from datetime import date
from types import MappingProxyType

from app.formatting import uk_date


class Message(str):
    """An English sentence made from a catalogue template and its data: `Message(N_("%(path)s
    is missing."), path=path)`; `str()` of it is the English, `.template` and `.params` the parts."""

    def __new__(cls, template: str, /, **params):
        self = super().__new__(cls, template % {key: shown(value) for key, value in params.items()})
        vars(self).update(template=template, params=MappingProxyType(params))
        return self

    def __setattr__(self, name, value):
        raise AttributeError("a Message cannot be changed")

    def __reduce__(self):
        return (_rebuild, (self.template, dict(self.params)))


def shown(value, language: str = "en"):
    """A param as it reads in a sentence: a date as people write it ('2 December 2026', in Welsh
    '2 Rhagfyr 2026'), anything else as it is."""
    return uk_date(value, language=language) if isinstance(value, date) else value


def _rebuild(template: str, params: dict) -> Message:
    return Message(template, **params)
