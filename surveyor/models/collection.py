"""Where and when an instrument collects answers: assignments, collection windows and survey links."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class PointInstrument(Base):
    """An instrument is used at a service point (from the points CSV or the admin pages)."""

    __tablename__ = "point_instruments"

    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id", ondelete="CASCADE"),
                                                  primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), primary_key=True)


class CollectionWindow(Base):
    """An instrument opened (or closed) for collection at every point (``service_point_id`` empty)
    or at one point, optionally between two dates. A point's own window overrides the general one."""

    __tablename__ = "collection_windows"
    __table_args__ = (UniqueConstraint("instrument_id", "service_point_id", name="uq_collection_windows_scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id", ondelete="CASCADE"))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SurveyLink(Base):
    """The short, unguessable link ``/s/<token>`` of one (service point, instrument) pair.

    Retiring a link keeps it (and every answer given through it); a new link is issued beside it.
    """

    __tablename__ = "survey_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    service_point = relationship("ServicePoint")
    instrument = relationship("Instrument")
