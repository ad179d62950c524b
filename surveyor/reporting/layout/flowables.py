"""The building blocks every report shares: headings, paragraphs, lists, tables, key figures and
charts, right to left for Persian (the pages around them are in :mod:`.pages`).

Report builders ask a :class:`ReportLayout` for flowables and hand them back to
:meth:`ReportLayout.build`, which returns the PDF. Every piece of text goes through
:mod:`..persian_text`, so it is shaped, ordered and wrapped for the report's language.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from ... import charts
from ...formatting import text_direction
from .. import fonts
from ..persian_text import LocalizedParagraph, paragraph, paragraph_style
from .pages import FRAME_WIDTH, INK, MARK, MUTED, PRIMARY, RULE, TINT, PageDesign

CHART_DPI = 200


class _Heading(LocalizedParagraph):
    """A heading that also becomes an entry of the PDF's outline (bookmarks)."""

    def __init__(self, text: str, style, lang: str, level: int):
        super().__init__(text, style, lang)
        self.title, self.level = text, level

    def draw(self):
        key = f"heading-{id(self)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.title, key, level=self.level, closed=False)
        super().draw()


class ReportLayout:
    """Flowables for one report in one language.

    ``header`` is the running header's text (the report's name), ``title`` the instrument's
    title shown beside it, ``footer`` a template with ``{page}`` and ``{pages}``.
    """

    def __init__(self, lang: str, *, header: str, title: str, footer: str, kicker: str, brand: str = "",
                 logo: str | None = None):
        fonts.register_fonts()
        self.lang, self.rtl = lang, text_direction(lang) == "rtl"
        self.pages = PageDesign(lang, kicker=kicker, header=header, title=title, footer=footer, brand=brand,
                                logo=logo)
        self.styles = {
            "cover_title": paragraph_style(
                "cover-title", size=24, bold=True, lang=lang, textColor=PRIMARY, spaceAfter=4 * mm
            ),
            "cover_line": paragraph_style(
                "cover-line", size=12, lang=lang, textColor=INK, spaceAfter=1.5 * mm
            ),
            "h1": paragraph_style(
                "h1",
                size=16,
                bold=True,
                lang=lang,
                textColor=PRIMARY,
                spaceBefore=2 * mm,
                spaceAfter=3 * mm,
                keepWithNext=1,
            ),
            "h2": paragraph_style(
                "h2",
                size=12,
                bold=True,
                lang=lang,
                textColor=INK,
                spaceBefore=3 * mm,
                spaceAfter=1.5 * mm,
            ),
            "body": paragraph_style("body", size=10, lang=lang, textColor=INK, spaceAfter=2 * mm),
            "note": paragraph_style(
                "note", size=8.5, lang=lang, textColor=MUTED, spaceAfter=2 * mm
            ),
            "cell": paragraph_style("cell", size=8.5, lang=lang, textColor=INK, leading=12.5),
            "cell_head": paragraph_style(
                "cell-head", size=8.5, bold=True, lang=lang, textColor=white, leading=12.5
            ),
            "figure": paragraph_style(
                "figure", size=20, bold=True, lang=lang, textColor=PRIMARY, leading=30
            ),
            "figure_caption": paragraph_style(
                "figure-caption", size=8.5, lang=lang, textColor=INK, leading=12.5
            ),
            "figure_note": paragraph_style(
                "figure-note", size=7.5, lang=lang, textColor=MUTED, leading=11
            ),
        }

    # -- text ---------------------------------------------------------------------------
    def para(self, text: str, style: str = "body", align: str = "start") -> LocalizedParagraph:
        return paragraph(text, self.styles[style], self.lang, align)

    def heading(self, text: str, level: int = 0, outline: bool = True) -> list:
        """A section heading, also an entry of the PDF's outline unless ``outline`` is false.

        A heading starts a new page when little room is left below it (60 mm for a section,
        30 mm for a sub-heading). A section heading is kept with the paragraph that follows; a
        sub-heading is not (it would drag a long table to the next page): keep it with a chart
        by :meth:`keep`."""
        style = self.styles["h1" if level == 0 else "h2"]
        flow = [
            (
                _Heading(text, style, self.lang, level)
                if outline
                else self.para(text, "h1" if level == 0 else "h2")
            )
        ]
        return [CondPageBreak((60 if level == 0 else 30) * mm), *flow]

    def note(self, text: str) -> LocalizedParagraph:
        return self.para(text, "note")

    def items(self, texts: list[str], numbered: bool = False, style: str = "body") -> Table:
        """A list with hanging markers (bullets, or numbers in the report's digits)."""
        from ...formatting import localize_digits

        marks = [
            localize_digits(f"{i}.", self.lang) if numbered else "•"
            for i in range(1, len(texts) + 1)
        ]
        rows = [
            [self.para(m, style, "end" if numbered else "center"), self.para(t, style)]
            for m, t in zip(marks, texts)
        ]
        widths = [8 * mm, FRAME_WIDTH - 8 * mm]
        if self.rtl:
            rows, widths = [row[::-1] for row in rows], widths[::-1]
        table = Table(rows, colWidths=widths, hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    # -- tables and figures ----------------------------------------------------------------
    def table(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float],
        *,
        numeric: frozenset[int] | set[int] = frozenset(),
        marked: set[int] = frozenset(),
        bold_first: bool = False,
    ) -> Table:
        """A table in reading order: columns run right to left in Persian. ``widths`` are
        fractions of the text width; ``numeric`` columns are right-aligned in English (all
        columns are right-aligned in Persian); ``marked`` rows get a tinted background. A cell
        given as ``(text, language)`` is laid out in that language (a citizen's comment)."""

        def cell(value, column, style):
            if isinstance(value, tuple):  # (text, language): someone's own words, in their language
                return paragraph(value[0], self.styles[style], value[1])
            align = "end" if column in numeric and not self.rtl else "start"
            return self.para(str(value), style, align)

        body = [[cell(h, c, "cell_head") for c, h in enumerate(header)]]
        body += [[cell(v, c, "cell") for c, v in enumerate(row)] for row in rows]
        col_widths = [w * FRAME_WIDTH for w in widths]
        if self.rtl:
            body, col_widths = [row[::-1] for row in body], col_widths[::-1]
        table = Table(body, colWidths=col_widths, repeatRows=1, hAlign="CENTER")
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), PRIMARY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        style += [("BACKGROUND", (0, r + 1), (-1, r + 1), MARK) for r in sorted(marked)]
        table.setStyle(TableStyle(style))
        return table

    def key_figures(self, figures: list[tuple[str, str, str]]) -> Table:
        """Cards of (value, caption, note), in reading order."""
        cells = [
            [
                self.para(value, "figure", "center"),
                self.para(caption, "figure_caption", "center"),
                self.para(note, "figure_note", "center"),
            ]
            for value, caption, note in figures
        ]
        if self.rtl:
            cells = cells[::-1]
        width = FRAME_WIDTH / max(len(cells), 1)
        table = Table([cells], colWidths=[width] * len(cells), hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), TINT),
                    ("LINEAFTER", (0, 0), (-2, -1), 3, white),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return table

    def chart(
        self, figure, width: float | None = None, size: tuple[float, float] | None = None
    ) -> Image:
        """A matplotlib figure as a PNG at :data:`CHART_DPI`.

        ``size`` (inches) first resizes the figure, so that a chart with few bars can be small
        without shrinking its lettering. ``width`` is a fraction of the text width; by default
        the chart is shown at its own size (its labels at the type size they were set in),
        shrunk to the text width if wider. The height keeps the figure's proportions."""
        if size is not None:
            figure.set_size_inches(*size)
            figure.tight_layout()
        png = charts.to_png(figure, dpi=CHART_DPI)
        fig_width, fig_height = figure.get_size_inches()
        shown = width * FRAME_WIDTH if width else min(FRAME_WIDTH, fig_width * 72)
        image = Image(io.BytesIO(png), width=shown, height=shown * fig_height / fig_width)
        image.hAlign = "CENTER"
        image.spaceBefore = image.spaceAfter = 2 * mm
        return image

    @staticmethod
    def space(height_mm: float = 3) -> Spacer:
        return Spacer(1, height_mm * mm)

    @staticmethod
    def keep(flowables: list) -> KeepTogether:
        return KeepTogether(flowables)

    @staticmethod
    def new_page() -> PageBreak:
        return PageBreak()

    def build(self, cover: list, body: list, *, pdf_title: str) -> bytes:
        """The PDF: ``cover`` flowables on the first page, ``body`` from the second on."""
        return self.pages.build(cover, body, pdf_title=pdf_title)
