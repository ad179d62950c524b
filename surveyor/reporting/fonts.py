"""The fonts every PDF uses: static Noto Sans Arabic Regular and Bold, cut from the variable font.

The pip package ``fontpkg-noto-sans-arabic`` ships one variable TrueType file (OFL-1.1) that
covers Persian and Arabic letters with all their joined forms, both kinds of digits and Latin.
ReportLab cannot pick an instance of a variable font, so at first use the Regular (wght 400)
and Bold (wght 700) instances are cut from it with fontTools (about 0.5 s each) and kept in a
cache directory, keyed by a hash of the source file so that a font upgrade cuts them again.
When no cache directory is writable the instances are cut in memory for this process only.

Short links are printed in ReportLab's built-in Courier (ASCII only, nothing to embed).
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from pathlib import Path

import fontpkg_noto_sans_arabic
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "NotoSansArabic"
BOLD = "NotoSansArabic-Bold"
MONOSPACE = "Courier"
MONOSPACE_BOLD = "Courier-Bold"

# ReportLab name -> (wght axis value, PostScript name written into the cut instance)
_WEIGHTS = {REGULAR: (400, "NotoSansArabic-Regular"), BOLD: (700, "NotoSansArabic-Bold")}
_lock = threading.Lock()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/surveyor/fonts``, or ``~/.cache/surveyor/fonts``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "surveyor" / "fonts"


def variable_font_path() -> Path:
    """The variable Noto Sans Arabic file inside the installed font package."""
    files = sorted((fontpkg_noto_sans_arabic.ROOT / "files").glob("*.ttf"))
    if not files:
        raise RuntimeError("fontpkg-noto-sans-arabic is installed but holds no .ttf file; "
                           "reinstall it: pip install --force-reinstall fontpkg-noto-sans-arabic")
    return files[0]


def _cut_instance(source: Path, weight: int, postscript_name: str) -> bytes:
    from fontTools.ttLib import TTFont as FontToolsFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(FontToolsFont(source), {"wght": weight, "wdth": 100})
    style = "Bold" if weight >= 700 else "Regular"
    names = font["name"]
    for name_id, value in ((1, "Noto Sans Arabic"), (2, style),
                           (4, f"Noto Sans Arabic {style}"), (6, postscript_name)):
        names.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def static_instance(name: str, cache_dir: str | os.PathLike | None = None) -> Path | io.BytesIO:
    """The static instance :data:`REGULAR` or :data:`BOLD`: the cached file (cut now if it is
    missing), or the font in memory when the cache directory cannot be written."""
    weight, postscript_name = _WEIGHTS[name]
    source = variable_font_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache_dir / f"{postscript_name}-{digest}.ttf"
    if target.is_file():
        return target
    data = _cut_instance(source, weight, postscript_name)
    temporary = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name and renamed, so that two processes cutting the same
        # instance at once never leave a half-written font behind.
        with tempfile.NamedTemporaryFile(dir=cache_dir, suffix=".tmp", delete=False) as tmp:
            temporary = tmp.name
            tmp.write(data)
        os.replace(temporary, target)
        return target
    except OSError:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        return io.BytesIO(data)


def register_fonts(cache_dir: str | os.PathLike | None = None) -> None:
    """Register :data:`REGULAR` and :data:`BOLD` with ReportLab; cheap after the first call.

    ``cache_dir`` is where the static instances are kept (default :func:`default_cache_dir`).
    Also maps the family so that ``<b>`` in Paragraph markup picks the Bold instance.
    """
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name in (REGULAR, BOLD):
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, static_instance(name, cache_dir)))
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)


def missing_glyphs(text: str, font_name: str) -> str:
    """The characters of ``text`` that the registered font ``font_name`` cannot draw, each once
    in order of appearance (empty when it can draw them all)."""
    font = pdfmetrics.getFont(font_name)
    char_to_glyph = getattr(font.face, "charToGlyph", None)
    if char_to_glyph is None:  # a built-in Type 1 font: Latin-1 only
        missing = (ch for ch in text if ord(ch) > 255)
    else:
        missing = (ch for ch in text if ord(ch) not in char_to_glyph and not ch.isspace())
    return "".join(dict.fromkeys(missing))
