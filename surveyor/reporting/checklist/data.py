"""The figures a checklist report shows, and how it writes a score and a site's name."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...i18n import localized
from ...results.checklist import ChecklistFigures
from ..layout.writer import ReportScope, Writer


@dataclass
class ChecklistData:
    figures: ChecklistFigures
    definition: dict
    scope: ReportScope

    def label(self, code: str, lang: str) -> str:
        item = next((i for i in self.definition["items"] if i["code"] == code), None)
        return localized(item["labels"], lang) if item else code

    def is_critical(self, code: str) -> bool:
        return any(i["code"] == code and i.get("critical") for i in self.definition["items"])

    def grade_label(self, code: str, lang: str) -> str:
        grade = next((g for g in self.definition["scoring"]["grades"] if g["code"] == code), None)
        return localized(grade["labels"], lang) if grade else str(code)


def score(w: Writer, value) -> str:
    """An inspection score (0-100) as a percentage with one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return w.common("dash")
    return w.percent(value / 100, 1)


def site_name(row, lang: str) -> str:
    return (row.name_en if lang == "en" and row.name_en else row.name_fa) or row.site
