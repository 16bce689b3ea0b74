"""The Jinja environment every PDF template renders in (certificates, pocket cards): sandboxed,
autoescaping, strict about undefined names; one per template folder, built once. And the words of
a PDF in its language, from the interface's catalogue through Babel, without Flask."""

from functools import lru_cache
from pathlib import Path

from babel.support import Translations
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=4)
def environment(template_dir: Path) -> SandboxedEnvironment:
    """The sandboxed environment loading templates from `template_dir`."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(template_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
ENGLISH = "en"


@lru_cache(maxsize=4)
def catalogue_gettext(language: str):
    """gettext for one language from the compiled catalogue (app/translations; English: the
    message itself), for PDF templates: `{% set _ = gettext %}`."""
    if language == ENGLISH:
        return str
    return Translations.load(str(TRANSLATIONS_DIR), [language]).gettext
