"""The Jinja environment every PDF template renders in (certificates, pocket cards): sandboxed,
autoescaping, strict about undefined names; one per template folder, built once."""

from functools import lru_cache
from pathlib import Path

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
