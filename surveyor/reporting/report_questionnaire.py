"""The questionnaire report: its data, cover, executive summary and method; the other sections
are in :mod:`.report_questionnaire_results` (overall satisfaction, trend, waiting time),
:mod:`.report_questionnaire_analysis` (drivers, importance-performance, districts) and
:mod:`.report_questionnaire_words` (comments, appendix).

:func:`questionnaire_report` takes the figures (a :class:`QuestionnaireData`) and returns the
PDF; the sections and their order come from ``reports/questionnaire.yaml``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..i18n import localized
from ..results.questionnaire import MIN_GROUP, QuestionnaireResults
from .persian_text import latin
from .report_common import ReportScope, Writer, cover
from .report_definition import report_definition


@dataclass
class CommentSummary:
    """The open comments in a report: how many, in which languages, the ones written more
    than once (text, language, count) and the most recent (date, text, language)."""

    count: int = 0
    languages: Counter = field(default_factory=Counter)
    frequent: list[tuple[str, str, int]] = field(default_factory=list)
    recent: list[tuple[object, str, str]] = field(default_factory=list)


@dataclass
class QuestionnaireData:
    """Everything a questionnaire report shows, computed before it is laid out."""

    results: QuestionnaireResults
    definition: dict
    scope: ReportScope
    points: int = 0
    districts: int = 0
    languages: Counter = field(default_factory=Counter)  # responses by language
    flagged_included: int = 0
    outcome_counts: dict = field(default_factory=dict)  # answer value -> count
    comments: CommentSummary = field(default_factory=CommentSummary)

    def item(self, role: str) -> dict | None:
        return next((i for i in self.definition["items"] if i["role"] == role), None)

    def label(self, code: str, lang: str) -> str:
        item = next((i for i in self.definition["items"] if i["code"] == code), None)
        return localized(item["labels"], lang) if item else code

    @property
    def scale_max(self):
        return self.results.overall["scale_max"] if self.results.overall else None


def _cover(w: Writer, data: QuestionnaireData) -> list:
    t = w.texts("cover")
    lines = [t("sample", n=w.number(data.results.n))]
    if data.results.flagged_excluded:
        lines.append(t("flagged_excluded", count=w.number(data.results.flagged_excluded)))
    return cover(w, lines, lambda texts: texts("code", code=latin(data.scope.code)))


def _cards(w: Writer, data: QuestionnaireData) -> list[tuple[str, str, str]]:
    t, r = w.texts("summary"), data.results
    cards = []
    if r.overall:
        o = r.overall
        cards.append(
            (
                w.number(o["mean"], 2),
                t("card_mean", max=w.number(o["scale_max"])),
                w.common("card_ci", low=w.number(o["ci_low"], 2), high=w.number(o["ci_high"], 2)),
            )
        )
        cards.append(
            (
                w.percent(o["top_two_box"]),
                t("card_top"),
                w.common(
                    "card_ci", low=w.percent(o["top_ci_low"]), high=w.percent(o["top_ci_high"])
                ),
            )
        )
    if r.nps:
        cards.append(
            (
                w.number(r.nps.nps),
                t("card_nps", low=w.number(-100), high=w.number(100)),
                w.common("card_ci", low=w.number(r.nps.ci_low), high=w.number(r.nps.ci_high)),
            )
        )
    if r.wait and r.wait.get("n"):
        cards.append(
            (
                w.percent(r.wait["within_standard"]),
                t("card_wait", standard=w.number(r.wait["standard"])),
                "",
            )
        )
    if len(cards) < 4:
        note = t("card_n_note", count=w.number(r.flagged_excluded)) if r.flagged_excluded else ""
        cards.insert(0, (w.number(r.n), t("card_n"), note))
    return cards[:4]


def _findings(w: Writer, data: QuestionnaireData) -> list[str]:
    t, r = w.texts("summary"), data.results
    lines = []
    if r.districts is not None and len(r.districts) >= 2:
        ranked = r.districts.sort_values("mean")
        best, worst = ranked.iloc[-1], ranked.iloc[0]
        line = t(
            "districts_line",
            best=w.district(best["district"]),
            best_mean=w.number(best["mean"], 2),
            worst=w.district(worst["district"]),
            worst_mean=w.number(worst["mean"], 2),
        )
        if r.district_test is not None:
            line += " " + t(
                "districts_differ" if r.district_test.p_value < 0.05 else "districts_same"
            )
        lines.append(line)
    if r.trend is not None and len(r.trend) >= 2:
        first, last = r.trend.iloc[0], r.trend.iloc[-1]
        lines.append(
            t(
                "trend_line",
                first=w.number(first["estimate"], 2),
                last=w.number(last["estimate"], 2),
                first_month=w.month(first["year"], first["month"]),
                last_month=w.month(last["year"], last["month"]),
            )
        )
    if r.reliability is not None:
        key = "reliability_line" if r.reliability.alpha >= 0.7 else "reliability_low"
        lines.append(t(key, alpha=w.number(r.reliability.alpha, 2)))
    return lines


def _summary(w: Writer, data: QuestionnaireData) -> list:
    t, r, layout = w.texts("summary"), data.results, w.layout
    flow = [
        *layout.heading(t("heading")),
        layout.para(
            t(
                "intro",
                n=w.number(r.n),
                start=w.date(data.scope.start, "long"),
                end=w.date(data.scope.end, "long"),
                title=w.title,
            )
        ),
    ]
    if not r.overall:
        return [*flow, layout.para(w.common("no_data")), layout.new_page()]
    flow += [
        layout.key_figures(_cards(w, data)),
        layout.space(4),
        *layout.heading(t("fix_heading"), 1),
    ]
    if r.fix_first and r.drivers is not None:
        table = r.drivers.set_index("driver")
        items = [
            t(
                "fix_item",
                label=data.label(code, w.lang),
                score=w.number(table.loc[code, "performance"], 2),
                max=w.number(data.scale_max),
                rank=w.number(int(table.loc[code, "rank"])),
                count=w.number(len(table)),
            )
            for code in r.fix_first
        ]
        flow += [layout.items(items, numbered=True), layout.note(t("fix_why"))]
    else:
        flow.append(layout.para(t("fix_none")))
    findings = _findings(w, data)
    if findings:
        flow += [*layout.heading(t("findings_heading"), 1), layout.items(findings)]
    return [*flow, layout.new_page()]


def _methodology(w: Writer, data: QuestionnaireData) -> list:
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
        *layout.heading(t("methods_heading"), 1),
        layout.items(
            [
                t("method_mean"),
                t("method_box"),
                t("method_nps"),
                t("method_alpha"),
                t("method_drivers"),
                t("method_ipa"),
                t("method_districts", minimum=w.number(MIN_GROUP)),
                t("method_trend"),
            ]
        ),
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


def _sections() -> dict:
    from .report_questionnaire_analysis import districts, drivers, ipa
    from .report_questionnaire_results import overall, trend, wait
    from .report_questionnaire_words import appendix, comments

    return {
        "summary": _summary,
        "methodology": _methodology,
        "overall": overall,
        "trend": trend,
        "wait": wait,
        "drivers": drivers,
        "ipa": ipa,
        "districts": districts,
        "comments": comments,
        "appendix": appendix,
    }


SECTION_IDS = (
    "cover",
    "summary",
    "methodology",
    "overall",
    "trend",
    "wait",
    "drivers",
    "ipa",
    "districts",
    "comments",
    "appendix",
)


def questionnaire_report(data: QuestionnaireData, lang: str, *, reports_dir=None) -> bytes:
    """The questionnaire report as PDF bytes, in ``lang`` (``fa`` or ``en``)."""
    definition = report_definition("questionnaire", SECTION_IDS, reports_dir)
    w = Writer(definition, lang, data.scope)
    sections = _sections()
    cover_flow, body = [], []
    for section in definition.sections:
        if section == "cover":
            cover_flow = _cover(w, data)
        else:
            body += sections[section](w, data)
    return w.layout.build(cover_flow, body, pdf_title=f"{w.page('header')}: {w.title}")
