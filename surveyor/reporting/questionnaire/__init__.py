"""The questionnaire report: its data (:mod:`.data`), its sections (one module per group of
sections) and :func:`questionnaire_report`, which puts them together."""

from .data import CommentSummary, QuestionnaireData, comment_summary
from .report import SECTION_IDS, questionnaire_report

__all__ = ["CommentSummary", "QuestionnaireData", "SECTION_IDS", "comment_summary", "questionnaire_report"]
