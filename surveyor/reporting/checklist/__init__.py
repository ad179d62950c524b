"""The checklist (inspection) report: its data (:mod:`.data`), its sections and
:func:`checklist_report`, which puts them together."""

from .data import ChecklistData
from .report import SECTION_IDS, checklist_report

__all__ = ["ChecklistData", "SECTION_IDS", "checklist_report"]
