"""Instruments and their immutable versions."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

KINDS = ("questionnaire", "checklist")


class Instrument(Base):
    """A questionnaire or checklist from the catalog, identified by its stable code (e.g. TRN-Q01)."""

    __tablename__ = "instruments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    domain: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[InstrumentVersion]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.number")

    @property
    def latest(self) -> InstrumentVersion:
        return self.versions[-1]


class InstrumentVersion(Base):
    """One version of an instrument's normalized definition. Never changed once stored:
    editing the file and syncing again adds a new version, so answers keep the wording they answered."""

    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("instrument_id", "number", name="uq_instrument_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    instrument: Mapped[Instrument] = relationship(back_populates="versions")

    def item(self, code: str) -> dict | None:
        return next((item for item in self.definition["items"] if item["code"] == code), None)


class ImmutableVersionError(RuntimeError):
    """Raised when code tries to change or delete a stored instrument version."""


@event.listens_for(Session, "before_flush")
def _refuse_version_changes(session, _context, _instances):
    for obj in session.dirty:
        if isinstance(obj, InstrumentVersion) and session.is_modified(obj) and inspect(obj).persistent:
            raise ImmutableVersionError(
                f"instrument version {obj.number} of instrument {obj.instrument_id} is immutable; "
                "sync a changed file to create a new version instead")
    for obj in session.deleted:
        if isinstance(obj, InstrumentVersion):
            raise ImmutableVersionError("instrument versions are never deleted")
