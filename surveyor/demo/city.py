"""The demo city of ``surveyor demo --city`` (what ``make run`` builds): service points of every
kind in the 13 districts, each linked to the instruments that fit it, questionnaires open for
collection with live links, and staff of every role with teams and today's assignments.

Several points of a kind in each district (three metro stations, two parks) give the results a
real design: clusters (points) within strata (districts). Checklists are linked to their sites
for inspection but get no citizen link (:class:`~surveyor.models.ChecklistNotForCitizens`).

Everything here is idempotent: points, links between points and instruments, collection windows,
survey links and users are created only where missing, so a second ``make run`` adds nothing.
"""
from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sqlalchemy import select

from ..formatting import localize_digits
from ..models import (DISTRICTS, Assignment, CollectionWindow, Instrument, PointInstrument, ServicePoint,
                      User, audit)
from .points import CENTRE


@dataclass(frozen=True)
class Kind:
    names: tuple[str, str, str]   # fa, en, ar patterns; {d} is the district, {n} the number within it
    per_district: int
    instruments: tuple[str, ...]  # the codes of the instruments used at this kind of place


# The first point of a kind keeps the plain demo's code (D01-MET); the others are D01-MET-2, ...
KINDS: dict[str, Kind] = {
    "MET": Kind(("ایستگاه قطار شهری {n}منطقه {d}", "Metro station {n}district {d}", "محطة المترو {n}المنطقة {d}"),
                3, ("TRN-Q01", "TRN-Q05", "TRN-C01")),
    "BUS": Kind(("پایانه اتوبوس و تاکسی منطقه {d}", "Bus and taxi terminal, district {d}",
                 "محطة الحافلات وسيارات الأجرة، المنطقة {d}"),
                1, ("TRN-Q02", "TRN-Q03", "TRN-C02", "TRN-C03", "TRN-C04")),
    "PKG": Kind(("پارکینگ عمومی منطقه {d}", "Public car park, district {d}", "موقف سيارات عام، المنطقة {d}"),
                1, ("TRN-Q06", "TRN-C05")),
    "VIC": Kind(("مرکز معاینه فنی خودرو منطقه {d}", "Vehicle inspection centre, district {d}",
                 "مركز الفحص الفني للمركبات، المنطقة {d}"), 1, ("TRN-Q07", "TRN-C06")),
    "PRK": Kind(("بوستان محله‌ای {n}منطقه {d}", "Neighbourhood park {n}district {d}", "حديقة الحي {n}المنطقة {d}"),
                2, ("SRV-Q03", "SRV-Q02", "TRN-Q04", "SRV-C02", "SRV-C03", "SRV-C05", "SRV-C07")),
    "WC": Kind(("سرویس بهداشتی عمومی منطقه {d}", "Public toilet, district {d}", "دورة مياه عامة، المنطقة {d}"),
               1, ("SRV-Q04", "SRV-C01")),
    "MKT": Kind(("بازار میوه و تره‌بار منطقه {d}", "Fruit and vegetable market, district {d}",
                 "سوق الفواكه والخضار، المنطقة {d}"), 1, ("SRV-Q05", "SRV-Q01", "SRV-C06", "SRV-C04")),
    "OFC": Kind(("دفتر خدمات شهری منطقه {d}", "District service office {d}", "مكتب الخدمات البلدية، المنطقة {d}"),
                1, ("CIV-Q01", "CIV-Q02", "CIV-Q03", "CIV-Q06", "SRV-Q06", "SRV-Q07", "SRV-Q08", "SRV-Q09",
                    "CIV-C06")),
    "STR": Kind(("پروژه عمرانی و پیاده‌روسازی منطقه {d}", "Street works and sidewalks, district {d}",
                 "مشروع الأشغال والأرصفة، المنطقة {d}"),
                1, ("CIV-Q04", "CIV-Q05", "TRN-Q08", "CIV-C01", "CIV-C02", "CIV-C03", "CIV-C04", "CIV-C05")),
    "CUL": Kind(("فرهنگسرای منطقه {d}", "Cultural centre, district {d}", "المركز الثقافي، المنطقة {d}"),
                1, ("CUL-Q01", "CUL-Q02", "CUL-Q03", "CUL-Q06", "CUL-C01", "CUL-C02")),
    "PIL": Kind(("ایستگاه خدمات زائران منطقه {d}", "Pilgrim service station, district {d}",
                 "محطة خدمة الزائرين، المنطقة {d}"), 1, ("CUL-Q04", "CUL-Q05", "CUL-C03", "CUL-C04")),
}

# Staff of every role. Supervisors lead two inspectors each; passwords are one-time.
STAFF = (("admin", "admin"), ("researcher", "researcher"), ("supervisor1", "supervisor"),
         ("supervisor2", "supervisor"), ("inspector1", "inspector"), ("inspector2", "inspector"),
         ("inspector3", "inspector"), ("inspector4", "inspector"))
TEAMS = {"supervisor1": ("inspector1", "inspector2"), "supervisor2": ("inspector3", "inspector4")}
# Each inspector's open assignments: due in this many days (negative: overdue).
ASSIGNMENT_DAYS = (0, 0, 0, 2, -3, -9)
CITY_EVENT = "demo.city"


def point_code(kind: str, district: int, number: int) -> str:
    return f"D{district:02d}-{kind}" + (f"-{number}" if number > 1 else "")


def _names(kind: str, district: int, number: int) -> dict[str, str]:
    fa, en, ar = KINDS[kind].names
    several = KINDS[kind].per_district > 1
    return {"name_fa": fa.format(d=localize_digits(district, "fa"),
                                 n=f"{localize_digits(number, 'fa')}، " if several else ""),
            "name_en": en.format(d=district, n=f"{number}, " if several else ""),
            "name_ar": ar.format(d=localize_digits(district, "ar"),
                                 n=f"{localize_digits(number, 'ar')}، " if several else "")}


def ensure_city_points(session) -> list[ServicePoint]:
    """Every point of the city (creating the missing ones), by district, kind and number.

    Coordinates come from each code's own random stream, so the points do not move the random
    numbers the synthetic answers are drawn from."""
    existing = {p.code: p for p in session.scalars(select(ServicePoint))}
    points = []
    for district in DISTRICTS:
        for kind, spec in KINDS.items():
            for number in range(1, spec.per_district + 1):
                code = point_code(kind, district, number)
                point = existing.get(code)
                if point is None:
                    rng = np.random.default_rng(zlib.crc32(code.encode()))
                    point = ServicePoint(code=code, district=district, **_names(kind, district, number),
                                         latitude=round(CENTRE[0] + rng.normal(0, 0.04), 5),
                                         longitude=round(CENTRE[1] + rng.normal(0, 0.05), 5))
                    session.add(point)
                points.append(point)
    session.flush()
    return points


class Site(NamedTuple):
    """A point's id, district and code, read once: ORM objects expire at every commit, and reading
    them again costs a query per point."""
    id: int
    district: int
    code: str


def sites_of(points: list[ServicePoint]) -> list[Site]:
    return [Site(p.id, p.district, p.code) for p in points]


def city_points_for(code: str, points: list[ServicePoint] | list[Site]) -> list[tuple[int, int]]:
    """(id, district) of the city's points where an instrument is used."""
    kinds = {kind for kind, spec in KINDS.items() if code in spec.instruments}
    return [(p.id, p.district) for p in points if p.code.split("-")[1] in kinds]


def link_instruments(session, points: list[ServicePoint]) -> int:
    """Link every point to the instruments of its kind (PointInstrument); returns how many were new."""
    instruments = {i.code: i.id for i in session.scalars(select(Instrument))}
    linked = set(session.execute(select(PointInstrument.service_point_id, PointInstrument.instrument_id)).all())
    added = 0
    for point in points:
        for code in KINDS[point.code.split("-")[1]].instruments:
            pair = (point.id, instruments.get(code))
            if pair[1] is not None and pair not in linked:
                session.add(PointInstrument(service_point_id=pair[0], instrument_id=pair[1]))
                linked.add(pair)
                added += 1
    session.flush()
    return added


def open_questionnaires(session, codes: list[str] | None = None) -> int:
    """Open every questionnaire (or those of ``codes``) everywhere, from today for a year, unless
    it already has a general window (an admin's choice is kept); returns how many were opened."""
    from ..service_points.windows import set_window

    query = select(Instrument).where(Instrument.kind == "questionnaire")
    if codes is not None:
        query = query.where(Instrument.code.in_(codes))
    windowed = set(session.scalars(select(CollectionWindow.instrument_id)
                                   .where(CollectionWindow.service_point_id.is_(None))))
    opened = 0
    for instrument in session.scalars(query.order_by(Instrument.code)).all():
        if instrument.id not in windowed:
            set_window(session, instrument.id, True)
            opened += 1
    return opened


def ensure_staff(session) -> list[tuple[User, str | None]]:
    """The demo staff with their one-time passwords (None for those who existed), and the teams."""
    from ..auth.accounts import create_user
    from ..auth.teams import add_to_team

    existing = {u.username: u for u in session.scalars(select(User).where(User.username.in_([n for n, _ in STAFF])))}
    staff = []
    for name, role in STAFF:
        if name in existing:
            staff.append((existing[name], None))
        else:
            user, password = create_user(session, name, role)
            existing[name] = user
            staff.append((user, password))
    for leader, members in TEAMS.items():
        free = [existing[m] for m in members if existing[m].supervisor_id is None and existing[m].role == "inspector"]
        if existing[leader].role == "supervisor" and free:
            add_to_team(session, existing[leader], free)
    session.flush()
    return staff


def assign_today(session, points: list[Site], today: dt.date) -> int:
    """Open assignments for each team inspector who has none: some due today, some overdue,
    at sites linked to the checklist, set by their supervisor."""
    checklists = list(session.scalars(select(Instrument).where(Instrument.kind == "checklist")
                                      .order_by(Instrument.code)))
    pairs = [(c, point_id) for c in checklists for point_id, _ in city_points_for(c.code, points)]
    if not pairs:
        return 0
    inspectors = list(session.scalars(select(User).where(User.role == "inspector", User.supervisor_id.is_not(None),
                                                         User.username.in_([n for n, _ in STAFF]))
                                      .order_by(User.username)))
    busy = set(session.scalars(select(Assignment.inspector_id).where(Assignment.completed_at.is_(None))))
    count = 0
    for k, inspector in enumerate(inspectors):
        if inspector.id in busy:
            continue
        for j, days in enumerate(ASSIGNMENT_DAYS):
            checklist, point_id = pairs[(k * 37 + j * 101) % len(pairs)]
            session.add(Assignment(instrument_id=checklist.id, service_point_id=point_id, inspector_id=inspector.id,
                                   assigned_by_id=inspector.supervisor_id, due_on=today + dt.timedelta(days=days)))
            count += 1
    session.flush()
    if count:
        audit(session, "assignments.create", None, count=count, demo=True)
    return count


def city_exists(session) -> bool:
    from ..models import AuditEvent

    return session.scalar(select(AuditEvent.id).where(AuditEvent.action == CITY_EVENT).limit(1)) is not None
