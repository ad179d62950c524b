"""Fixed-window counters in the database, so that every worker and host counts together.

A counter row is keyed by a keyed hash of what it counts and its window, under a key derived
from the secret key and the UTC day: no network address or link can be read from a key, and
keys of two days cannot be joined. Rows whose window has ended are deleted, at most once a minute
per process, so junk requests leave nothing to pile up (pentest Low 14). No Redis is needed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..models import RateCounter

SWEEP_SECONDS = 60
_next_sweep = [0.0]  # per process: when expired rows are next deleted


@dataclass(frozen=True)
class Window:
    """One thing counted in one fixed window: ``seconds`` long, ending at ``expires_at``."""

    key: str
    seconds: int
    expires_at: int


@lru_cache(maxsize=4)
def _day_key(secret: str, day: dt.date) -> bytes:
    return hmac.new(secret.encode(), f"rate-counter:{day.isoformat()}".encode(), hashlib.sha256).digest()


def window(secret: str, name: str, seconds: int, now: float) -> Window:
    """The window of ``seconds`` (a minute, an hour, a day: they divide a UTC day) that holds
    ``now``, for the thing called ``name``. Windows start on multiples of their length since
    1970, so an hour is a clock hour and a day a UTC day: each lies within one key's day."""
    index = int(now // seconds)
    day = dt.datetime.fromtimestamp(index * seconds, dt.timezone.utc).date()
    key = hmac.new(_day_key(secret, day), f"{name}|{seconds}|{index}".encode(), hashlib.sha256).hexdigest()[:32]
    return Window(key, seconds, (index + 1) * seconds)


def _upsert(dialect: str, windows: list[Window]):
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = RateCounter.__table__
    statement = insert(table).values([{"key": w.key, "count": 1, "expires_at": w.expires_at} for w in windows])
    return statement.on_conflict_do_update(
        index_elements=[table.c.key], set_={"count": table.c.count + 1}).returning(table.c.key, table.c.count)


def add(connection, windows: list[Window], now: float | None = None, commit: bool = True) -> list[int]:
    """Count one more in each window (one statement); the new counts, in order. With
    ``commit=False`` the caller commits (a submission: with the response it stores, so that
    SQLite writes to disk once per submission, not twice; PostgreSQL autocommits anyway)."""
    unique = list({w.key: w for w in windows}.values())
    counts = dict(connection.execute(_upsert(connection.dialect.name, unique)).all())
    if commit:
        connection.commit()
        _sweep(connection, time.time() if now is None else now)
    return [counts[w.key] for w in windows]


def take_back(connection, windows: list[Window]) -> None:
    """Count one less in each window: a request that was refused after all."""
    table = RateCounter.__table__
    keys = list({w.key for w in windows})
    connection.execute(update(table).where(table.c.key.in_(keys)).values(count=table.c.count - 1))
    connection.commit()


def _sweep(connection, now: float) -> None:
    if now < _next_sweep[0]:
        return
    _next_sweep[0] = now + SWEEP_SECONDS
    connection.execute(delete(RateCounter.__table__).where(RateCounter.__table__.c.expires_at <= now))
    connection.commit()
