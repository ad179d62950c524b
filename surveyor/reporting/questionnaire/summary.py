"""The first pages of a questionnaire report: the cover and the executive summary (key figures,
what to fix first, findings)."""

from __future__ import annotations

from ... import stats
from ..layout.cover import cover as cover_page
from ..layout.writer import Writer
from ..persian_text import latin
from .data import QuestionnaireData


def cover(w: Writer, data: QuestionnaireData) -> list:
    t = w.texts("cover")
    lines = [t("sample", n=w.number(data.results.n))]
    if data.results.flagged_excluded:
        lines.append(t("flagged_excluded", count=w.number(data.results.flagged_excluded)))
    return cover_page(w, lines, lambda texts: texts("code", code=latin(data.scope.code)))


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
    shown = r.districts[~r.districts["too_few"]] if r.districts is not None else None
    if shown is not None and len(shown) >= 2:
        ranked = shown.sort_values("mean")
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
    if r.change is not None:
        lines.append(_change_line(w, r.change))
    if r.reliability is not None:
        key = "reliability_line" if r.reliability.alpha >= 0.7 else "reliability_low"
        lines.append(t(key, alpha=w.number(r.reliability.alpha, 2)))
    return lines


def _change_line(w: Writer, change) -> str:
    """The manager's sentence on the change between months: a rise or fall only when it is
    significant and large enough (:mod:`surveyor.results.change`), otherwise "no clear change"."""
    t, c = w.texts("summary"), change.result
    months = {"first_month": w.month(*change.before), "last_month": w.month(*change.after)}
    if not change.stated:
        return t("change_none", threshold=w.number(change.threshold, 2), **months)
    return t("change_up" if c.change > 0 else "change_down", first=w.number(c.mean_before, 2),
             last=w.number(c.mean_after, 2), change=w.number(c.change, 2), low=w.number(c.ci_low, 2),
             high=w.number(c.ci_high, 2), p=w.p_value(c.p_value), **months)


def too_few_or_no_data(w: Writer, r) -> str:
    """"Too few responses (n = 2) ..." when a selection holds some but fewer than the minimum."""
    if r.too_few:
        return w.common("too_few_responses", n=w.number(r.too_few), minimum=w.number(r.min_responses))
    return w.common("no_data")


def summary(w: Writer, data: QuestionnaireData) -> list:
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
        return [*flow, layout.para(too_few_or_no_data(w, r)), layout.new_page()]
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
        flow += [layout.items(items, numbered=True), layout.note(t("fix_why", count=w.number(stats.FIX_FIRST_COUNT)))]
    elif r.ipa is not None:
        flow += [layout.para(t("fix_none_weak")), layout.note(t("fix_why", count=w.number(stats.FIX_FIRST_COUNT)))]
    else:
        flow.append(layout.para(t("fix_none")))
    findings = _findings(w, data)
    if findings:
        flow += [*layout.heading(t("findings_heading"), 1), layout.items(findings)]
    return [*flow, layout.new_page()]
