"""Early-warning alerts raised by ``surveyor alerts scan`` for a service point and instrument."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

ALERT_KINDS = ("outcome_drop", "recommend_drop", "flagged_burst", "silence", "service_time")
ALERT_STATUSES = ("open", "acknowledged", "closed")


class Alert(Base):
    """One detector's signal at one (service point, instrument).

    ``kind``: ``outcome_drop`` / ``recommend_drop`` (the CUSUM of
    :func:`surveyor.stats.cusum_drop` crossed its threshold), ``flagged_burst`` (a day with too
    many flagged responses), ``silence`` (no answers for longer than the point's rate allows: a
    torn poster), ``service_time`` (an inspection measured a waiting or service time above the
    service card's standard; ``instrument`` is then the checklist that measured it). ``detected_at`` is when the data showed it (the response that crossed the
    threshold, the end of the day, the moment the silence became too long), not when the scan
    ran (``created_at``); ``period_start``..``period_end`` the data behind it. ``statistic`` and
    ``threshold`` are the detector's (CUSUM ``C`` and ``h`` in standard deviations, the day's
    flagged count and the count expected, the days of silence and the days allowed, the minutes
    measured and the standard's),
    ``baseline`` and ``observed`` the values compared (means, flagged shares), ``responses`` how
    many answers, ``details`` anything else the detector reports.

    ``key`` makes the scan idempotent: it names the kind, the point, the instrument and the
    data's own time (never the scan's), so a second scan over the same data finds the key and
    creates nothing.
    """

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_detected", "status", "detected_at"),
                      Index("ix_alerts_point_instrument_kind", "service_point_id", "instrument_id", "kind"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id", ondelete="CASCADE"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    period_start: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    period_end: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    statistic: Mapped[float | None] = mapped_column(Float)
    threshold: Mapped[float | None] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    observed: Mapped[float | None] = mapped_column(Float)
    responses: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    service_point = relationship("ServicePoint")
    instrument = relationship("Instrument")
