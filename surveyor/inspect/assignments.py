"""Creating assignments, one at a time or in bulk (every site of a district that uses the
checklist, weekly), and which checklist goes with which site.

A checklist is used at a site when the two are linked (``PointInstrument``: the points CSV's
``instruments`` column or the admin pages): assignments and unassigned inspections only pair a
checklist with the sites it is linked to, so "every site in district 7" for the public toilet
checklist means every public toilet there, not every park and metro station as well."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..models import Assignment, Instrument, PointInstrument, ServicePoint, audit


def open_assignments(session, inspector_ids: list[int], today: dt.date
                     ) -> tuple[list[Assignment], list[Assignment], list[Assignment]]:
    """The not yet completed assignments of ``inspector_ids``, soonest due first, split into
    overdue, due ``today`` and later: what the inspector app and the staff homes list."""
    query = (select(Assignment).where(Assignment.inspector_id.in_(inspector_ids), Assignment.completed_at.is_(None))
             .order_by(Assignment.due_on, Assignment.id))
    rows = list(session.scalars(query))
    return ([a for a in rows if a.due_on < today], [a for a in rows if a.due_on == today],
            [a for a in rows if a.due_on > today])


def is_linked(session, instrument_id: int, point_id: int) -> bool:
    return session.get(PointInstrument, (point_id, instrument_id)) is not None


def linked_pairs(session) -> list[tuple[Instrument, ServicePoint]]:
    """Every (checklist, site) pair an inspection may be started for, by checklist code, district
    and site code."""
    query = (select(Instrument, ServicePoint)
             .join(PointInstrument, PointInstrument.instrument_id == Instrument.id)
             .join(ServicePoint, ServicePoint.id == PointInstrument.service_point_id)
             .where(Instrument.kind == "checklist")
             .order_by(Instrument.code, ServicePoint.district, ServicePoint.code))
    return [(instrument, point) for instrument, point in session.execute(query)]


def assignable_points(session, instrument_id: int, point_ids: list[int],
                      district: int | None) -> tuple[list[ServicePoint], list[str]]:
    """The sites to assign: those named (``point_ids``) and every site of ``district``, keeping
    only the sites linked to the checklist. Returns them with the codes of the named sites that
    are not linked (the supervisor asked for something the checklist does not cover)."""
    linked = select(PointInstrument.service_point_id).where(PointInstrument.instrument_id == instrument_id)
    named = list(session.scalars(select(ServicePoint).where(ServicePoint.id.in_(point_ids))
                                 .order_by(ServicePoint.code)))
    linked_ids = set(session.scalars(linked))
    points = [point for point in named if point.id in linked_ids]
    unlinked = [point.code for point in named if point.id not in linked_ids]
    if district:
        points += list(session.scalars(select(ServicePoint).where(ServicePoint.district == district,
                                                                  ServicePoint.id.in_(linked))))
    return points, unlinked


def create_assignments(session, *, instrument_id: int, points: list[ServicePoint], inspector_id: int,
                       first_due: dt.date, weeks: int = 1, assigned_by: int | None = None) -> int:
    """One assignment per site and week, due on ``first_due`` and then every seven days."""
    unique = {point.id: point for point in points}
    count = 0
    for week in range(weeks):
        due = first_due + dt.timedelta(days=7 * week)
        for point_id in sorted(unique):
            session.add(Assignment(instrument_id=instrument_id, service_point_id=point_id, inspector_id=inspector_id,
                                   assigned_by_id=assigned_by, due_on=due))
            count += 1
    session.flush()
    audit(session, "assignments.create", f"instrument:{instrument_id}", user_id=assigned_by, count=count,
          inspector_id=inspector_id, weeks=weeks)
    return count
