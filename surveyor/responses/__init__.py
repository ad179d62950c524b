"""Storing questionnaire responses and reading them back for analysis."""
from .dataset import answers_frame
from .store import DONT_KNOW, AnswerError, VersionRef, record_response

__all__ = ["answers_frame", "DONT_KNOW", "AnswerError", "VersionRef", "record_response"]
