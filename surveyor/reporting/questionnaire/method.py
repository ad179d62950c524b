"""The questionnaire report's method section: the sample, exclusions, weighting and how each
figure is computed."""

from __future__ import annotations

from ... import stats
from ...results.change import MIN_CHANGE_SHARE
from ...results.questionnaire import MIN_GROUP
from ..layout.writer import Writer
from .data import QuestionnaireData


def method_paragraphs(w: Writer, data: QuestionnaireData) -> list[str]:
    """The "methods" list: one paragraph per way a figure is made, in the order they are read.
    A new method (e.g. the sampling design and its design effect) adds its paragraph here."""
    t, r = w.texts("methodology"), data.results
    values = [option["value"] for option in data.item("outcome")["options"]]
    scale = max(values) - min(values)
    return [
        t("method_mean"),
        t("method_box"),
        t("method_nps"),
        t("method_minimum", minimum=w.number(r.min_responses),
          threshold=w.number(MIN_CHANGE_SHARE * scale, 2)),
        t("method_alpha"),
        t("method_drivers"),
        t("method_ipa"),
        t("method_fix_first", count=w.number(stats.FIX_FIRST_COUNT)),
        t("method_districts", minimum=w.number(max(r.min_responses, MIN_GROUP))),
        t("method_trend"),
    ]


def methodology(w: Writer, data: QuestionnaireData) -> list:
    t, r, layout = w.texts("methodology"), data.results, w.layout
    languages = w.listing(
        w.common("language_count", language=w.language_name(code), count=w.number(n))
        for code, n in data.languages.most_common()
    )
    flow = [
        *layout.heading(t("heading")),
        *layout.heading(t("sample_heading"), 1),
        layout.para(
            t(
                "sample",
                n=w.number(r.n),
                points=w.number(data.points),
                districts=w.number(data.districts),
                start=w.date(data.scope.start, "long"),
                end=w.date(data.scope.end, "long"),
                languages=languages or w.common("dash"),
            )
        ),
        *layout.heading(t("exclusions_heading"), 1),
    ]
    if r.flagged_excluded:
        flow.append(layout.para(t("excluded", count=w.number(r.flagged_excluded))))
    if data.flagged_included:
        flow.append(layout.para(t("included", count=w.number(data.flagged_included))))
    flow += [
        layout.para(t("missing")),
        *layout.heading(t("weighting_heading"), 1),
        layout.para(t("weighting")),
        *_design(w, r.design),
        *layout.heading(t("methods_heading"), 1),
        layout.items(method_paragraphs(w, data)),
    ]
    if r.reliability is not None:
        a = r.reliability
        flow += [
            layout.space(2),
            layout.para(
                t(
                    "reliability",
                    count=w.number(a.k),
                    alpha=w.number(a.alpha, 2),
                    low=w.number(a.ci_low, 2),
                    high=w.number(a.ci_high, 2),
                    n=w.number(a.n),
                )
            ),
        ]
    return flow


def _design(w: Writer, design: dict | None) -> list:
    """The sampling design of the intervals: service points as clusters, districts as strata,
    the pooled or lonely districts, and how much wider the design makes the interval."""
    if not design:
        return []
    t, layout = w.texts("methodology"), w.layout
    flow = [*layout.heading(t("design_heading"), 1)]
    if not design["clustered"]:
        return [*flow, layout.para(t("design_single"))]
    text = [t("design", points=w.number(design["points"]), strata=w.number(design["strata"]),
              df=w.number(design["df"]))]
    if design["pooled"]:
        text.append(t("design_pooled", pooled=w.number(design["pooled"])))
    if design["lonely"]:
        text.append(t("design_lonely"))
    if design["wider"] is not None and design["deff"] == design["deff"]:
        text.append(t("design_wider", deff=w.number(design["deff"], 2), wider=w.number(design["wider"], 1)))
    return [*flow, layout.para(" ".join(text))]
