"""Who may see which inspection: the rules of the roles, in one place."""
from __future__ import annotations

from sqlalchemy import or_, select

from ..models import Inspection, User

READ_ALL = ("researcher", "admin")


def team_ids(session, supervisor: User) -> list[int]:
    """The supervisor and the inspectors who report to them."""
    members = session.scalars(select(User.id).where(User.supervisor_id == supervisor.id))
    return [supervisor.id, *members]


def same_team(session, first_id: int, second_id: int) -> bool:
    """Whether two staff members work in one team: the same person, inspectors of the same
    supervisor, or a supervisor and an inspector who reports to them."""
    if first_id == second_id:
        return True
    first, second = session.get(User, first_id), session.get(User, second_id)
    if first is None or second is None:
        return False
    return ((first.supervisor_id is not None and first.supervisor_id == second.supervisor_id)
            or first.supervisor_id == second.id or second.supervisor_id == first.id)


def can_see(session, user: User, inspection: Inspection) -> bool:
    if user.role in READ_ALL:
        return True
    if user.role == "supervisor":
        return inspection.inspector_id in team_ids(session, user)
    return inspection.inspector_id == user.id


def visible_inspections(session, user: User):
    """A query of the inspections ``user`` may see."""
    query = select(Inspection)
    if user.role in READ_ALL:
        return query
    if user.role == "supervisor":
        return query.where(Inspection.inspector_id.in_(team_ids(session, user)))
    return query.where(or_(Inspection.inspector_id == user.id))
