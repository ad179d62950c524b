"""The figures a questionnaire report shows, gathered before it is laid out: the results, the
definition, the scope, and the comments (counted and grouped by :func:`comment_summary`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ...i18n import localized
from ...responses.columns import LANGUAGE, SUBMITTED_AT
from ...results.questionnaire import QuestionnaireResults
from ..layout.writer import ReportScope

_SPACES = re.compile(r"\s+")


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


def comment_summary(frame: pd.DataFrame, definition: dict, *, recent: int = 12, frequent: int = 8):
    """Count the comments in ``frame`` (one row per response), group identical ones (case and
    spacing ignored) and keep the most recent; a :class:`CommentSummary`."""
    item = next((i for i in definition["items"] if i["role"] == "comment"), None)
    if item is None or item["code"] not in frame or frame.empty:
        return CommentSummary()
    texts = frame[item["code"]].dropna().astype(str).str.strip()
    texts = texts[texts != ""]
    if texts.empty:
        return CommentSummary()
    languages = frame.loc[texts.index, LANGUAGE].fillna("fa").astype(str)
    keys = texts.map(lambda text: _SPACES.sub(" ", text).casefold())
    counts = keys.value_counts()
    repeated = []
    for key, count in counts[counts > 1].head(frequent).items():
        first = keys.index[keys == key][0]
        repeated.append((texts[first], languages[first], int(count)))
    latest = frame.loc[texts.index, SUBMITTED_AT].sort_values(ascending=False).head(recent)
    newest = [(moment, texts[i], languages[i]) for i, moment in latest.items()]
    return CommentSummary(
        count=len(texts), languages=Counter(languages), frequent=repeated, recent=newest
    )
