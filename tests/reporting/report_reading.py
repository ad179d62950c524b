"""Reading a report back for the report tests: its fixed texts as the definition fills them, table
rows as ``pdftotext -layout`` lays them out, and its first pages as images (kept under
``test-artifacts/reporting/`` for a person to look at)."""

from __future__ import annotations

import re
import shutil
import subprocess

from PIL import Image

from pdf_reading import ARTIFACTS, letters, normalise
from surveyor.reporting.persian_text import prepare
from surveyor.reporting.checklist import SECTION_IDS as CHECKLIST_SECTIONS
from surveyor.reporting.layout.definition import report_definition
from surveyor.reporting.questionnaire import SECTION_IDS as QUESTIONNAIRE_SECTIONS

SECTIONS = {"questionnaire": QUESTIONNAIRE_SECTIONS, "checklist": CHECKLIST_SECTIONS}
_CELL_GAP = re.compile(r"\s{2,}")
# pdftotext puts a colon, comma or bracket that stands between Persian words and a number or a
# Latin run on the wrong side of that run («کد: TRN-Q01» comes back as «کد TRN-Q01 :»), though
# the page shows it in place; so texts are compared by their letters and digits in order.
_PUNCTUATION = re.compile('[:.,،؛()«»"“”\u2066-\u2069]')


def key(text: str) -> str:
    """``text`` as compared: letters and digits in order, without spaces and punctuation."""
    return _PUNCTUATION.sub("", letters(text))


def fixed_text(kind: str, block: str, key: str, lang: str, **values) -> str:
    """A text of ``reports/<kind>.yaml`` filled in, with digits as the report writes them."""
    text = report_definition(kind, SECTIONS[kind]).text(block, key, lang, **values)
    return prepare(text, lang)


def in_order(text: str, *parts: str) -> bool:
    """Every part occurs in ``text`` (compared by :func:`key`), each after the one before."""
    haystack, start = key(text), 0
    for part in parts:
        found = haystack.find(key(part), start)
        if found < 0:
            return False
        start = found + len(key(part))
    return True


def table_rows(pdf_tools, pdf: bytes, page: int) -> list[list[str]]:
    """The page's lines as pdftotext -layout places them: cells (runs of text apart by two or
    more spaces) from left to right, each normalised."""
    text = pdf_tools.text(pdf, page, "-layout")
    rows = []
    for line in text.splitlines():
        cells = [normalise(cell) for cell in _CELL_GAP.split(line.strip())]
        cells = [cell for cell in cells if cell]
        if cells:
            rows.append(cells)
    return rows


def render_first_pages(pdf_tools, pdf: bytes, stem: str, pages: int = 3, dpi: int = 100) -> list:
    """The first ``pages`` pages as PNG files, also copied to test-artifacts/reporting/."""
    path = pdf_tools.save(pdf, stem)
    prefix = pdf_tools.tmp_path / stem
    result = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-l", str(pages), "-png", str(path), str(prefix)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    images = sorted(
        pdf_tools.tmp_path.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for image in images:
        shutil.copyfile(image, ARTIFACTS / f"report-{image.name}")
    return images


def ink_box(
    png, top_mm: float, bottom_mm: float, dpi: int = 100
) -> tuple[int, int, int, int] | None:
    """Pixel box of the dark ink between ``top_mm`` and ``bottom_mm`` from the top of the page."""
    with Image.open(png) as image:
        band = image.convert("L").crop(
            (0, int(top_mm / 25.4 * dpi), image.width, int(bottom_mm / 25.4 * dpi))
        )
        return band.point(lambda value: 255 if value < 140 else 0).getbbox()
