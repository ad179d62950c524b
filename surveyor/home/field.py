"""What the inspector's and the supervisor's homes hold: open assignments and corrective actions,
read with the functions the inspector app and the corrective actions list use
(:mod:`surveyor.inspect.assignments`, :mod:`surveyor.inspect.action_list`), so the counts agree
everywhere."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..inspect.action_list import ActionFilters, action_page, corrective_actions_query, count_corrective_actions
from ..inspect.actions import ActionCounts
from ..inspect.assignments import open_assignments
from ..models import Assignment, CorrectiveAction, User

OVERDUE_ACTIONS_SHOWN = 10
OVERDUE = ActionFilters(overdue=True)  # the list's filter of the actions the home counts as overdue


@dataclass
class TeamHome:
    """A supervisor's team (active or not, by username), its open assignments (overdue and due
    today; ``later`` counted), and its corrective actions as the actions list counts them."""

    inspectors: list[User]
    overdue: list[Assignment]
    due_today: list[Assignment]
    later: int
    open_by_inspector: dict[int, int]
    actions: ActionCounts
    overdue_actions: list[CorrectiveAction]


def inspector_home(session, inspector: User, today: dt.date) -> tuple[list[Assignment], list[Assignment], int]:
    """The inspector's overdue assignments, today's, and how many are due later."""
    overdue, due_today, later = open_assignments(session, [inspector.id], today)
    return overdue, due_today, len(later)


def team_home(session, supervisor: User, today: dt.date) -> TeamHome:
    inspectors = list(session.scalars(select(User).where(User.supervisor_id == supervisor.id)
                                      .order_by(User.username)))
    overdue, due_today, later = open_assignments(session, [supervisor.id, *(i.id for i in inspectors)], today)
    open_by_inspector: dict[int, int] = {}
    for assignment in (*overdue, *due_today, *later):
        open_by_inspector[assignment.inspector_id] = open_by_inspector.get(assignment.inspector_id, 0) + 1
    counts = count_corrective_actions(session, corrective_actions_query(session, supervisor, ActionFilters(), today),
                                      today)
    late = action_page(session, corrective_actions_query(session, supervisor, OVERDUE, today), 1, counts.overdue,
                       per_page=OVERDUE_ACTIONS_SHOWN).actions
    return TeamHome(inspectors, overdue, due_today, len(later), open_by_inspector, counts, late)
