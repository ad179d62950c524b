"""What questionnaire and checklist reports share: the scope of a report (instrument, period,
filters), a :class:`Writer` that formats numbers, dates and texts in the report's language, and
the cover page."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping

from ..formatting import (
    format_number,
    format_percent,
    jalali_date,
    jalali_month_label,
    localize_digits,
)
from ..i18n import localized
from ..results.data import Filters
from . import fonts
from .persian_text import latin
from .report_definition import BoundTexts, ReportDefinition
from .report_layout import ReportLayout


@dataclass(frozen=True)
class ReportScope:
    """What a report covers. ``start``/``end`` are the first and last local days (from the
    filters, else from the data); ``point_names`` and ``respondent`` name the filtered service
    point and respondent group (labels per language) when those filters are set."""

    code: str
    title: Mapping[str, str]
    version: int
    filters: Filters
    start: dt.date | None
    end: dt.date | None
    generated_on: dt.date
    point_names: Mapping[str, str] | None = None
    respondent: tuple[Mapping[str, str], Mapping[str, str]] | None = None


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


def _filter_lines(w: Writer, t: BoundTexts) -> list[str]:
    """One line per filter that is set and that the report's definition has words for (a
    checklist report has none for the respondents' language, say, so those are not shown)."""
    filters, scope = w.filters, w.scope
    values = {}
    if filters.district:
        values["filter_district"] = {"value": w.district(filters.district)}
    if filters.service_point_id and scope.point_names:
        values["filter_point"] = {"value": localized(scope.point_names, w.lang)}
    if filters.language:
        values["filter_language"] = {"value": w.language_name(filters.language)}
    if filters.channel:
        key = f"channel_{filters.channel}"
        name = w.common(key) if w.definition.has_text("common", key) else latin(filters.channel)
        values["filter_channel"] = {"value": name}
    if filters.respondent and scope.respondent:
        question, option = scope.respondent
        values["filter_respondent"] = {
            "question": localized(question, w.lang),
            "value": localized(option, w.lang),
        }
    if filters.include_flagged:
        values["filter_flagged"] = {}
    return [t(key, **fill) for key, fill in values.items() if w.definition.has_text("cover", key)]


def cover(w: Writer, sample_lines: list[str], code_line: Callable[[BoundTexts], str]) -> list:
    """The first page: instrument title, code, Jalali period, sample, filters, date prepared."""
    t, layout = w.texts("cover"), w.layout
    scope = w.scope
    flow = [
        layout.space(6),
        layout.para(w.title, "cover_title"),
        layout.para(code_line(t), "cover_line"),
        layout.para(
            t("period", start=w.date(scope.start, "long"), end=w.date(scope.end, "long")),
            "cover_line",
        ),
        layout.space(4),
    ]
    flow += [layout.para(line, "cover_line") for line in sample_lines]
    flow += [layout.space(6), *layout.heading(t("filters"), level=1, outline=False)]
    filters = _filter_lines(w, t)
    flow.append(layout.items(filters) if filters else layout.para(t("no_filters")))
    flow += [
        layout.space(14),
        layout.para(t("prepared", date=w.date(scope.generated_on, "long")), "note"),
    ]
    return flow
