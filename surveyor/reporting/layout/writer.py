"""What questionnaire and checklist reports share: the scope of a report (instrument, period,
filters) and a :class:`Writer` that formats numbers, dates and texts in the report's language."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from ...formatting import (
    format_number,
    format_percent,
    jalali_date,
    jalali_month_label,
    localize_digits,
)
from ...i18n import localized
from ...results.data import Filters
from .. import fonts
from ..persian_text import latin
from .definition import BoundTexts, ReportDefinition
from .flowables import ReportLayout


@dataclass(frozen=True)
class ReportScope:
    """What a report covers. ``start``/``end`` are the first and last local days (from the
    filters, else from the data); ``point_names`` and ``respondent`` name the filtered service
    point and respondent group (labels per language) when those filters are set; ``office``,
    ``city`` (names per language) and ``logo`` (a file) are whose report it is, for the cover."""

    code: str
    title: Mapping[str, str]
    version: int
    filters: Filters
    start: dt.date | None
    end: dt.date | None
    generated_on: dt.date
    point_names: Mapping[str, str] | None = None
    respondent: tuple[Mapping[str, str], Mapping[str, str]] | None = None
    office: Mapping[str, str] | None = None
    city: Mapping[str, str] | None = None
    logo: str | None = None

    def brand_line(self, lang: str) -> str:
        """«office • city» in ``lang`` (else Persian), or nothing when the report has no branding."""
        if not self.office or not self.city:
            return ""
        return f"{self.office.get(lang) or self.office['fa']} • {self.city.get(lang) or self.city['fa']}"


class Writer:
    """Texts, numbers and dates in one report language, and the layout they go into."""

    def __init__(self, definition: ReportDefinition, lang: str, scope: ReportScope):
        self.definition, self.lang, self.scope = definition, lang, scope
        self.page = definition.bound("page", lang)
        self.common = definition.bound("common", lang)
        with_cover = definition.has_text("cover", "kicker")
        self.layout = ReportLayout(
            lang,
            header=self.page("header"),
            title=self.title,
            footer=self.page("footer", page="{page}", pages="{pages}"),
            kicker=definition.text("cover", "kicker", lang) if with_cover else self.page("header"),
            brand=scope.brand_line(lang),
            logo=scope.logo,
        )

    def texts(self, section: str) -> BoundTexts:
        return self.definition.bound(section, self.lang)

    @property
    def filters(self) -> Filters:
        return self.scope.filters

    @property
    def title(self) -> str:
        return localized(self.scope.title, self.lang)

    # -- numbers -----------------------------------------------------------------------
    def number(self, value, decimals: int = 0) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.common("dash")
        return format_number(value, self.lang, decimals)

    def percent(self, share, decimals: int = 0) -> str:
        """A share (0-1) as a percentage: «۸۵٪»."""
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return self.common("dash")
        return format_percent(100 * share, self.lang, decimals)

    def ci(self, low, high, decimals: int = 2, percent: bool = False) -> str:
        if (
            low is None
            or high is None
            or any(isinstance(v, float) and math.isnan(v) for v in (low, high))
        ):
            return self.common("dash")
        show = (
            (lambda v: self.percent(v, decimals))
            if percent
            else (lambda v: self.number(v, decimals))
        )
        return self.common("ci", low=show(low), high=show(high))

    def p_value(self, p: float) -> str:
        if p < 0.001:
            return self.common("p_below", value=self.number(0.001, 3))
        return self.common("p_equal", value=self.number(p, 3))

    def district(self, number) -> str:
        return self.common("district", number=localize_digits(int(number), self.lang))

    def date(self, day: dt.date | None, style: str = "numeric") -> str:
        return jalali_date(day, self.lang, style=style) if day else self.common("dash")

    def month(self, year: int, month: int) -> str:
        return jalali_month_label(int(year), int(month), self.lang)

    def language_name(self, code: str) -> str:
        key = f"language_{code}"
        return self.common(key) if self.definition.has_text("common", key) else latin(code)

    def listing(self, texts) -> str:
        return self.common("list_separator").join(texts)


def short(text: str, limit: int = 48) -> str:
    """``text`` cut at a word to at most about ``limit`` characters, with «…» (chart labels)."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip("،,;:(«")
    return cut + "…"


def printable(text: str) -> str:
    """``text`` without the characters the report font cannot draw (emoji, for instance), which
    would otherwise print as empty boxes; controls become spaces."""
    fonts.register_fonts()
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(text))
    missing = set(fonts.missing_glyphs(text, fonts.REGULAR)) - {"\u200c", "\u200d"}
    return "".join(ch for ch in text if ch not in missing) if missing else text
