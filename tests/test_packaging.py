"""What a production install gets: the wheel holds the migrations, compiled catalogues, templates,
static files (the web font) and the instrument schema; the committed catalogues match their sources."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from surveyor.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "surveyor" / "translations"


@pytest.mark.slow
def test_the_wheel_holds_what_an_installed_server_needs(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
                    str(PROJECT_ROOT)], check=True, capture_output=True, timeout=600)
    [wheel] = tmp_path.glob("surveyor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    versions = sorted(p.name for p in (PROJECT_ROOT / "surveyor" / "migrations" / "versions").glob("*.py"))
    needed = {
        "surveyor/migrations/env.py", "surveyor/migrations/alembic.ini", "surveyor/migrations/script.py.mako",
        *(f"surveyor/migrations/versions/{name}" for name in versions),
        *(f"surveyor/translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("fa", "ar", "en")),
        "surveyor/instruments/schema.json", "surveyor/templates/base.html",
        "surveyor/static/fonts/NotoSansArabic-Surveyor.woff2", "surveyor/static/js/inspect-sw.js",
    }
    assert needed - names == set()


@pytest.mark.parametrize("lang", ["fa", "ar", "en"])
def test_committed_catalogues_are_compiled_from_their_sources(lang):
    """The .mo files are committed so that an install from the repository or a wheel speaks
    Persian without a build step; `make translations` rebuilds them after editing a .po file."""
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "rb") as mo:
        source, compiled = read_po(po), read_mo(mo)
    expected = {_key(m.id): _key(m.string) for m in source if m.id and any(_key(m.string)) and not m.fuzzy}
    # Babel compiles an untranslated plural as its own English forms: that is no translation.
    actual = {_key(m.id): _key(m.string) for m in compiled
              if m.id and (_key(m.id) in expected or _key(m.string) != _key(m.id))}
    assert actual == expected, "run `make translations` and commit the .mo"


def _key(text):
    """A message's id or translation as a hashable value: plural forms come as lists."""
    return tuple(text) if isinstance(text, (list, tuple)) else (text,)
