"""QR codes for survey links, and the printable posters that carry them (A4 or A5 PDF).

A poster has, from top to bottom: the office's logo and heading (office and city) on a coloured band, the
instrument's title, the service point's name, a call to action, a large QR code drawn as
vector squares, the short link in a monospace font, and the district. Persian comes first;
Arabic and English follow in smaller type when the instrument is offered in them. Sizes are
worked out for each page so that long names wrap and shrink instead of running off it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import qrcode
import qrcode.image.svg
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..formatting import localize_digits
from . import fonts
from .logo import draw_logo
from .persian_text import TextBlock, layout_paragraph, prepare, visual_line

PAGE_SIZES = {"A4": A4, "A5": A5}
# Q restores up to a quarter of the code: posters get scuffed, stickered and photographed at
# an angle. Short links keep the code small (version 3 or 4) even so.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks

PRIMARY = HexColor("#0F4C5C")
ACCENT = HexColor("#E36414")
INK = HexColor("#1F2933")
MUTED = HexColor("#52606D")
HEADING_SECONDARY = HexColor("#D6E6EA")
RULE = HexColor("#CBD2D9")

DISTRICT_LABEL = "منطقه {}"
TEXT_FIELDS = ("heading", "instrument_title", "point_name", "call_to_action")


@dataclass(frozen=True)
class Poster:
    """What one poster says. Text fields map a language code to text; ``fa`` is required.

    ``languages`` are the instrument's languages (``fa`` among them): Arabic and English
    texts are printed, after the Persian, only when the instrument is offered in them.
    """

    heading: Mapping[str, str]
    instrument_title: Mapping[str, str]
    point_name: Mapping[str, str]
    languages: tuple[str, ...]
    district: int
    url: str
    call_to_action: Mapping[str, str]
    logo: str | None = None  # an SVG or PNG file (surveyor.branding checks it at start-up)

    def __post_init__(self):
        errors = []
        languages = tuple(self.languages)
        if "fa" not in languages:
            errors.append(f"languages must include 'fa', got {list(languages)}")
        for name in TEXT_FIELDS:
            texts = getattr(self, name)
            if not isinstance(texts, Mapping):
                errors.append(f"{name} must map a language code to text, "
                              f"got {type(texts).__name__}")
                continue
            if not str(texts.get("fa") or "").strip():
                errors.append(f"{name} has no Persian ('fa') text")
            object.__setattr__(self, name, MappingProxyType(dict(texts)))
        district = self.district
        if isinstance(district, bool) or not isinstance(district, int) or district < 0:
            errors.append(f"district must be a whole number from 0 up, got {self.district!r}")
        url = str(self.url or "")
        if not url or not url.isascii() or any(ch.isspace() for ch in url):
            errors.append(f"url must be a short link in plain ASCII without spaces, "
                          f"got {self.url!r}")
        if errors:
            raise ValueError(f"poster for {self.url!r} cannot be printed: " + "; ".join(errors))
        object.__setattr__(self, "languages", languages)

    def texts(self, name: str) -> list[tuple[str, str]]:
        """(language, text) pairs of field ``name`` to print, Persian first."""
        texts = getattr(self, name)
        return [(lang, texts[lang]) for lang in ("fa", "ar", "en")
                if lang in self.languages and str(texts.get(lang) or "").strip()]


def _qr(url: str, box_size: int = 10) -> qrcode.QRCode:
    if not url:
        raise ValueError("a QR code needs a non-empty link")
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_svg(url: str) -> str:
    """The QR code for ``url`` as an SVG document (one path, on a white background)."""
    image = _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    return image.to_string(encoding="unicode")


def qr_png(url: str, box_size: int = 10) -> bytes:
    """The QR code for ``url`` as a black-and-white PNG, ``box_size`` pixels per module."""
    if box_size < 1:
        raise ValueError(f"box_size must be at least 1 pixel, got {box_size}")
    out = io.BytesIO()
    _qr(url, box_size).make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code (with its quiet zone) as a ``size``-point square at ``x``, ``y`` (lower left).

    Each row's dark modules are merged into runs and all go into one filled path, so that
    renderers leave no hairline seams between neighbouring squares.
    """
    matrix = _qr(url).get_matrix()
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        top = y + size - row_number * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, top - module, (column - start) * module, module)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


@dataclass
class _Stack:
    """Text blocks for one part of the poster, with the gaps between them."""

    blocks: list[TextBlock]
    colors: list
    gap: float

    @property
    def height(self) -> float:
        if not self.blocks:
            return 0.0
        return sum(b.height for b in self.blocks) + self.gap * (len(self.blocks) - 1)

    def draw(self, canvas, x: float, top: float, width: float) -> float:
        for block, color in zip(self.blocks, self.colors):
            top -= block.draw(canvas, x=x, top=top, width=width, align="center", color=color)
            top -= self.gap
        return self.height


# Type sizes on A4 in points, for fa / ar / en; scaled down with the page and, when the text
# is long, a little more until everything fits, but never below MIN_TYPE_SIZE.
MIN_TYPE_SIZE = 6.5
_SIZES = {
    "heading": (17, 14, 10),
    "instrument_title": (25, 19, 12),
    "point_name": (21, 16, 11),
    "call_to_action": (16, 13, 10),
}
DISTRICT_SIZE = 14


def _stack(poster: Poster, name: str, width: float, scale: float, colors: tuple) -> _Stack:
    sizes = dict(zip(("fa", "ar", "en"), _SIZES[name]))
    blocks, block_colors = [], []
    for lang, text in poster.texts(name):
        bold = lang == "fa" and name != "call_to_action"
        font = fonts.BOLD if bold else fonts.REGULAR
        size = max(MIN_TYPE_SIZE, sizes[lang] * scale)
        blocks.append(layout_paragraph(text, font=font, size=size, width=width, lang=lang))
        block_colors.append(colors[0] if lang == "fa" else colors[1])
    return _Stack(blocks, block_colors, gap=1.2 * mm * scale)


def _district_line(poster: Poster) -> str:
    return DISTRICT_LABEL.format(localize_digits(poster.district, "fa"))


def _url_size(url: str, width: float, size: float) -> float:
    """Largest type size up to ``size`` at which ``url`` fits on one line of ``width``."""
    return min(size, width / max(stringWidth(url, fonts.MONOSPACE_BOLD, 1), 1e-6))


def _draw_poster(canvas: Canvas, poster: Poster, page_width: float, page_height: float) -> None:
    page_scale = page_width / A4[0]
    margin = max(12 * mm, 18 * mm * page_scale)
    width = page_width - 2 * margin
    pad = 5 * mm * page_scale
    gap = 6 * mm * page_scale
    qr_max = 0.8 * width
    qr_min = 0.5 * width
    # The logo sits at the band's start; the heading keeps as much room on the other side, centred.
    logo_size = 16 * mm * page_scale if poster.logo else 0
    logo_room = logo_size + pad if poster.logo else 0
    # Shrink the text a little at a time until the QR code gets at least its minimum size.
    for step in range(12):
        text_scale = page_scale * 0.93 ** step
        heading = _stack(poster, "heading", width - 2 * pad - 2 * logo_room, text_scale, (white, HEADING_SECONDARY))
        title = _stack(poster, "instrument_title", width, text_scale, (INK, MUTED))
        point = _stack(poster, "point_name", width, text_scale, (PRIMARY, MUTED))
        action = _stack(poster, "call_to_action", width, text_scale, (INK, MUTED))
        district = layout_paragraph(_district_line(poster), font=fonts.BOLD,
                                    size=DISTRICT_SIZE * text_scale, width=width, lang="fa")
        url_size = _url_size(poster.url, width, 14 * text_scale)
        band = max(heading.height, logo_size) + 2 * pad
        url_height = url_size * 1.6
        footer = gap / 4 + district.height
        # Four gaps stretch: below the band, around the rule, above the call to action and
        # above the footer; the call to action sits close to the code it introduces.
        fixed = (band + title.height + point.height + action.height + gap * 0.6 + url_height
                 + footer + 4 * gap)
        qr_size = min(qr_max, page_height - 2 * margin - fixed)
        if qr_size >= qr_min:
            break
    else:
        raise ValueError(f"poster for {poster.url!r}: the texts are too long to fit with a "
                         f"readable QR code on this page size; shorten the title or point name")

    top = page_height - margin
    canvas.setFillColor(PRIMARY)
    canvas.roundRect(margin, top - band, width, band, 3 * mm * page_scale, stroke=0, fill=1)
    heading.draw(canvas, margin + pad + logo_room, top - (band - heading.height) / 2, width - 2 * pad - 2 * logo_room)
    # Persian reads from the right: the logo starts the band there.
    draw_logo(canvas, poster.logo, margin + width - pad - logo_size, top - band / 2 - logo_size / 2, logo_size)

    stretch = gap + (page_height - 2 * margin - fixed - qr_size) / 4
    top -= band + stretch
    top -= title.draw(canvas, margin, top, width) + stretch / 2
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.5 * page_scale)
    rule = 12 * mm * page_scale
    canvas.line(page_width / 2 - rule, top, page_width / 2 + rule, top)
    top -= stretch / 2
    top -= point.draw(canvas, margin, top, width) + stretch
    top -= action.draw(canvas, margin, top, width) + gap * 0.6

    _draw_qr(canvas, poster.url, (page_width - qr_size) / 2, top - qr_size, qr_size)
    top -= qr_size
    canvas.setFont(fonts.MONOSPACE_BOLD, url_size)
    canvas.setFillColor(INK)
    canvas.drawCentredString(page_width / 2, top - url_size * 1.1, poster.url)

    bottom = margin + district.height
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.75 * page_scale)
    canvas.line(margin, bottom + gap / 4, page_width - margin, bottom + gap / 4)
    district.draw(canvas, x=margin, top=bottom, width=width, align="center", color=PRIMARY)


def _unprintable(posters: list[Poster]) -> list[str]:
    """One message per text that holds characters the font has no glyph for (they would
    silently vanish from the page)."""
    problems = []
    for number, poster in enumerate(posters, 1):
        for name in TEXT_FIELDS:
            for lang, text in poster.texts(name):
                line = visual_line(prepare(text, lang).replace("\n", " "), lang)
                missing = fonts.missing_glyphs(line, fonts.REGULAR)
                if missing:
                    problems.append(f"poster {number} ({poster.url}): {name} [{lang}] has "
                                    f"characters the font cannot print: {' '.join(missing)}")
    return problems


def posters_pdf(posters: list[Poster], size: str = "A4") -> bytes:
    """A PDF with one page per poster, in the order given, on A4 or A5 paper.

    Raises ValueError, naming every poster and text at fault, when a text holds characters
    the font cannot print or is too long to leave room for a readable QR code.
    """
    if size not in PAGE_SIZES:
        raise ValueError(f"poster size must be one of {', '.join(PAGE_SIZES)}, got {size!r}")
    if not posters:
        raise ValueError("there are no posters to print")
    fonts.register_fonts()
    problems = _unprintable(posters)
    if problems:
        raise ValueError("; ".join(problems) + "; remove or replace those characters")
    page_width, page_height = PAGE_SIZES[size]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page_width, page_height), pageCompression=1)
    canvas.setCreator("Sanjeh")
    canvas.setTitle(posters[0].instrument_title["fa"] if len(posters) == 1 else
                    posters[0].heading["fa"])
    for poster in posters:
        _draw_poster(canvas, poster, page_width, page_height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
