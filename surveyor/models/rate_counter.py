"""Fixed-window counters of the survey's abuse limits, shared by every process through the database."""
from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RateCounter(Base):
    """How many requests one source made in one window (an hour, a day, a minute).

    ``key`` is a keyed hash (under a key that changes every day) of what is counted, the window's
    length and its number, so neither an address nor a link can be read from it and counters of
    two days cannot be joined. ``expires_at`` (Unix seconds) is the end of the window; expired
    rows are deleted (see :mod:`surveyor.survey.counters`).
    """

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)
