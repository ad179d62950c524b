"""Storing questionnaire responses and reading them back for analysis.

The names below are imported from their modules on first use (PEP 562), so that a module of
this package (``surveyor analyze summary``'s, say) can be imported without the database models
and pandas.
"""
from __future__ import annotations

from ..lazy import lazy_names

_MODULES = {
    "answers_frame": ".dataset",
    "DONT_KNOW": ".store",
    "AnswerError": ".store",
    "VersionRef": ".store",
    "record_response": ".store",
}

__all__ = sorted(_MODULES)

__getattr__, __dir__ = lazy_names(__name__, _MODULES, globals())
