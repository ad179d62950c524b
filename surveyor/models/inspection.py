"""Inspections of a checklist version at a service point, with item results and photos."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, BigId, UTCDateTime, utcnow

STATUSES = ("draft", "submitted")
RESULTS = ("pass", "fail", "na")


class Inspection(Base):
    """One inspector's visit to one site with one checklist version; accepted once per client id."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    instrument_version_id: Mapped[int] = mapped_column(ForeignKey("instrument_versions.id"))
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_accuracy_m: Mapped[float | None] = mapped_column(Float)
    score_percent: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(4))
    critical_failed: Mapped[bool | None] = mapped_column(Boolean)
    section_scores: Mapped[dict | None] = mapped_column(JSON)

    items: Mapped[list[InspectionItem]] = relationship(back_populates="inspection", cascade="all, delete-orphan")
    photos: Mapped[list[InspectionPhoto]] = relationship(back_populates="inspection", cascade="all, delete-orphan")
    actions: Mapped[list[CorrectiveAction]] = relationship(back_populates="inspection",
                                                           foreign_keys="CorrectiveAction.inspection_id")
    service_point = relationship("ServicePoint")
    instrument = relationship("Instrument")
    inspector = relationship("User", foreign_keys=[inspector_id])
    version = relationship("InstrumentVersion")


class InspectionItem(Base):
    """The inspector's finding on one checklist item."""

    __tablename__ = "inspection_items"

    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    result: Mapped[str | None] = mapped_column(String(4))   # pass / fail / na
    rating: Mapped[int | None] = mapped_column(Integer)      # 0-4 items
    measured: Mapped[float | None] = mapped_column(Float)    # measurement items
    text_value: Mapped[str | None] = mapped_column(Text)     # site attributes
    note: Mapped[str | None] = mapped_column(Text)
    corrective_action: Mapped[str | None] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="items")


class InspectionPhoto(Base):
    """A photo kept on disk under the instance folder; the database holds its path and hash."""

    __tablename__ = "inspection_photos"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str | None] = mapped_column(String(40))
    file_path: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="photos")


class Assignment(Base):
    """A supervisor's request: this checklist, at this site, by this inspector, by this date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    instrument = relationship("Instrument")
    service_point = relationship("ServicePoint")
    inspector = relationship("User", foreign_keys=[inspector_id])


# open: nothing done yet; in_progress: someone is on it; done: reported fixed (by the inspector,
# the assignee's contact or the supervisor); verified: a supervisor checked it, or a later
# inspection of the same site with the same checklist passed the item.
ACTION_STATUSES = ("open", "in_progress", "done", "verified")
OPEN_ACTION_STATUSES = ("open", "in_progress")  # not yet done: these can be overdue


class CorrectiveAction(Base):
    """What must be put right after a failed item (what), by whom, by when, followed until it is
    verified.

    ``assignee`` is free text, since who puts things right is rarely a user of this system: a
    municipal department, a contractor, a named caretaker. Empty means the default, the site's
    district municipality, which answers for every site of its district unless a supervisor names
    someone else."""

    __tablename__ = "corrective_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    assignee: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str | None] = mapped_column(Text)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The re-inspection that found the item passing (empty when a supervisor verified by hand).
    verified_by_inspection_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("inspections.id", ondelete="SET NULL"), index=True)

    inspection: Mapped[Inspection] = relationship(back_populates="actions", foreign_keys=[inspection_id])
    verified_by_inspection: Mapped[Inspection | None] = relationship(foreign_keys=[verified_by_inspection_id])
