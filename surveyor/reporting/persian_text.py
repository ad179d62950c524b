"""Persian and Arabic text (mixed with Latin and numbers) laid out for ReportLab.

ReportLab draws glyphs left to right in the order it is given and does not join Arabic
letters, so every piece of text goes through the same stages here:

1. :func:`prepare` - logical (reading) order: whitespace collapsed, digits written as the
   language writes them (:func:`surveyor.formatting.localize_digits`), except inside runs
   marked with :func:`latin` (URLs, codes), which stay exactly as written.
2. :func:`wrap` - lines broken in logical order, each word measured in its joined form.
   Converting a whole paragraph first and letting ReportLab wrap it would put the lines
   in reverse order.
3. :func:`visual_line` - one line at a time: letters joined (arabic-reshaper), then put in
   display order with brackets mirrored (:mod:`._bidi`), then the invisible controls
   (ZWNJ, isolates, marks) removed, because the font draws ZWNJ as a visible bar.

Drawing: :func:`layout_paragraph` (a :class:`TextBlock` to measure, then draw on a canvas),
:func:`draw_paragraph`, :func:`draw_centred_line`, and :func:`paragraph` for Platypus.
Vowel marks are dropped by the reshaper («لطفاً» prints as «لطفا»): ReportLab cannot place
marks over their letters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

import arabic_reshaper
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from ..formatting import localize_digits, text_direction
from . import fonts
from ._bidi import visual_order

LRI, PDI = "\u2066", "\u2069"
# Dropped after conversion: the font has no glyph for some and draws ZWNJ as a bar.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_ISOLATED_RUN = re.compile(f"({LRI}[^{PDI}]*(?:{PDI}|$))")
# No-break spaces are left alone: wrap() breaks at plain spaces only.
_SPACES = re.compile(r"[ \t\u2000-\u200a\u205f\u3000]+")
_ALIGNMENTS = ("start", "center", "end")

# Letter ligatures (lam-alef) are required in Arabic script; word ligatures are turned off so
# that «عبدالله» or «ریال» print as letters, not as the U+FDF2 / U+FDFC signs.
_reshaper = arabic_reshaper.ArabicReshaper(configuration={
    "delete_harakat": True,
    "support_ligatures": True,
    "ARABIC LIGATURE ALLAH": False,
    "RIAL SIGN": False,
})


def latin(text: str) -> str:
    """Mark ``text`` (a URL, a code, a phone number) as one left-to-right run.

    Inside Persian text it keeps its own order («+98 21» does not become «21 +98») and its
    digits are not localized.
    """
    return f"{LRI}{text}{PDI}"


def prepare(text: str, lang: str) -> str:
    """``text`` in logical order as it will be laid out: spaces collapsed, line ends kept,
    digits localized for ``lang`` outside :func:`latin` runs."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    paragraphs = [_SPACES.sub(" ", line).strip() for line in lines]
    parts = _ISOLATED_RUN.split("\n".join(paragraphs))
    return "".join(part if part.startswith(LRI) else localize_digits(part, lang) for part in parts)


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """``text`` with Arabic-script letters in their joined forms, still in logical order."""
    return _reshaper.reshape(text)


def visual_line(line: str, lang: str) -> str:
    """One prepared line in display order, joined, mirrored, invisible controls removed."""
    base = "R" if text_direction(lang) == "rtl" else "L"
    return _INVISIBLE.sub("", visual_order(shape(line), base))


@lru_cache(maxsize=8192)
def _word_width(word: str, font: str, size: float) -> float:
    return stringWidth(_INVISIBLE.sub("", shape(word)), font, size)


def text_width(text: str, font: str, size: float) -> float:
    """Width in points of one line of prepared text as it will be drawn."""
    words = text.split(" ")
    spaces = (len(words) - 1) * _word_width(" ", font, size)
    return sum(_word_width(w, font, size) for w in words) + spaces


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line (a long URL, say), cut into pieces that fit."""
    pieces, current = [], ""
    for ch in word:
        if current and _word_width(current + ch, font, size) > width:
            pieces.append(current)
            current = ""
        current += ch
    return pieces + [current]


def _wrap_paragraphs(text: str, font: str, size: float, width: float) -> list[tuple[int, str]]:
    """(paragraph number, line) for every line of prepared ``text``."""
    if width <= 0:
        raise ValueError(f"the width to wrap text in must be positive, got {width}")
    space = _word_width(" ", font, size)
    result = []
    for number, para in enumerate(text.split("\n")):
        line, line_width = [], 0.0
        for word in para.split(" ") if para else []:
            w = _word_width(word, font, size)
            pieces = [word] if w <= width else _split_word(word, font, size, width)
            for piece in pieces:
                w = _word_width(piece, font, size)
                if line and line_width + space + w > width:
                    result.append((number, " ".join(line)))
                    line, line_width = [], 0.0
                line_width += (space if line else 0.0) + w
                line.append(piece)
        result.append((number, " ".join(line)))
    return result


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Prepared ``text`` broken into lines no wider than ``width`` points, in logical order.

    Breaks at spaces; a line end in ``text`` starts a new line; a single word wider than
    ``width`` is cut between characters.
    """
    return [line for _, line in _wrap_paragraphs(text, font, size, width)]


@dataclass(frozen=True)
class TextBlock:
    """A paragraph wrapped and converted for drawing: ``lines`` are in display order."""

    lines: tuple[str, ...]
    widths: tuple[float, ...]
    font: str
    size: float
    leading: float
    direction: str

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading

    def draw(self, canvas, *, x: float, top: float, width: float, align: str = "start",
             color=None) -> float:
        """Draw with the top of the first line at ``top``, within ``x``..``x + width``;
        returns the height used. ``align`` is ``start`` (right for rtl), ``center`` or ``end``."""
        if align not in _ALIGNMENTS:
            raise ValueError(f"align must be one of {', '.join(_ALIGNMENTS)}, got {align!r}")
        right = (align == "start") == (self.direction == "rtl")
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        if color is not None:
            canvas.setFillColor(color)
        # Arabic and Latin glyph bodies are centred about 0.3 em above the baseline.
        baseline = top - self.leading / 2 - self.size * 0.3
        for line, line_width in zip(self.lines, self.widths):
            if align == "center":
                canvas.drawString(x + (width - line_width) / 2, baseline, line)
            elif right:
                canvas.drawString(x + width - line_width, baseline, line)
            else:
                canvas.drawString(x, baseline, line)
            baseline -= self.leading
        canvas.restoreState()
        return self.height


def layout_paragraph(text: str, *, font: str, size: float, width: float, lang: str,
                     leading: float | None = None) -> TextBlock:
    """Wrap and convert ``text`` for drawing in a column ``width`` points wide.

    ``leading`` defaults to 1.6 times the size: Arabic script needs more room than Latin.
    """
    if font in (fonts.REGULAR, fonts.BOLD):
        fonts.register_fonts()
    lines = wrap(prepare(text, lang), font, size, width)
    visual = tuple(visual_line(line, lang) for line in lines)
    widths = tuple(stringWidth(line, font, size) for line in visual)
    return TextBlock(visual, widths, font, size, leading or size * 1.6, text_direction(lang))


def draw_paragraph(canvas, text: str, *, x: float, top: float, width: float, font: str,
                   size: float, lang: str, leading: float | None = None, align: str = "start",
                   color=None) -> float:
    """Wrap ``text`` into ``x``..``x + width`` below ``top``, right-aligned for Persian and
    Arabic; returns the height used."""
    block = layout_paragraph(text, font=font, size=size, width=width, lang=lang, leading=leading)
    return block.draw(canvas, x=x, top=top, width=width, align=align, color=color)


def draw_centred_line(canvas, text: str, *, x: float, y: float, font: str, size: float,
                      lang: str, color=None) -> float:
    """Draw one line (no wrapping) centred on ``x``, baseline at ``y``; returns its width."""
    if font in (fonts.REGULAR, fonts.BOLD):
        fonts.register_fonts()
    line = visual_line(prepare(text, lang).replace("\n", " "), lang)
    line_width = stringWidth(line, font, size)
    canvas.saveState()
    canvas.setFont(font, size)
    if color is not None:
        canvas.setFillColor(color)
    canvas.drawString(x - line_width / 2, y, line)
    canvas.restoreState()
    return line_width


def paragraph_style(name: str, *, size: float, bold: bool = False, lang: str = "fa",
                    align: str = "start", **kwargs) -> ParagraphStyle:
    """A ParagraphStyle in Noto Sans Arabic with room for Arabic script between lines."""
    fonts.register_fonts()
    kwargs.setdefault("leading", size * 1.6)
    return ParagraphStyle(name, fontName=fonts.BOLD if bold else fonts.REGULAR, fontSize=size,
                          alignment=_alignment(align, lang), **kwargs)


def _alignment(align: str, lang: str) -> int:
    if align not in _ALIGNMENTS:
        raise ValueError(f"align must be one of {', '.join(_ALIGNMENTS)}, got {align!r}")
    if align == "center":
        return TA_CENTER
    return TA_RIGHT if (align == "start") == (text_direction(lang) == "rtl") else TA_LEFT


class LocalizedParagraph(Flowable):
    """A Platypus paragraph in any display language; use :func:`paragraph` to make one.

    Wraps in logical order at the width the frame offers and hands ReportLab a Paragraph of
    ready-made display lines joined by ``<br/>``; splits across pages line by line.
    """

    # ReportLab's Paragraph measures with its own rounding: a hair of slack keeps it from
    # breaking a display-order line a second time.
    _SLACK = 0.5

    def __init__(self, text: str, style: ParagraphStyle, lang: str, align: str = "start",
                 *, prepared: bool = False):
        super().__init__()
        self.text = text if prepared else prepare(text, lang)
        self.lang = lang
        self.align = align
        self.style = ParagraphStyle(f"{style.name}-{lang}", parent=style,
                                    alignment=_alignment(align, lang))
        self._lines: list[tuple[int, str]] = []
        self._para: Paragraph | None = None

    def _text_width(self, avail_width: float) -> float:
        return avail_width - self.style.leftIndent - self.style.rightIndent - self._SLACK

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's names
        self._lines = _wrap_paragraphs(self.text, self.style.fontName, self.style.fontSize,
                                       self._text_width(availWidth))
        markup = "<br/>".join(escape(visual_line(line, self.lang)) for _, line in self._lines)
        self._para = Paragraph(markup, self.style)
        self.width, self.height = self._para.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):  # noqa: N802
        return self.style.spaceBefore

    def getSpaceAfter(self):  # noqa: N802
        return self.style.spaceAfter

    def split(self, availWidth, availHeight):  # noqa: N803
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(self._lines):
            return [self]
        if fit <= 0:
            return []
        head = "\n".join(line for _, line in self._lines[:fit])
        # The rest is wrapped again, at whatever width the next frame has.
        rest, previous = [], self._lines[fit - 1][0]
        for number, line in self._lines[fit:]:
            rest.append(("\n" if number != previous and rest else " ") + line)
            previous = number
        return [LocalizedParagraph(head, self.style, self.lang, self.align, prepared=True),
                LocalizedParagraph("".join(rest).lstrip(), self.style, self.lang, self.align,
                                   prepared=True)]


def paragraph(text: str, style: ParagraphStyle, lang: str,
              align: str = "start") -> LocalizedParagraph:
    """A Platypus flowable for ``text`` in ``lang``: right-to-left for fa/ar, left-to-right
    otherwise. ``align``: ``start`` (right for rtl), ``center`` or ``end``. Text, not markup."""
    if style.fontName in (fonts.REGULAR, fonts.BOLD):
        fonts.register_fonts()
    return LocalizedParagraph(text, style, lang, align)
