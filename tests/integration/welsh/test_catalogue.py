"""The Welsh catalogue: every interface message translated, placeholders and markup kept, every
machine-drafted entry marked for review, the compiled file in step, the glossary followed."""

import re
from pathlib import Path

import yaml
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.support import pseudo

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
GLOSSARY = ROOT / "app" / "translations" / "glossary-cy.yml"
MACHINE_DRAFTED = "machine-drafted"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sd]")
_TAG = re.compile(r"</?[a-z][^>]*>")


def _catalog():
    with open(PO, "rb") as handle:
        return read_po(handle, locale="cy")


def _forms(message):
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def _source(message):
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


def test_every_interface_message_has_a_welsh_translation():
    catalog = _catalog()
    missing = []
    for message, _comments in pseudo.extract():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or not all(_forms(entry)):
            missing.append(key)
    assert not missing, f"{len(missing)} messages have no Welsh (make translations):\n" + "\n".join(
        sorted(set(missing))[:60]
    )


def test_translations_keep_their_placeholders_and_markup():
    wrong = []
    for entry in _catalog():
        if not entry.id:
            continue
        source = " ".join(_source(entry))
        for form in _forms(entry):
            if not form:
                continue
            placeholders = set(_PLACEHOLDER.findall(form))
            # A plural form may leave out the number (Welsh "un" for one): never add one.
            if placeholders - set(_PLACEHOLDER.findall(source)):
                wrong.append(f"{entry.id!r}: placeholders {placeholders}")
            if sorted(_TAG.findall(form)) != sorted(_TAG.findall(_source(entry)[0])):
                wrong.append(f"{entry.id!r}: markup differs")
    assert not wrong, "\n".join(wrong)


def test_machine_drafted_translations_are_marked_for_a_welsh_speaker():
    unmarked = [
        entry.id
        for entry in _catalog()
        if entry.id and not any(MACHINE_DRAFTED in c or "checked by" in c for c in entry.user_comments)
    ]
    assert not unmarked, (
        "each entry needs a translator comment (machine-drafted, or checked by):\n"
        + "\n".join(map(str, unmarked[:40]))
    )
    assert not any(entry.fuzzy for entry in _catalog() if entry.id), "no fuzzy flags: compiling drops them"


def test_the_compiled_catalogue_is_the_po_file():
    with open(MO, "rb") as handle:
        compiled = {_source(m): _forms(m) for m in read_mo(handle) if m.id}
    written = {_source(m): _forms(m) for m in _catalog() if m.id and all(_forms(m))}
    assert compiled == written, "run `make translations` and commit the .mo"


def test_the_catalogue_follows_the_glossary():
    glossary = yaml.safe_load(GLOSSARY.read_text())
    assert glossary, "glossary-cy.yml lists the agreed terms"
    broken = []
    for entry in _catalog():
        if not entry.id:
            continue
        source = " ".join(_source(entry)).lower()
        welsh = " ".join(_forms(entry)).lower()
        for term in glossary:
            if re.search(rf"\b{re.escape(term['en'].lower())}\b", source):
                forms = [term["cy"], *term.get("forms", [])]
                if not any(form.lower() in welsh for form in forms):
                    broken.append(f"{entry.id!r}: '{term['en']}' should read '{term['cy']}' (or {forms[1:]})")
    assert not broken, "\n".join(broken)
