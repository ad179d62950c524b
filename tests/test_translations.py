"""Every interface text is translated into Persian and Arabic, in correct Persian letters."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from surveyor.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "surveyor" / "translations"


def catalog(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def template_ids():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_the_template_holds_every_message_in_the_code():
    from babel.messages.extract import extract_from_dir
    method_map = [("surveyor/**.py", "python"), ("surveyor/templates/**.html", "jinja2")]
    found = {msg[2] if isinstance(msg[2], str) else msg[2][0]
             for msg in extract_from_dir(PROJECT_ROOT, method_map, keywords={"_": None, "gettext": None,
                                                                                "_l": None, "lazy_gettext": None})}
    assert found - template_ids() == set(), "run `make extract-messages` and translate the new texts"


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_message_is_translated(lang):
    translated = {m.id for m in catalog(lang) if m.id and m.string and not m.fuzzy}
    assert template_ids() - translated == set()


def test_persian_translations_use_persian_letters():
    bad = [m.string for m in catalog("fa") if m.id and ("ي" in m.string or "ك" in m.string)]
    assert bad == []
