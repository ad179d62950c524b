"""Who may see which inspection: the rules of the roles, in one place."""
from __future__ import annotations

from sqlalchemy import or_, select

from ..models import Inspection, User

READ_ALL = ("researcher", "admin")


def team_ids(session, supervisor: User) -> list[int]:
    """The supervisor and the inspectors who report to them."""
    members = session.scalars(select(User.id).where(User.supervisor_id == supervisor.id))
    return [supervisor.id, *members]


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
