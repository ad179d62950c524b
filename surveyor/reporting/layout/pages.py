"""The pages of a report: A4 geometry and colours, the cover's band, the running header and the
footer with «page 3 of 12» in the report's digits, and the document that puts them together."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from .. import fonts
from ..logo import draw_logo
from ..persian_text import layout_paragraph

PRIMARY = HexColor("#0F4C5C")
ACCENT = HexColor("#E36414")
INK = HexColor("#1F2933")
MUTED = HexColor("#52606D")
RULE = HexColor("#CBD2D9")
TINT = HexColor("#EEF4F6")
MARK = HexColor("#FDECEC")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP = 24 * mm  # room for the running header
BOTTOM = 20 * mm  # room for the footer
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
COVER_BAND = 62 * mm


def _canvas_class(draw_furniture):
    """A canvas that holds every page back until the end, so that each footer can say
    «page 3 of 12»: ``draw_furniture(canvas, page, pages)`` runs on each page before it is
    written."""

    class _NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                draw_furniture(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return _NumberedCanvas


def _one_line(text: str, font: str, width: float, lang: str):
    """``text`` laid out on one line; a text too long for ``width`` is cut at a word."""
    block = layout_paragraph(text, font=font, size=8, width=width, lang=lang)
    return replace(block, lines=block.lines[:1], widths=block.widths[:1])


@dataclass(frozen=True)
class PageDesign:
    """What the pages say around the content: ``kicker`` on the cover's band, under ``brand``
    (the office and the city) and beside ``logo`` (an SVG or PNG file), ``header`` (the
    report's name) and ``title`` (the instrument's) at the top of the other pages, ``footer``
    a template with ``{page}`` and ``{pages}``."""

    lang: str
    kicker: str
    header: str
    title: str
    footer: str
    brand: str = ""
    logo: str | None = None

    def draw_cover(self, canvas, _doc) -> None:
        canvas.saveState()
        canvas.setFillColor(PRIMARY)
        canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_HEIGHT - COVER_BAND - 2 * mm, PAGE_WIDTH, 2 * mm, stroke=0, fill=1)
        # The logo starts the band (on the right in Persian), the words take the rest.
        logo = 26 * mm if self.logo else 0
        room = logo + 6 * mm if self.logo else 0
        rtl = self.lang in ("fa", "ar")
        x = MARGIN if rtl else MARGIN + room
        width = FRAME_WIDTH - room
        block = layout_paragraph(self.kicker, font=fonts.BOLD, size=20, width=width, lang=self.lang)
        brand = layout_paragraph(self.brand, font=fonts.REGULAR, size=12, width=width, lang=self.lang) \
            if self.brand else None
        gap = 3 * mm if brand else 0
        height = block.height + gap + (brand.height if brand else 0)
        top = PAGE_HEIGHT - COVER_BAND / 2 + height / 2
        if brand:
            top -= brand.draw(canvas, x=x, top=top, width=width, color=white) + gap
        block.draw(canvas, x=x, top=top, width=width, color=white)
        draw_logo(canvas, self.logo, PAGE_WIDTH - MARGIN - logo if rtl else MARGIN,
                  PAGE_HEIGHT - COVER_BAND / 2 - logo / 2, logo)
        canvas.restoreState()

    def draw_furniture(self, canvas, page: int, pages: int) -> None:
        """Running header and footer on every page after the cover."""
        if page == 1:
            return
        canvas.saveState()
        top, half = PAGE_HEIGHT - 11 * mm, FRAME_WIDTH / 2 - 3 * mm
        _one_line(self.header, fonts.BOLD, half, self.lang).draw(
            canvas, x=MARGIN, top=top, width=FRAME_WIDTH, color=PRIMARY
        )
        _one_line(self.title, fonts.REGULAR, half, self.lang).draw(
            canvas, x=MARGIN, top=top, width=FRAME_WIDTH, align="end", color=MUTED
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 6 * mm, PAGE_WIDTH - MARGIN, top - 6 * mm)
        canvas.line(MARGIN, 14 * mm, PAGE_WIDTH - MARGIN, 14 * mm)
        footer = layout_paragraph(
            self.footer.format(page=page, pages=pages),
            font=fonts.REGULAR,
            size=8,
            width=FRAME_WIDTH,
            lang=self.lang,
        )
        footer.draw(canvas, x=MARGIN, top=12.5 * mm, width=FRAME_WIDTH, align="center", color=MUTED)
        canvas.restoreState()

    def build(self, cover: list, body: list, *, pdf_title: str) -> bytes:
        """The PDF: ``cover`` flowables on the first page, ``body`` from the second on."""
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=A4,
            title=pdf_title,
            author=self.brand or "Sanjeh",
            creator="Sanjeh",
            lang=self.lang,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            pageCompression=1,
        )
        cover_frame = Frame(
            MARGIN,
            BOTTOM,
            FRAME_WIDTH,
            PAGE_HEIGHT - COVER_BAND - BOTTOM - 12 * mm,
            id="cover",
            leftPadding=0,
            rightPadding=0,
        )
        body_frame = Frame(
            MARGIN,
            BOTTOM,
            FRAME_WIDTH,
            PAGE_HEIGHT - TOP - BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates(
            [
                PageTemplate("cover", [cover_frame], onPage=self.draw_cover),
                PageTemplate("body", [body_frame]),
            ]
        )
        doc.build(
            [*cover, NextPageTemplate("body"), PageBreak(), *body],
            canvasmaker=_canvas_class(self.draw_furniture),
        )
        return out.getvalue()
