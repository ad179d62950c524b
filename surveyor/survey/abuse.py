"""Abuse control without identifying anyone: a daily rotated device hash and data-quality flags."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from limits import parse_many

from ..config import SURVEY_RATE_SETTINGS
from . import counters

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


# The abuse model (README, "Survey abuse model"): what one address, one network and one link may
# add. Counted in the database (surveyor/survey/counters.py) so that every process counts together.

def network_units(address: str) -> tuple[str, str]:
    """The address and the network a request is counted under: IPv4 /32 and /24; IPv6 /64 (what
    one subscriber is given, so rotating within it changes nothing) and /48 (one site)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address, address
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ip), str(ipaddress.ip_network(f"{ip}/24", strict=False))
    return (str(ipaddress.ip_network(f"{ip}/64", strict=False)),
            str(ipaddress.ip_network(f"{ip}/48", strict=False)))


@dataclass(frozen=True)
class SurveyLimits:
    """The limits of the abuse model, read from the settings (``limits`` rate strings)."""

    pages: tuple        # page tokens served to one address (all links); refused beyond
    address: tuple      # unflagged submissions from one address through one link; flagged beyond
    network: tuple      # unflagged submissions from one network through one link; flagged beyond
    ceiling: tuple      # submissions from one address through one link; refused beyond
    link_burst: tuple   # unflagged submissions through one link; flagged beyond
    link_rate: tuple    # submissions through one link; refused beyond
    invalid: tuple      # posts without a genuine token from one address; refused beyond

    @classmethod
    def from_config(cls, config) -> SurveyLimits:
        return _limits(*(config[key] for key in SURVEY_RATE_SETTINGS))  # in the order of the fields


@lru_cache(maxsize=8)
def _limits(*texts: str) -> SurveyLimits:
    return SurveyLimits(*(tuple((item.amount, item.get_expiry()) for item in parse_many(text)) for text in texts))


@dataclass(frozen=True)
class Verdict:
    refused: bool
    flags: tuple[str, ...]
    windows: tuple  # the counters this submission was added to (taken back when refused)


def _windows(secret: str, name: str, rates, now: float) -> list:
    return [counters.window(secret, name, seconds, now) for seconds in sorted({s for _, s in rates})]


def _over(rates, counted: dict[int, int]) -> bool:
    return any(counted.get(seconds, 0) > amount for amount, seconds in rates)


def _count(connection, secret: str, groups: dict[str, tuple[str, tuple]], now: float,
           commit: bool = True):
    """Add one to the windows of each group (name, rates); per group, {window seconds: count}."""
    windows = {group: _windows(secret, name, rates, now) for group, (name, rates) in groups.items()}
    flat = [w for ws in windows.values() for w in ws]
    counts = iter(counters.add(connection, flat, now, commit))
    return {group: {w.seconds: next(counts) for w in ws} for group, ws in windows.items()}, flat


def judge_submission(connection, secret: str, limits: SurveyLimits, link_id: int, address: str,
                     now: float) -> Verdict:
    """Count a submission with a genuine, unexpired token for this link (never a retry of a
    stored one), and say whether it is refused and which burst flags it gets. A refused
    submission is taken back from every counter, so the counters hold what was accepted. An
    accepted one is left uncommitted: storing the response commits both (or, when the response
    turns out to be stored already, rolls both back)."""
    own, network = network_units(address)
    counted, windows = _count(connection, secret, {
        "address": (f"submit|{link_id}|{own}", limits.address + limits.ceiling),
        "network": (f"submit-net|{link_id}|{network}", limits.network),
        "link": (f"submit-link|{link_id}", limits.link_burst + limits.link_rate),
    }, now, commit=False)
    if _over(limits.ceiling, counted["address"]) or _over(limits.link_rate, counted["link"]):
        counters.take_back(connection, windows)
        return Verdict(True, (), tuple(windows))
    flags = tuple(flag for flag, rates, group in (
        ("address_burst", limits.address, "address"), ("network_burst", limits.network, "network"),
        ("link_burst", limits.link_burst, "link")) if _over(rates, counted[group]))
    return Verdict(False, flags, tuple(windows))


def allow_page(connection, secret: str, limits: SurveyLimits, address: str, now: float) -> bool:
    """Count a survey page (a new page token) served to this address; False when over its limit."""
    counted, windows = _count(connection, secret, {"pages": (f"page|{network_units(address)[0]}", limits.pages)},
                              now)
    if _over(limits.pages, counted["pages"]):
        counters.take_back(connection, windows)
        return False
    return True


def allow_invalid_post(connection, secret: str, limits: SurveyLimits, address: str, now: float) -> bool:
    """Count a post without a genuine token (junk, another link's page, an expired page, an
    unknown link) from this address; False when over its own limit. Refused ones count too."""
    counted, _ = _count(connection, secret,
                        {"invalid": (f"invalid|{network_units(address)[0]}", limits.invalid)}, now)
    return not _over(limits.invalid, counted["invalid"])
