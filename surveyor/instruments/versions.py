"""Instrument versions as the hot paths need them: definitions cached by version id.

A stored version never changes and is never deleted (see models.instrument), so its parsed
definition can be kept for the life of the process; only "which version is the latest" is
asked each time. (Tests that empty the tables call ``version_definition.cache_clear()``.)
"""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, select

from ..extensions import db
from ..models import InstrumentVersion


@lru_cache(maxsize=512)
def version_definition(version_id: int) -> tuple[int, dict] | None:
    """``(instrument_id, definition)`` of a version, or None if there is no such version.

    Callers must not modify the returned definition."""
    row = db.session.execute(select(InstrumentVersion.instrument_id, InstrumentVersion.definition)
                             .where(InstrumentVersion.id == version_id)).first()
    return (row.instrument_id, row.definition) if row else None


def latest_version_id(instrument_id: int) -> int | None:
    return db.session.scalar(select(func.max(InstrumentVersion.id))
                             .where(InstrumentVersion.instrument_id == instrument_id))
