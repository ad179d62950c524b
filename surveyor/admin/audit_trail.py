"""The audit trail page: who changed what and when, newest first, paged, filtered by action and
by user (events by them or about them)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from ..auth.permissions import roles_required
from ..extensions import db
from ..models import AuditEvent, User
from . import bp

PER_PAGE = 50
# Labels of the actions people look for; any other action is shown by its code.
ACTION_NAMES = {
    "user.create": _l("User created"),
    "user.role": _l("Role changed"),
    "user.deactivate": _l("User deactivated"),
    "user.activate": _l("User activated"),
    "user.reset_password": _l("Password reset"),
    "user.change_password": _l("Password changed by its user"),
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "login.failed": _l("Failed login"),
    "team.add": _l("Added to a team"),
    "team.remove": _l("Removed from a team"),
    "point.save": _l("Service point saved"),
    "points.import": _l("Service points imported"),
    "link.reissue": _l("Survey link reissued"),
    "collection.open": _l("Collection opened"),
    "collection.close": _l("Collection closed"),
    "collection.follow_general": _l("Point follows the general collection setting"),
    "point.detach": _l("Instrument no longer used at a point"),
    "instrument.version": _l("Instrument version loaded"),
    "assignments.create": _l("Assignments created"),
    "inspection.submit": _l("Inspection submitted"),
    "action.edit": _l("Corrective action edited"),
    "alert.status": _l("Alert status changed"),
    "action.done": _l("Corrective action done"),
    "action.verify": _l("Corrective action verified"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "demo.generate": _l("Demo data generated"),
}
USER_ID_DETAILS = ("supervisor_id", "left_team_of", "user_id")  # details that name an account by its id


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def audit_events(session, action: str | None = None, user: User | None = None, page: int = 1,
                 per_page: int = PER_PAGE) -> AuditPage:
    """One page of the audit log, newest first, with the number of pages (at least one)."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if user is not None:
        query = query.where(or_(AuditEvent.user_id == user.id, AuditEvent.target == f"user:{user.id}"))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    events = list(session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                  .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(events, page, pages, total)


def _named_users(session, events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.user_id for e in events if e.user_id}
    for event in events:
        if event.target and event.target.startswith("user:") and event.target[5:].isdecimal():
            ids.add(int(event.target[5:]))
        for key in USER_ID_DETAILS:
            value = (event.details or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


@bp.route("/audit")
@roles_required("admin")
def audit_trail():
    action = request.args.get("action") or None
    username = (request.args.get("user") or "").strip()
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    unknown_user = bool(username) and user is None
    result = audit_events(db.session, action, user, request.args.get("page", 1, type=int)) \
        if not unknown_user else AuditPage([], 1, 1, 0)
    actions = sorted(db.session.scalars(select(AuditEvent.action).distinct()))
    return render_template("admin/audit.html", result=result, action=action, username=username,
                           unknown_user=unknown_user, actions=actions, action_names=ACTION_NAMES,
                           names=_named_users(db.session, result.events), user_id_details=USER_ID_DETAILS)
