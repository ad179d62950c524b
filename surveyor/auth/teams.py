"""Supervisor teams: which inspectors a supervisor leads (``User.supervisor_id``).

A supervisor sees their team's inspections and corrective actions one by one and assigns them
checklists (:mod:`surveyor.inspect.access`). An inspector is in one team at most: moving them
is a removal from one team and an addition to the other, so nobody changes team by a typo.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..display_names import MarkedMessage
from ..models import User, audit
from .accounts import AccountError


def _problems_with(session, supervisor: User, inspectors: list[User], adding: bool) -> list[str]:
    problems = []
    if supervisor.role != "supervisor":
        problems.append(MarkedMessage(_l("%(name)s is not a supervisor (role: %(role)s)."), name=supervisor.username,
                           role=supervisor.role))
    for inspector in inspectors:
        if inspector.role != "inspector":
            problems.append(MarkedMessage(_l("%(name)s is not an inspector (role: %(role)s); a team is made of inspectors."),
                               name=inspector.username, role=inspector.role))
        elif adding and inspector.supervisor_id not in (None, supervisor.id):
            leader = session.get(User, inspector.supervisor_id)
            problems.append(MarkedMessage(_l("%(name)s is in %(leader)s's team; remove them there first."),
                               name=inspector.username, leader=leader.username))
        elif not adding and inspector.supervisor_id != supervisor.id:
            problems.append(MarkedMessage(_l("%(name)s is not in %(leader)s's team."), name=inspector.username,
                               leader=supervisor.username))
    return problems


def add_to_team(session, supervisor: User, inspectors: list[User], by_id: int | None = None) -> list[User]:
    """Put ``inspectors`` in ``supervisor``'s team, all or none; returns those who were not in it."""
    problems = _problems_with(session, supervisor, inspectors, adding=True)
    if problems:
        raise AccountError(*problems)
    added = [i for i in inspectors if i.supervisor_id != supervisor.id]
    for inspector in added:
        inspector.supervisor_id = supervisor.id
        audit(session, "team.add", f"user:{inspector.id}", user_id=by_id, supervisor_id=supervisor.id)
    return added


def remove_from_team(session, supervisor: User, inspectors: list[User], by_id: int | None = None) -> None:
    """Take ``inspectors`` out of ``supervisor``'s team, all or none."""
    problems = _problems_with(session, supervisor, inspectors, adding=False)
    if problems:
        raise AccountError(*problems)
    for inspector in inspectors:
        inspector.supervisor_id = None
        audit(session, "team.remove", f"user:{inspector.id}", user_id=by_id, supervisor_id=supervisor.id)


def teams(session, supervisor: User | None = None) -> dict[User, list[User]]:
    """Each supervisor (or the one given) with their inspectors, by username."""
    query = select(User).where(User.role == "supervisor").order_by(User.username)
    if supervisor is not None:
        query = query.where(User.id == supervisor.id)
    leaders = list(session.scalars(query))
    members = session.scalars(select(User).where(User.supervisor_id.in_([s.id for s in leaders]))
                              .order_by(User.username))
    result: dict[User, list[User]] = {leader: [] for leader in leaders}
    by_id = {leader.id: leader for leader in leaders}
    for member in members:
        result[by_id[member.supervisor_id]].append(member)
    return result
