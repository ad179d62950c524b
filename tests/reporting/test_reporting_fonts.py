"""The static font instances cut from the variable Noto Sans Arabic."""
from __future__ import annotations

import io
import os

from fontTools.ttLib import TTFont

from surveyor.reporting import fonts


def test_bold_instance_is_cut_once_into_the_cache(tmp_path):
    path = fonts.static_instance(fonts.BOLD, tmp_path)
    assert path.parent == tmp_path and path.is_file()
    font = TTFont(path)
    assert "fvar" not in font and "gvar" not in font  # static, not variable
    assert font["OS/2"].usWeightClass == 700
    assert font["name"].getDebugName(6) == "NotoSansArabic-Bold"
    assert all(ord(ch) in font.getBestCmap() for ch in "پچژگکی۰۹ABC\ufb8f")
    stamp = path.stat().st_mtime_ns
    assert fonts.static_instance(fonts.BOLD, tmp_path) == path
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_unwritable_cache_falls_back_to_memory(tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    font = fonts.static_instance(fonts.REGULAR, blocked / "fonts")
    assert isinstance(font, io.BytesIO)
    assert TTFont(font)["OS/2"].usWeightClass == 400


def test_register_fonts_is_idempotent():
    fonts.register_fonts()
    fonts.register_fonts()
    assert fonts.missing_glyphs("شهرداری منطقه ۵ District", fonts.REGULAR) == ""
    assert fonts.missing_glyphs("\u2066a🚇\u2066", fonts.REGULAR) == "\u2066🚇"
    assert fonts.missing_glyphs("Ab 🚇", fonts.MONOSPACE) == "🚇"
    assert os.fspath(fonts.variable_font_path()).endswith(".ttf")
