"""Corrective actions: opened by failed items, followed by supervisors (who, by when, how far),
and closed by verification, by a supervisor or by a re-inspection that finds the item passing."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..formatting import parse_jalali_date
from ..models import CorrectiveAction, Inspection, InspectionItem, audit
from ..models.inspection import OPEN_ACTION_STATUSES
from .access import same_team

ACTION_DAYS = 14          # a new corrective action is due this many days after the inspection's day
ASSIGNEE_MAX = 200
EDITABLE_STATUSES = ("open", "in_progress", "done")  # "verified" only by verifying (by hand or by re-inspection)


def open_actions(inspection: Inspection, rows: list[dict], day: dt.date) -> None:
    """One open action for each failed row that says what to do, due :data:`ACTION_DAYS` after
    ``day`` (the inspection's day where it took place)."""
    for row in rows:
        if row["result"] == "fail" and row["corrective_action"]:
            inspection.actions.append(CorrectiveAction(item_code=row["item_code"], description=row["corrective_action"],
                                                       due_on=day + dt.timedelta(days=ACTION_DAYS)))


def verify_by_reinspection(session, inspection: Inspection, passed: set[str],
                           now: dt.datetime) -> list[CorrectiveAction]:
    """Close the actions that ``inspection`` shows were put right: those of earlier inspections of
    the same site with the same checklist, on an item this one passed, not yet verified. Each is
    marked verified by this inspection (and its inspector) at ``now``. ``inspection`` must have
    been flushed (it needs its id)."""
    if not passed:
        return []
    query = (select(CorrectiveAction)
             .join(Inspection, Inspection.id == CorrectiveAction.inspection_id)
             .where(Inspection.service_point_id == inspection.service_point_id,
                    Inspection.instrument_id == inspection.instrument_id,
                    Inspection.id != inspection.id,
                    Inspection.started_at <= inspection.started_at,
                    CorrectiveAction.item_code.in_(sorted(passed)),
                    CorrectiveAction.status != "verified"))
    closed = [action for action in session.scalars(query) if may_verify(session, inspection, action)]
    for action in closed:
        _verified_by(session, action, inspection, now)
    return closed


def verify_by_later_inspection(session, inspection: Inspection, now: dt.datetime) -> list[CorrectiveAction]:
    """The other arrival order: ``inspection`` (just stored, with its new actions) was sent late,
    from a tablet that was offline, and a re-inspection that began after it and passed the item is
    already on the server. Each such action is verified at once by the earliest such re-inspection,
    as it would have been had the two arrived in the order they were made."""
    closed = []
    for action in inspection.actions:
        later = next((candidate for candidate in session.scalars(
            select(Inspection)
            .join(InspectionItem, InspectionItem.inspection_id == Inspection.id)
            .where(Inspection.service_point_id == inspection.service_point_id,
                   Inspection.instrument_id == inspection.instrument_id,
                   Inspection.id != inspection.id,
                   Inspection.started_at > inspection.started_at,
                   InspectionItem.item_code == action.item_code, InspectionItem.result == "pass")
            .order_by(Inspection.started_at, Inspection.id)) if may_verify(session, candidate, action)), None)
        if later is not None:
            _verified_by(session, action, later, now)
            closed.append(action)
    return closed


def may_verify(session, inspection: Inspection, action: CorrectiveAction) -> bool:
    """Whether a passing ``inspection`` may verify ``action`` (opened by another inspection of the
    same site and checklist): when its inspector is of the action's team (see
    :func:`~surveyor.inspect.access.same_team`: the same inspector, the same supervisor, or the
    supervisor of the one who opened it), or when it was made under an assignment, which a
    supervisor gives for that checklist at that site. Any other passing inspection is stored and
    scored, but leaves the action as it was: no inspector closes another team's actions by
    walking in unasked."""
    if inspection.assignment_id is not None:
        return True
    return same_team(session, inspection.inspector_id, action.inspection.inspector_id)


def _verified_by(session, action: CorrectiveAction, inspection: Inspection, now: dt.datetime) -> None:
    action.status, action.verified_at = "verified", now
    action.verified_by_id, action.verified_by_inspection_id = inspection.inspector_id, inspection.id
    audit(session, "action.verify", f"action:{action.id}", user_id=inspection.inspector_id,
          by_inspection=inspection.id)


def _overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    return status in OPEN_ACTION_STATUSES and due_on is not None and due_on < today


def is_overdue(action: CorrectiveAction, today: dt.date) -> bool:
    """Not yet done (open or in progress) and past its due date."""
    return _overdue(action.status, action.due_on, today)


@dataclass(frozen=True)
class ActionCounts:
    """How many corrective actions stand at each stage. Every page, report and list counts them
    with :func:`count_actions`, so their figures agree.

    ``open``: not yet done (open or in progress, the latter also counted in ``in_progress``);
    ``overdue``: open and past the due date; ``done``: done, awaiting verification;
    ``verified``: verified by a supervisor or a re-inspection."""

    open: int = 0
    in_progress: int = 0
    overdue: int = 0
    done: int = 0
    verified: int = 0

    @property
    def not_verified(self) -> int:
        """Open or done: what the corrective actions page lists."""
        return self.open + self.done

    @property
    def total(self) -> int:
        return self.open + self.done + self.verified


def count_actions(actions: Iterable[tuple[str, dt.date | None]], today: dt.date) -> ActionCounts:
    """The counts of ``(status, due_on)`` pairs on ``today``."""
    statuses, overdue = Counter(), 0
    for status, due_on in actions:
        statuses[status] += 1
        overdue += _overdue(status, due_on, today)
    return ActionCounts(open=sum(statuses[s] for s in OPEN_ACTION_STATUSES), in_progress=statuses["in_progress"],
                        overdue=overdue, done=statuses["done"], verified=statuses["verified"])


@dataclass(frozen=True)
class ActionChange:
    """A supervisor's edit of an action: its status, who puts it right (None: the default), its due date."""

    status: str
    assignee: str | None
    due_on: dt.date | None


def parse_action_change(form) -> tuple[ActionChange | None, dict[str, str]]:
    """Read the edit form; the errors name each field that needs correcting (field -> message code)."""
    errors = {}
    status = form.get("status", "")
    if status not in EDITABLE_STATUSES:
        errors["status"] = "status_unknown"
    assignee = " ".join((form.get("assignee") or "").split())
    if len(assignee) > ASSIGNEE_MAX:
        errors["assignee"] = "assignee_too_long"
    due_on = None
    if (form.get("due") or "").strip():
        try:
            due_on = parse_jalali_date(form["due"])
        except ValueError:
            errors["due"] = "date_invalid"
    if errors:
        return None, errors
    return ActionChange(status=status, assignee=assignee or None, due_on=due_on), {}


def apply_change(session, action: CorrectiveAction, change: ActionChange, user_id: int, now: dt.datetime) -> bool:
    """Apply a supervisor's edit; returns whether anything changed. Marking an action done records
    who and when; taking it back to open or in progress (also from verified, when the fault is
    back) forgets that it was done and verified."""
    before = (action.status, action.assignee, action.due_on)
    if change.status != action.status:
        if change.status == "done":
            action.done_at, action.done_by_id = now, user_id
        else:
            action.done_at = action.done_by_id = None
        action.verified_at = action.verified_by_id = action.verified_by_inspection_id = None
    action.status, action.assignee, action.due_on = change.status, change.assignee, change.due_on
    changed = before != (action.status, action.assignee, action.due_on)
    if changed:
        audit(session, "action.edit", f"action:{action.id}", user_id=user_id, status=change.status,
              assignee=change.assignee, due_on=change.due_on.isoformat() if change.due_on else None)
    return changed
