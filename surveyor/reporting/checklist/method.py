"""The checklist report's method section: the sample, the scoring rule and how each figure is
computed."""

from __future__ import annotations

from ...i18n import localized
from ..layout.writer import Writer
from .data import ChecklistData


def methodology(w: Writer, data: ChecklistData) -> list:
    t, f, layout = w.texts("methodology"), data.figures, w.layout
    rule = localized(data.definition["scoring"].get("rule_text"), w.lang)
    return [
        *layout.heading(t("heading")),
        *layout.heading(t("sample_heading"), 1),
        layout.para(
            t(
                "sample",
                n=w.number(f.n),
                start=w.date(data.scope.start, "long"),
                end=w.date(data.scope.end, "long"),
                sites=w.number(f.sites_count),
                districts=w.number(f.districts_count),
                inspectors=w.number(f.inspectors),
            )
        ),
        *layout.heading(t("scoring_heading"), 1),
        layout.para(t("scoring_intro")),
        layout.para(rule),
        *layout.heading(t("methods_heading"), 1),
        layout.items(
            [
                t("method_mean"),
                t("method_design"),
                t("method_critical"),
                t("method_items"),
                t("method_ranking"),
                t("method_trend"),
            ]
        ),
        layout.space(2),
        layout.para(t("weighting")),
    ]
