"""Storing questionnaire responses and reading them back for analysis.

The names below are imported from their modules on first use (PEP 562), so that a module of
this package (``surveyor analyze summary``'s, say) can be imported without the database models
and pandas.
"""
from __future__ import annotations

import importlib

_MODULES = {
    "answers_frame": ".dataset",
    "DONT_KNOW": ".store",
    "AnswerError": ".store",
    "VersionRef": ".store",
    "record_response": ".store",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
