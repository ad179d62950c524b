"""Questionnaire report sections in people's words: the respondents' comments and, in the
appendix, the questionnaire's own wording."""

from __future__ import annotations

from ...formatting import localize_digits
from ...i18n import localized
from ..layout.writer import Writer, printable
from ..persian_text import latin


def comments(w: Writer, data) -> list:
    t, layout, summary = w.texts("comments"), w.layout, data.comments
    flow = [*layout.heading(t("heading"))]
    item = data.item("comment")
    if item is None:
        return [*flow, layout.para(t("no_question"))]
    if not summary.count:
        return [*flow, layout.para(t("none"))]
    languages = w.listing(
        w.common("language_count", language=w.language_name(code), count=w.number(n))
        for code, n in summary.languages.most_common()
    )
    share = summary.count / data.results.n if data.results.n else None
    flow.append(
        layout.para(
            t(
                "count",
                count=w.number(summary.count),
                share=w.percent(share),
                question=localized(item["labels"], w.lang),
                languages=languages,
            )
        )
    )
    if summary.frequent:
        rows = [
            [(printable(text), lang), w.number(count)] for text, lang, count in summary.frequent
        ]
        flow += [
            *layout.heading(t("frequent_heading"), 1),
            layout.table([t("col_comment"), t("col_count")], rows, [0.85, 0.15], numeric={1}),
        ]
    rows = [[w.date(moment), (printable(text), lang)] for moment, text, lang in summary.recent]
    return [
        *flow,
        *layout.heading(t("recent_heading"), 1),
        layout.table([t("col_date"), t("col_comment")], rows, [0.17, 0.83]),
        layout.note(t("as_written")),
    ]


def _answers(w: Writer, t, item: dict, definition: dict) -> str:
    options = item.get("options") or []
    if options and any(o.get("anchor") for o in options):
        low, high = options[0], options[-1]
        text = t(
            "answer_scale",
            low=localize_digits(low["value"], w.lang),
            high=localize_digits(high["value"], w.lang),
            low_label=localized(low.get("anchor"), w.lang),
            high_label=localized(high.get("anchor"), w.lang),
        )
    elif options and all(isinstance(o["value"], (int, float)) for o in options):
        text = w.listing(
            f"{localize_digits(o['value'], w.lang)} {localized(o['labels'], w.lang)}"
            for o in options
        )
    elif options:
        text = w.listing(localized(o["labels"], w.lang) for o in options)
    elif item["type"] == "number":
        unit = localized(item.get("unit"), w.lang)
        text = t("answer_number", unit=unit) if unit else t("answer_number_plain")
    else:
        text = t("answer_text")
    if item.get("dont_know") and definition.get("dont_know"):
        text += " " + t("answer_dont_know", label=localized(definition["dont_know"], w.lang))
    return text


def appendix(w: Writer, data) -> list:
    t, layout, definition = w.texts("appendix"), w.layout, data.definition
    dimensions = {d["code"]: d["labels"] for d in definition.get("dimensions", [])}
    flow = [
        *layout.heading(t("heading")),
        layout.para(
            t("intro", version=w.number(data.scope.version), language=w.language_name(w.lang))
        ),
    ]
    if definition.get("introduction"):
        flow += [
            *layout.heading(t("introduction_heading"), 1),
            layout.para(localized(definition["introduction"], w.lang)),
        ]
    rows = []
    for item in definition["items"]:
        question = localized(item["labels"], w.lang)
        if item.get("dimension") in dimensions:
            question += "\n" + t(
                "dimension", label=localized(dimensions[item["dimension"]], w.lang)
            )
        rows.append([latin(item["code"]), question, _answers(w, t, item, definition)])
    return [
        *flow,
        layout.space(2),
        layout.table([t("col_code"), t("col_question"), t("col_answers")], rows, [0.2, 0.43, 0.37]),
    ]
