"""Where and when an instrument collects answers: assignments, collection windows and survey links."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .instrument import Instrument


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
    # When a poster PDF holding this link was last made (admin page or command line); None: never,
    # so the administrator's setup checklist still lists it.
    poster_printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    service_point = relationship("ServicePoint")
    instrument = relationship("Instrument")


class ChecklistNotForCitizens(ValueError):
    """A survey link or a collection window for a checklist: checklists are filled by inspectors,
    never by citizens, so they get no citizen link, QR code, poster or collection window."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"{code} is a checklist: inspectors fill it on their tablets; it gets no citizen "
                         "survey link and no collection window")


@event.listens_for(SurveyLink, "before_insert")
@event.listens_for(SurveyLink, "before_update")
@event.listens_for(CollectionWindow, "before_insert")
@event.listens_for(CollectionWindow, "before_update")
def _questionnaires_only(_mapper, connection, row) -> None:
    """The last guard, whoever writes the row (penetration test, Low 11); the services refuse first."""
    kind, code = connection.execute(select(Instrument.kind, Instrument.code)
                                    .where(Instrument.id == row.instrument_id)).one_or_none() or (None, None)
    if kind == "checklist":
        raise ChecklistNotForCitizens(code)
