"""Tokens that let the city's dashboards read the JSON API; only a hash of each token is kept."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class ApiToken(Base):
    """A named bearer token for the read-only API, usable until it is revoked.

    ``token_hash`` is the SHA-256 of the token: tokens are long random strings, so a fast hash
    is enough and the token itself is shown once, when it is created, and stored nowhere.
    A name may be reused once its earlier token is revoked (rotating a dashboard's token).
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
