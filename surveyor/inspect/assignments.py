"""Creating assignments, one at a time or in bulk (every site of a district, weekly)."""
from __future__ import annotations

import datetime as dt

from ..models import Assignment, ServicePoint, audit


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
