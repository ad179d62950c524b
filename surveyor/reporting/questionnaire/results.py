"""Questionnaire report sections on the results themselves: overall satisfaction (with the
distribution of answers and the Net Promoter Score), the monthly trend, and waiting time
against the service's standard."""

from __future__ import annotations

from ... import charts
from ...i18n import localized
from ..layout.writer import Writer
from .summary import too_few_or_no_data


def overall(w: Writer, data) -> list:
    t, r, layout = w.texts("overall"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    outcome = data.item("outcome")
    if not r.overall:
        return [*flow, layout.para(too_few_or_no_data(w, r))]
    o = r.overall
    flow.append(layout.para(t("question", question=localized(outcome["labels"], w.lang))))
    rows = [
        [
            t("row_mean", max=w.number(o["scale_max"])),
            w.number(o["mean"], 2),
            w.ci(o["ci_low"], o["ci_high"]),
            w.number(o["n"]),
        ],
        [
            t("row_top"),
            w.percent(o["top_two_box"]),
            w.ci(o["top_ci_low"], o["top_ci_high"], 0, True),
            w.number(o["n"]),
        ],
    ]
    if r.nps:
        rows.append(
            [
                t("row_nps"),
                w.number(r.nps.nps),
                w.ci(r.nps.ci_low, r.nps.ci_high, 0),
                w.number(r.nps.n),
            ]
        )
    flow.append(
        layout.table(
            [t("col_measure"), t("col_value"), t("col_ci"), t("col_n")],
            rows,
            [0.4, 0.15, 0.27, 0.18],
            numeric={1, 2, 3},
        )
    )
    if r.nps:
        flow += [
            layout.space(2),
            layout.para(
                t(
                    "nps_parts",
                    promoters=w.percent(r.nps.promoters),
                    passives=w.percent(r.nps.passives),
                    detractors=w.percent(r.nps.detractors),
                )
            ),
        ]
    total = sum(data.outcome_counts.values())
    if total:
        options = sorted(outcome["options"], key=lambda o: -o["value"])
        labels = [localized(o["labels"], w.lang) for o in options]
        shares = [100 * data.outcome_counts.get(o["value"], 0) / total for o in options]
        figure = charts.bar_chart(labels, shares, w.lang, decimals=0, xlabel=t("distribution_axis"))
        flow.append(
            layout.keep(
                [
                    *layout.heading(t("distribution_heading"), 1),
                    layout.chart(figure, size=(6.0, 0.35 * len(options) + 0.9)),
                ]
            )
        )
    return flow


def _month_cells(w: Writer, row) -> list[str]:
    """A month's mean and interval, or why there are none (too few responses, or none)."""
    if not row.too_few:
        return [w.number(row.estimate, 2), w.ci(row.ci_low, row.ci_high)]
    return [w.common("too_few_short", n=w.number(row.n)) if row.n else w.common("dash"), ""]


def trend(w: Writer, data) -> list:
    t, r, layout = w.texts("trend"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    if r.trend is None or len(r.trend) < 2:
        return [*flow, layout.para(t("too_short"))]
    trend = r.trend
    months = [w.month(y, m) for y, m in zip(trend["year"], trend["month"])]
    figure = None if trend["estimate"].notna().sum() < 2 else charts.trend_chart(
        months,
        list(trend["estimate"]),
        list(trend["ci_low"]),
        list(trend["ci_high"]),
        w.lang,
        ylabel=t("axis"),
    )
    rows = [
        [month, w.number(row.n), *_month_cells(w, row)]
        for month, row in zip(months, trend.itertuples())
    ]
    return [
        *flow,
        layout.para(t("explain") + " " + t("gaps", minimum=w.number(r.min_responses))),
        *([layout.chart(figure)] if figure is not None else [layout.para(t("too_short"))]),
        layout.table(
            [t("col_month"), t("col_n"), t("col_mean"), t("col_ci")],
            rows,
            [0.3, 0.2, 0.2, 0.3],
            numeric={1, 2, 3},
        ),
    ]


def wait(w: Writer, data) -> list:
    t, r, layout = w.texts("wait"), data.results, w.layout
    flow = [*layout.heading(t("heading"))]
    item = data.item("wait_time")
    standard = data.definition.get("service_standard")
    if item is None or not standard:
        return [*flow, layout.para(t("none"))]
    flow.append(
        layout.para(
            t(
                "standard",
                standard=w.number(standard["minutes"]),
                label=localized(standard.get("labels"), w.lang),
            )
        )
    )
    if not r.wait or not r.wait.get("n"):
        return [*flow, layout.para(w.common("no_data"))]
    if r.wait.get("too_few"):
        return [*flow, layout.para(w.common("too_few_short", n=w.number(r.wait["n"])))]
    return [
        *flow,
        layout.para(
            t(
                "result",
                question=localized(item["labels"], w.lang),
                n=w.number(r.wait["n"]),
                median=w.number(r.wait["median"], 1),
                mean=w.number(r.wait["mean"], 1),
                within=w.percent(r.wait["within_standard"]),
                standard=w.number(r.wait["standard"]),
            )
        ),
    ]
