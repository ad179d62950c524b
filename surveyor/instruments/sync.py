"""Loading instrument files into the database as new immutable versions."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import Instrument, InstrumentVersion, audit
from .loader import LoadedFile
from .normalize import definition_hash


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sync_instruments(session, loaded: list[LoadedFile]) -> SyncReport:
    """Store each definition that differs from its instrument's latest version as a new version.

    Existing versions are never touched, so answers given to them keep their wording. The
    caller commits.
    """
    report = SyncReport()
    existing = {i.code: i for i in session.scalars(
        select(Instrument).options(selectinload(Instrument.versions)))}
    for entry in loaded:
        definition = entry.definition
        content_hash = definition_hash(definition)
        instrument = existing.get(definition["code"])
        if instrument is None:
            instrument = Instrument(code=definition["code"], kind=definition["kind"], domain=definition["domain"])
            session.add(instrument)
            report.created.append(instrument.code)
        elif instrument.latest.content_hash == content_hash:
            report.unchanged.append(instrument.code)
            continue
        else:
            instrument.domain = definition["domain"]
        number = len(instrument.versions) + 1
        instrument.versions.append(InstrumentVersion(
            number=number, definition=definition, content_hash=content_hash, source_file=entry.path))
        if number > 1:
            report.new_versions.append((instrument.code, number))
        audit(session, "instrument.version", instrument.code, version=number, source_file=entry.path)
    return report
