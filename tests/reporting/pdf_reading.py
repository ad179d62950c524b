"""Read PDFs back the way a person would: text with ``pdftotext``, pages with ``pdftoppm``,
QR codes with ``zbarimg`` (Debian's poppler-utils and zbar-tools; ``make test`` installs them).

Rendered pages are also copied to ``test-artifacts/reporting/`` for a human to look at.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reporting"
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")


def normalise(text: str) -> str:
    """Text as it can be compared: NFKC (pdftotext returns the joined presentation forms),
    without format characters (ZWNJ, bidi marks and embeddings that pdftotext adds), without
    the vowel marks the layout drops, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(_ARABIC_MARKS.sub("", text).split())


def letters(text: str) -> str:
    """:func:`normalise` without spaces. pdftotext guesses spaces from the gaps between
    glyphs and loses some where the direction changes («۱۴۰۳ بیش» comes back as «۱۴۰۳بیش»,
    «گرامی، لطفا» as «گرامی ،لطفا»), though the rendered page shows them; the letters and
    their order are what the PDF must get right."""
    return normalise(text).replace(" ", "")


class PdfTools:
    def __init__(self, tmp_path: Path, name: str):
        self.tmp_path = tmp_path
        self.name = name

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, capture_output=True, text=True, timeout=60)

    def save(self, pdf: bytes, stem: str = "doc") -> Path:
        path = self.tmp_path / f"{stem}.pdf"
        path.write_bytes(pdf)
        return path

    def text(self, pdf: bytes, page: int | None = None, *extra: str) -> str:
        path = self.save(pdf, "text")
        pages = ("-f", str(page), "-l", str(page)) if page else ()
        result = self._run("pdftotext", *pages, *extra, str(path), "-")
        assert result.returncode == 0, result.stderr
        return result.stdout

    def page_count(self, pdf: bytes) -> int:
        result = self._run("pdfinfo", str(self.save(pdf, "info")))
        assert result.returncode == 0, result.stderr
        return int(re.search(r"^Pages:\s+(\d+)", result.stdout, re.M).group(1))

    def render(self, pdf: bytes, stem: str, dpi: int = 100) -> list[Path]:
        """Each page as a PNG, in page order; copies kept under test-artifacts/reporting/."""
        prefix = self.tmp_path / stem
        path = self.save(pdf, stem)
        result = self._run("pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix))
        assert result.returncode == 0, result.stderr
        pages = sorted(self.tmp_path.glob(f"{stem}-*.png"),
                       key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for page in pages:
            shutil.copyfile(page, ARTIFACTS / f"{self.name}-{page.name}")
        return pages

    def decode_qr(self, png: Path) -> list[str]:
        """Every QR code zbarimg finds in the image (none: an empty list)."""
        result = self._run("zbarimg", "--raw", "-q", str(png))
        assert result.returncode in (0, 4), result.stderr  # 4: no symbol found
        return result.stdout.splitlines()
