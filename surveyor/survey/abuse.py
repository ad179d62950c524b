"""Abuse control without identifying anyone: a daily rotated device hash and data-quality flags."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from functools import lru_cache

SECONDS_PER_ANSWER = 1.0    # faster than this per answered question cannot have been read
MIN_SECONDS = 8
MIN_DRIVERS_FOR_STRAIGHT_LINE = 5


@lru_cache(maxsize=4)
def _day_key(secret: str, day: dt.date) -> bytes:
    """The key of one day, derived once per process and day rather than on every submission."""
    return hmac.new(secret.encode(), f"device-hash:{day.isoformat()}".encode(), hashlib.sha256).digest()


def device_hash(secret: str, day: dt.date, address: str, user_agent: str) -> str:
    """HMAC of the address and browser under a key derived for ``day``: the same device gives
    the same hash within a day and an unrelated one the next day. The address is not stored."""
    return hmac.new(_day_key(secret, day), f"{address}\n{user_agent}".encode(), hashlib.sha256).hexdigest()


def quality_flags(definition: dict, answers: dict, seconds: float, seen_today: bool) -> list[str]:
    """Flags for research staff to decide on; a flagged response is stored, never dropped."""
    flags = []
    if seconds < max(MIN_SECONDS, SECONDS_PER_ANSWER * len(answers)):
        flags.append("speeder")
    driver_values = [answers[item["code"]] for item in definition["items"]
                     if item["role"] == "driver" and isinstance(answers.get(item["code"]), int)]
    if len(driver_values) >= MIN_DRIVERS_FOR_STRAIGHT_LINE and len(set(driver_values)) == 1:
        flags.append("straight_liner")
    if seen_today:
        flags.append("repeat_device")
    return flags
