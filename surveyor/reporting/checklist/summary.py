"""The first pages of a checklist report: the cover and the executive summary (key figures,
the items failed most, findings)."""

from __future__ import annotations

import math

from ..layout.cover import cover as cover_page
from ..layout.writer import Writer
from ..persian_text import latin
from .data import ChecklistData, score, site_name


def cover(w: Writer, data: ChecklistData) -> list:
    t, f = w.texts("cover"), data.figures
    lines = [t("sample", n=w.number(f.n))] if f.too_few is None else [w.texts("summary")("too_few", n=w.number(f.too_few))]
    if f.n:
        lines.append(
            t(
                "sites",
                sites=w.number(f.sites_count),
                districts=w.number(f.districts_count),
                inspectors=w.number(f.inspectors),
            )
        )
    return cover_page(w, lines, lambda texts: texts("code", code=latin(data.scope.code)))


def _cards(w: Writer, data: ChecklistData) -> list[tuple[str, str, str]]:
    t, f = w.texts("summary"), data.figures
    has_ci = f.ci_low is not None and not math.isnan(f.ci_low)
    cards = [
        (
            score(w, f.mean),
            t("card_score"),
            w.common("card_ci", low=score(w, f.ci_low), high=score(w, f.ci_high)) if has_ci else "",
        ),
        (
            w.percent(f.critical_rate),
            t("card_critical"),
            t("card_critical_note", count=w.number(f.critical_inspections)),
        ),
        (
            w.number(f.actions.open),
            t("card_actions"),
            t("card_actions_note", overdue=w.number(f.actions.overdue)),
        ),
    ]
    grades = data.definition["scoring"]["grades"]
    if grades and f.n:
        top = grades[0]["code"]
        cards.append(
            (
                w.percent(f.grades.get(top, 0) / f.n),
                t("card_grade", grade=data.grade_label(top, w.lang)),
                "",
            )
        )
    return cards


def _findings(w: Writer, data: ChecklistData) -> list[str]:
    t, f = w.texts("summary"), data.figures
    lines = []
    ranked = f.sites.dropna(subset=["mean"]) if f.sites is not None else None
    if ranked is not None and len(ranked) >= 2:
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        lines.append(
            t(
                "sites_line",
                best=site_name(best, w.lang),
                best_score=score(w, best["mean"]),
                worst=site_name(worst, w.lang),
                worst_score=score(w, worst["mean"]),
            )
        )
    if f.critical_items is not None and f.critical_items["failures"].sum() > 0:
        worst_item = f.critical_items.sort_values("failures", ascending=False).iloc[0]
        lines.append(
            t(
                "critical_line",
                label=data.label(worst_item["item"], w.lang),
                failures=w.number(int(worst_item["failures"])),
            )
        )
    if f.trend is not None and len(f.trend) >= 2:
        first, last = f.trend.iloc[0], f.trend.iloc[-1]
        lines.append(
            t(
                "trend_line",
                first=score(w, first["estimate"]),
                last=score(w, last["estimate"]),
                first_month=w.month(first["year"], first["month"]),
                last_month=w.month(last["year"], last["month"]),
            )
        )
    return lines


def summary(w: Writer, data: ChecklistData) -> list:
    t, f, layout = w.texts("summary"), data.figures, w.layout
    flow = [*layout.heading(t("heading"))]
    if f.too_few is not None:
        return [*flow, layout.para(t("too_few", n=w.number(f.too_few))),
                layout.para(t("withheld_why", k=w.number(f.min_inspections))), layout.new_page()]
    if not f.n:
        return [*flow, layout.para(w.common("no_data")), layout.new_page()]
    flow += [
        layout.para(
            t(
                "intro",
                n=w.number(f.n),
                start=w.date(data.scope.start, "long"),
                end=w.date(data.scope.end, "long"),
                title=w.title,
                sites=w.number(f.sites_count),
            )
        ),
        layout.key_figures(_cards(w, data)),
        *([layout.note(t("withheld", count=w.number(len(f.withheld)), k=w.number(f.min_inspections)))]
          if f.withheld else []),
        layout.space(4),
        *layout.heading(t("fix_heading"), 1),
    ]
    worst = f.items.head(3)
    flow += [
        layout.items(
            [
                t(
                    "fix_item",
                    label=data.label(row.item, w.lang),
                    rate=w.percent(row.pass_rate),
                    n=w.number(row.n),
                )
                for row in worst.itertuples()
            ],
            numbered=True,
        ),
        layout.note(t("fix_why")),
    ]
    findings = _findings(w, data)
    if findings:
        flow += [*layout.heading(t("findings_heading"), 1), layout.items(findings)]
    return [*flow, layout.new_page()]
