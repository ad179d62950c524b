"""Bursts for review: per survey link and hour, how many responses came and how many were
flagged as a burst (``address_burst``, ``network_burst``, ``link_burst``) by the abuse model."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from ..formatting import to_local
from ..models import Instrument, Response, ServicePoint, utcnow

BURST_FLAGS = ("address_burst", "network_burst", "link_burst")


@dataclass
class Burst:
    """One link's responses in one local hour that holds at least one burst flag."""

    hour: dt.datetime        # start of the hour, in the display time zone
    point_code: str
    instrument_code: str
    responses: int = 0
    flags: Counter = field(default_factory=Counter)  # burst flag -> responses carrying it


def flagged_bursts(session, timezone: str, days: int = 7) -> list[Burst]:
    """The hours of the last ``days`` days in which a link received burst-flagged responses,
    newest first, with every response of that hour and link counted for comparison."""
    since = utcnow() - dt.timedelta(days=days)
    rows = session.execute(
        select(Response.submitted_at, Response.quality_flags, ServicePoint.code, Instrument.code)
        .join(ServicePoint, ServicePoint.id == Response.service_point_id)
        .join(Instrument, Instrument.id == Response.instrument_id)
        .where(Response.link_id.is_not(None), Response.submitted_at >= since))
    groups: dict[tuple, Burst] = {}
    for submitted_at, flags, point, instrument in rows:
        hour = to_local(submitted_at, timezone).replace(minute=0, second=0, microsecond=0)
        burst = groups.setdefault((hour, point, instrument), Burst(hour, point, instrument))
        burst.responses += 1
        burst.flags.update(flag for flag in flags or () if flag in BURST_FLAGS)
    return sorted((b for b in groups.values() if b.flags), key=lambda b: (b.hour, b.point_code), reverse=True)
