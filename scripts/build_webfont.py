"""Build the self-hosted web font served by the app from Noto Sans Arabic (SIL OFL 1.1).

Run once when the font should change (needs the dev tools: pip install fonttools brotli
fontpkg-noto-sans-arabic):  python scripts/build_webfont.py
It keeps the weight axis (400-700), pins the width, and keeps the Arabic-script letters
Persian and Arabic use, Persian and Arabic-Indic digits, and basic Latin.
"""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parent.parent / "surveyor" / "static" / "fonts"
UNICODES = (
    list(range(0x20, 0x7F))          # basic Latin
    + [0xA0, 0xAB, 0xBB, 0xD7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x2212]
    + list(range(0x0600, 0x0700))    # Arabic (includes Arabic-Indic and Persian digits, ، ؛ ؟)
    + [0x200C, 0x200D, 0x200E, 0x200F]
)


def main() -> None:
    source = resources.files("fontpkg_noto_sans_arabic") / "files" / "NotoSansArabic[wdth,wght].ttf"
    font = TTFont(str(source), lazy=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    font = instancer.instantiateVariableFont(font, {"wdth": 100, "wght": (400, 700)})
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "NotoSansArabic-Surveyor.woff2"
    font.flavor = "woff2"
    font.save(str(target))
    shutil.copy(resources.files("fontpkg_noto_sans_arabic") / "LICENSE", OUT / "OFL.txt")
    print(f"{target}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
