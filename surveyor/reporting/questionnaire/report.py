"""The questionnaire report: :func:`questionnaire_report` takes the figures (a
:class:`~.data.QuestionnaireData`) and returns the PDF; the sections and their order come from
``reports/questionnaire.yaml``.

Each section is a function ``(writer, data) -> flowables``: the cover and executive summary in
:mod:`.summary`, the method in :mod:`.method`, overall satisfaction, trend and waiting time in
:mod:`.results`, drivers, importance-performance and districts in :mod:`.analysis`, comments and
the appendix in :mod:`.words`.
"""

from __future__ import annotations

from ..layout.definition import report_definition
from ..layout.writer import Writer
from .analysis import districts, drivers, ipa
from .data import QuestionnaireData
from .method import methodology
from .results import overall, trend, wait
from .summary import cover, summary
from .words import appendix, comments

SECTIONS = {
    "summary": summary,
    "methodology": methodology,
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
    cover_flow, body = [], []
    for section in definition.sections:
        if section == "cover":
            cover_flow = cover(w, data)
        else:
            body += SECTIONS[section](w, data)
    return w.layout.build(cover_flow, body, pdf_title=f"{w.page('header')}: {w.title}")
