"""Checklist report section on scores: by district (table and chart), by part of the checklist,
by grade, and month by month."""

from __future__ import annotations

from ... import charts
from ...i18n import localized
from ..layout.writer import Writer
from .data import score


def compliance(w: Writer, data) -> list:
    t, f, layout = w.texts("compliance"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    if not f.n:
        return [*flow, layout.para(w.common("no_data"))]
    districts = f.districts.sort_values("district")
    flow += [*layout.heading(t("districts_heading"), 1), layout.para(t("explain"))]
    rows = [
        [
            w.district(r.district),
            w.number(r.n),
            score(w, r.mean),
            w.ci(r.ci_low / 100, r.ci_high / 100, 1, percent=True),
            w.percent(r.critical_rate),
        ]
        for r in districts.itertuples()
    ]
    flow.append(
        layout.table(
            [t("col_district"), t("col_n"), t("col_score"), t("col_ci"), t("col_critical")],
            rows,
            [0.2, 0.14, 0.18, 0.28, 0.2],
            numeric={1, 2, 3, 4},
        )
    )
    shown = districts.dropna(subset=["ci_low", "ci_high"])
    if len(shown) >= 2:
        flow.append(
            layout.chart(
                charts.bar_chart(
                    [w.district(d) for d in shown["district"]],
                    list(shown["mean"]),
                    w.lang,
                    low=list(shown["ci_low"]),
                    high=list(shown["ci_high"]),
                    decimals=0,
                    xlabel=t("axis"),
                ),
                size=(6.0, 0.3 * len(shown) + 0.9),
            )
        )
    dimensions = {d["code"]: d["labels"] for d in data.definition["dimensions"]}
    if f.sections is not None and not f.sections.empty:
        rows = [
            [localized(dimensions.get(r.dimension), w.lang) or r.dimension, score(w, r.mean)]
            for r in f.sections.sort_values("mean").itertuples()
        ]
        flow += [
            *layout.heading(t("sections_heading"), 1),
            layout.table([t("col_section"), t("col_section_score")], rows, [0.7, 0.3], numeric={1}),
        ]
    grades = data.definition["scoring"]["grades"]
    rows = [
        [
            data.grade_label(g["code"], w.lang),
            w.number(f.grades.get(g["code"], 0)),
            w.percent(f.grades.get(g["code"], 0) / f.n),
        ]
        for g in grades
    ]
    flow += [
        *layout.heading(t("grades_heading"), 1),
        layout.table(
            [t("col_grade"), t("col_n"), t("col_share")], rows, [0.5, 0.25, 0.25], numeric={1, 2}
        ),
    ]
    if f.trend is None or len(f.trend) < 2:
        return [*flow, *layout.heading(t("trend_heading"), 1), layout.para(t("trend_short"))]
    months = [w.month(y, m) for y, m in zip(f.trend["year"], f.trend["month"])]
    figure = charts.trend_chart(
        months,
        list(f.trend["estimate"]),
        list(f.trend["ci_low"]),
        list(f.trend["ci_high"]),
        w.lang,
        decimals=0,
        ylabel=t("trend_axis"),
    )
    return [
        *flow,
        layout.keep(
            [
                *layout.heading(t("trend_heading"), 1),
                layout.para(t("trend_explain")),
                layout.chart(figure),
            ]
        ),
    ]
