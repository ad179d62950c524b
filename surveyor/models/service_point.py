"""Service points: the places where citizens answer and inspectors inspect."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow

DISTRICTS = tuple(range(1, 14))  # the city's 13 urban districts


class ServicePoint(Base):
    """A metro station, park, public toilet, district counter, ... with its names per language."""

    __tablename__ = "service_points"
    __table_args__ = (
        CheckConstraint("district BETWEEN 1 AND 13", name="district_range"),
        CheckConstraint("latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name="latitude_range"),
        CheckConstraint("longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_fa: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    name_ar: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[int] = mapped_column(Integer, index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def name(self, lang: str) -> str:
        """The name in ``lang``, falling back to Persian."""
        return getattr(self, f"name_{lang}", None) or self.name_fa
