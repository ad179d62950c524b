"""Checklist report sections in detail: critical items, the items passed least often, corrective
actions, the site ranking, and the checklist's wording in the appendix."""

from __future__ import annotations

from ... import charts
from ...i18n import localized
from ...inspect.submission import ACTION_DAYS
from ...results.checklist import OPEN_ACTIONS_SHOWN
from ..layout.writer import Writer, printable, short
from ..persian_text import latin
from .data import score, site_name

WORST_ITEMS_SHOWN = 10


def critical(w: Writer, data) -> list:
    t, f, layout = w.texts("critical"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    if not f.n:
        return [*flow, layout.para(w.common("no_data"))]
    if f.critical_items is None or f.critical_items.empty:
        return [*flow, layout.para(t("none"))]
    flow.append(
        layout.para(
            t(
                "explain",
                count=w.number(f.critical_inspections),
                rate=w.percent(f.critical_rate),
                low=w.percent(f.critical_ci_low),
                high=w.percent(f.critical_ci_high),
            )
        )
    )
    table = f.critical_items.sort_values(["failures", "item"], ascending=[False, True])
    rows = [
        [data.label(r.item, w.lang), w.number(r.n), w.number(r.failures), w.percent(r.rate, 1)]
        for r in table.itertuples()
    ]
    marked = {i for i, failures in enumerate(table["failures"]) if failures > 0}
    return [
        *flow,
        layout.table(
            [t("col_item"), t("col_n"), t("col_failures"), t("col_rate")],
            rows,
            [0.55, 0.17, 0.12, 0.16],
            numeric={1, 2, 3},
            marked=marked,
        ),
    ]


def items(w: Writer, data) -> list:
    t, f, layout = w.texts("items"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    if not f.n or f.items is None or f.items.empty:
        return [*flow, layout.para(w.common("no_data"))]
    worst = f.items.head(WORST_ITEMS_SHOWN)
    labels = [data.label(code, w.lang) for code in worst["item"]]
    critical_rows = {i for i, code in enumerate(worst["item"]) if data.is_critical(code)}
    figure = charts.bar_chart(
        [short(label) for label in labels],
        list(100 * worst["pass_rate"]),
        w.lang,
        low=list(100 * worst["ci_low"]),
        high=list(100 * worst["ci_high"]),
        decimals=0,
        highlight=critical_rows,
        xlabel=t("axis"),
    )
    rows = [
        [
            t("critical_mark", label=label) if i in critical_rows else label,
            w.number(r.n),
            w.percent(r.pass_rate, 1),
            w.ci(r.ci_low, r.ci_high, 0, percent=True),
        ]
        for i, (label, r) in enumerate(zip(labels, worst.itertuples()))
    ]
    return [
        *flow,
        layout.para(t("explain", count=w.number(len(worst)))),
        layout.chart(figure),
        layout.table(
            [t("col_item"), t("col_n"), t("col_rate"), t("col_ci")],
            rows,
            [0.55, 0.13, 0.14, 0.18],
            numeric={1, 2, 3},
            marked=critical_rows,
        ),
    ]


def actions(w: Writer, data) -> list:
    t, f, layout = w.texts("actions"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    counts = f.actions
    if not counts.total:
        return [*flow, layout.para(t("none"))]
    flow.append(
        layout.para(
            t(
                "explain",
                days=w.number(ACTION_DAYS),
                open=w.number(counts.open),
                overdue=w.number(counts.overdue),
                done=w.number(counts.done),
                verified=w.number(counts.verified),
            )
        )
    )
    if f.open_actions is None or f.open_actions.empty:
        return flow
    shown = f.open_actions.head(OPEN_ACTIONS_SHOWN)
    rows = [
        [
            w.date(r.due_on),
            site_name(r, w.lang),
            data.label(r.item, w.lang),
            (printable(r.description), "fa"),
            w.number(r.days_overdue) if r.days_overdue else w.common("dash"),
        ]
        for r in shown.itertuples()
    ]
    marked = {i for i, days in enumerate(shown["days_overdue"]) if days > 0}
    flow += [
        *layout.heading(t("open_heading_team" if f.actions_listed_for_team else "open_heading"), 1),
        layout.table(
            [t("col_due"), t("col_site"), t("col_item"), t("col_action"), t("col_overdue")],
            rows,
            [0.12, 0.24, 0.29, 0.25, 0.1],
            numeric={0, 4},
            marked=marked,
        ),
    ]
    if len(f.open_actions) > len(shown):
        flow.append(layout.note(t("more", count=w.number(len(f.open_actions) - len(shown)))))
    return flow


def ranking(w: Writer, data) -> list:
    t, f, layout = w.texts("ranking"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    if not f.n:
        return [*flow, layout.para(w.common("no_data"))]
    sites = f.sites
    rows = [
        [
            w.number(int(r.rank)) if r.rank == r.rank else w.common("dash"),
            site_name(r, w.lang),
            w.number(int(r.district)),
            w.number(r.n),
            score(w, r.mean),
            w.ci(r.ci_low / 100, r.ci_high / 100, 1, percent=True),
            w.number(r.critical_failures),
            data.grade_label(r.last_grade, w.lang) if r.last_grade else w.common("dash"),
        ]
        for r in sites.itertuples()
    ]
    marked = {i for i, failed in enumerate(sites["last_critical"]) if failed}
    return [
        *flow,
        layout.para(t("explain")),
        layout.table(
            [
                t("col_rank"),
                t("col_site"),
                t("col_district"),
                t("col_n"),
                t("col_score"),
                t("col_ci"),
                t("col_critical"),
                t("col_grade"),
            ],
            rows,
            [0.06, 0.26, 0.085, 0.12, 0.09, 0.16, 0.085, 0.14],
            numeric={0, 2, 3, 4, 5, 6},
            marked=marked,
        ),
    ]


def _how(w: Writer, t, item: dict) -> str:
    if item["role"] == "site":
        return t("how_site")
    if item["type"] == "rating4":
        text = t("how_rating4")
    elif item["type"] == "measurement":
        bounds, unit = item.get("acceptable") or {}, localized(item.get("unit"), w.lang)
        low, high = (
            w.number(bounds[k], 0 if float(bounds[k]).is_integer() else 1) if k in bounds else None
            for k in ("min", "max")
        )
        key = "how_range" if low and high else "how_min" if low else "how_max"
        text = t(key, low=low or "", high=high or "", unit=unit).strip()
    else:
        text = t("how_pass_fail")
    if item.get("not_applicable", True):
        text += "\n" + t("not_applicable")
    return text


def appendix(w: Writer, data) -> list:
    t, layout, definition = w.texts("appendix"), w.layout, data.definition
    dimensions = {d["code"]: d["labels"] for d in definition.get("dimensions", [])}
    rows, marked = [], set()
    for item in definition["items"]:
        text = localized(item["labels"], w.lang)
        if item.get("dimension") in dimensions:
            text += "\n" + t("section", label=localized(dimensions[item["dimension"]], w.lang))
        if item.get("critical"):
            text += "\n" + t("critical")
            marked.add(len(rows))
        weight = w.number(item["weight"]) if item.get("weight") is not None else w.common("dash")
        rows.append([latin(item["code"]), text, _how(w, t, item), weight])
    return [
        *layout.heading(t("heading")),
        layout.para(
            t("intro", version=w.number(data.scope.version), language=w.language_name(w.lang))
        ),
        layout.table(
            [t("col_code"), t("col_item"), t("col_how"), t("col_weight")],
            rows,
            [0.22, 0.44, 0.26, 0.08],
            numeric={3},
            marked=marked,
        ),
    ]
