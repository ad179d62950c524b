"""The checklist (inspection) report: :func:`checklist_report` takes a
:class:`~.data.ChecklistData` and returns the PDF; the sections and their order come from
``reports/checklist.yaml``.

The cover and executive summary are in :mod:`.summary`, the method in :mod:`.method`, scores by
district, part, grade and month in :mod:`.scores`, critical items, items, actions, ranking and
appendix in :mod:`.details`.
"""

from __future__ import annotations

from ..layout.definition import report_definition
from ..layout.writer import Writer
from .data import ChecklistData
from .details import actions, appendix, critical, items, ranking
from .method import methodology
from .scores import compliance
from .summary import cover, summary

SECTIONS = {
    "summary": summary,
    "methodology": methodology,
    "compliance": compliance,
    "critical": critical,
    "items": items,
    "actions": actions,
    "ranking": ranking,
    "appendix": appendix,
}

SECTION_IDS = (
    "cover",
    "summary",
    "methodology",
    "compliance",
    "critical",
    "items",
    "actions",
    "ranking",
    "appendix",
)


def checklist_report(data: ChecklistData, lang: str, *, reports_dir=None) -> bytes:
    """The checklist report as PDF bytes, in ``lang`` (``fa`` or ``en``)."""
    definition = report_definition("checklist", SECTION_IDS, reports_dir)
    w = Writer(definition, lang, data.scope)
    cover_flow, body = [], []
    for section in definition.sections:
        if section == "cover":
            cover_flow = cover(w, data)
        else:
            body += SECTIONS[section](w, data)
    return w.layout.build(cover_flow, body, pdf_title=f"{w.page('header')}: {w.title}")
