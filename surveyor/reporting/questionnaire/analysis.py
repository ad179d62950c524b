"""Questionnaire report sections that explain: the driver analysis, the importance-performance
matrix and the comparison of districts, each with its chart, table and plain-words reading."""

from __future__ import annotations

import math

from ... import charts
from ...results.questionnaire import MIN_FOR_DRIVERS, MIN_GROUP
from ..layout.writer import Writer, short

# The quadrant names of surveyor.stats.importance_performance -> text keys of the ipa section.
AREAS = {
    "concentrate here": "concentrate",
    "keep up the good work": "keep",
    "low priority": "low",
    "possible overkill": "overkill",
}


def _complete_answers(data) -> int:
    return data.results.drivers_n if data.results.drivers is not None else 0


def _too_few(w: Writer, data):
    """The paragraph shown instead of the driver analysis when there are too few answers."""
    return w.layout.para(w.common("too_few", minimum=w.number(MIN_FOR_DRIVERS),
                                  n=w.number(_complete_answers(data))))


def drivers(w: Writer, data) -> list:
    t, r, layout = w.texts("drivers"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    if r.drivers is None:
        return [*flow, _too_few(w, data)]
    table = r.drivers.sort_values("rank")
    labels = [data.label(code, w.lang) for code in table["driver"]]
    chart_labels = [short(label) for label in labels]
    share = "shapley_share" if table["shapley_share"].notna().all() else "relative_weight_share"
    flow.append(layout.para(t("explain", count=w.number(len(table)), r2=w.percent(r.drivers_r2))))
    if len(labels) >= 3:
        flow.append(
            layout.para(
                t(
                    "top",
                    first=labels[0],
                    second=labels[1],
                    third=labels[2],
                    share=w.percent(table[share].iloc[0]),
                )
            )
        )
    highlight = {i for i, code in enumerate(table["driver"]) if code in r.fix_first}
    figure = charts.bar_chart(
        chart_labels,
        list(100 * table[share]),
        w.lang,
        decimals=0,
        highlight=highlight,
        xlabel=t("axis"),
    )
    rows = [
        [
            w.number(int(row.rank)),
            label,
            w.percent(getattr(row, share), 1),
            w.percent(row.relative_weight_share, 1),
            w.number(row.performance, 2),
        ]
        for label, row in zip(labels, table.itertuples())
    ]
    return [
        *flow,
        layout.chart(figure),
        layout.note(t("highlighted")),
        layout.table(
            [t("col_rank"), t("col_aspect"), t("col_share"), t("col_weight"), t("col_score")],
            rows,
            [0.08, 0.5, 0.14, 0.14, 0.14],
            numeric={0, 2, 3, 4},
            marked=highlight,
        ),
        layout.note(t("table_note", n=w.number(r.drivers_n))),
    ]


def ipa(w: Writer, data) -> list:
    t, r, layout = w.texts("ipa"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    if r.ipa is None:
        return [*flow, _too_few(w, data)]
    matrix = r.ipa
    # each point is marked with a number, which the table of areas below gives with the aspect's name
    number = {code: w.number(i + 1) for i, code in enumerate(matrix["driver"])}
    figure = charts.importance_performance_chart(
        list(number.values()),
        list(matrix["importance"]),
        list(matrix["performance"]),
        list(matrix["quadrant"]),
        float(matrix["importance_cut"].iloc[0]),
        float(matrix["performance_cut"].iloc[0]),
        w.lang,
        xlabel=t("axis_importance"),
        ylabel=t("axis_performance"),
        legend=[(quadrant, t(f"area_{key}")) for quadrant, key in AREAS.items() if quadrant in set(matrix["quadrant"])],
    )
    rows, marked = [], set()
    for quadrant, key in AREAS.items():
        inside = matrix[matrix["quadrant"] == quadrant].sort_values("importance", ascending=False)
        names = [t("numbered", number=number[code], label=data.label(code, w.lang)) for code in inside["driver"]]
        if key == "concentrate":
            marked.add(len(rows))
        rows.append([t(f"area_{key}"), t(f"meaning_{key}"), w.listing(names) or w.common("dash")])
    return [
        *flow,
        layout.para(t("explain")),
        layout.chart(figure),
        layout.table(
            [t("col_area"), t("col_meaning"), t("col_aspects")],
            rows,
            [0.2, 0.33, 0.47],
            marked=marked,
        ),
    ]


def _district_rows(w: Writer, table, mark: str, untested: str) -> list[list[str]]:
    rows = []
    for row in table.itertuples():
        if row.too_few:
            rows.append([w.district(row.district), w.number(row.n), w.common("too_few_short", n=w.number(row.n)),
                         "", untested])
            continue
        if row.n < MIN_GROUP or getattr(row, "points", 2) < 2:
            verdict = untested
        else:
            verdict = mark if row.differs else w.common("dash")
        low = (
            None
            if row.ci_low is None or (isinstance(row.ci_low, float) and math.isnan(row.ci_low))
            else row.ci_low
        )
        rows.append(
            [
                w.district(row.district),
                w.number(row.n),
                w.number(row.mean, 2),
                w.ci(low, row.ci_high) if low is not None else w.common("dash"),
                verdict,
            ]
        )
    return rows


def districts(w: Writer, data) -> list:
    t, r, layout = w.texts("districts"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    if r.districts is None or r.districts.empty:
        return [*flow, layout.para(w.common("no_data"))]
    table = r.districts.sort_values("district").reset_index(drop=True)
    mark = t("mark")
    flow.append(layout.para(t("explain", mark=mark)))
    test = r.district_test
    if test is not None:
        key = "significant" if test.p_value < 0.05 else "not_significant"
        flow.append(layout.para(t(key, p=w.p_value(test.p_value), groups=w.number(test.groups))))
    elif len(table) > 1:
        flow.append(layout.para(t("untestable", minimum=w.number(max(r.min_responses, MIN_GROUP)))))
    marked = {i for i, differs in enumerate(table["differs"]) if differs}
    rows = _district_rows(w, table, mark, t("untested", minimum=w.number(max(r.min_responses, MIN_GROUP))))
    flow.append(
        layout.table(
            [t("col_district"), t("col_n"), t("col_mean"), t("col_ci"), t("col_differs")],
            rows,
            [0.18, 0.14, 0.14, 0.26, 0.28],
            numeric={1, 2, 3},
            marked=marked,
        )
    )
    if len(table) >= 2:
        kinds = _versus(table, test is not None)
        legend = [(charts.VERSUS_COLOURS[kind], t(f"legend_{kind}"))
                  for kind in charts.VERSUS_COLOURS if kind in kinds]
        figure = charts.bar_chart(
            [w.district(d) for d in table["district"]],
            list(table["mean"]),
            w.lang,
            low=[low if low == low else mean for low, mean in zip(table["ci_low"], table["mean"])],
            high=[high if high == high else mean for high, mean in zip(table["ci_high"], table["mean"])],
            decimals=1,
            colours=[charts.VERSUS_COLOURS[kind] for kind in kinds],
            legend=legend,
            xlabel=t("axis"),
        )
        flow.append(layout.chart(figure, size=(6.0, 0.3 * len(table) + 0.9 + 0.25 * len(legend))))
    return flow


def _versus(table, tested: bool) -> list[str]:
    """Each district against the rest of the city: ``higher``, ``lower`` (significantly),
    ``same`` or ``untested`` (too few answers or points, or no test at all)."""
    kinds = []
    for row in table.itertuples():
        if not tested or row.n < MIN_GROUP or getattr(row, "points", 2) < 2 or getattr(row, "too_few", False):
            kinds.append("untested")
        else:
            versus = getattr(row, "versus_rest", None)
            kinds.append(versus if isinstance(versus, str) else "same")
    return kinds
