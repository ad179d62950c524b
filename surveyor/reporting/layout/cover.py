"""The first page of every report: instrument title, code, period, sample and filters."""

from __future__ import annotations

from typing import Callable

from ...i18n import localized
from ..persian_text import latin
from .definition import BoundTexts
from .writer import Writer


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
