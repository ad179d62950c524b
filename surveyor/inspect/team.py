"""Supervisors: assigning checklists to their inspectors, and following corrective actions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.permissions import roles_required
from ..display_names import date_hint
from ..extensions import db
from ..formatting import format_number, jalali_date, local_today
from ..forms.inspect import AssignForm
from ..i18n import current_language
from ..models import Assignment, CorrectiveAction, Inspection, Instrument, ServicePoint, User, audit, utcnow
from ..models.inspection import OPEN_ACTION_STATUSES
from ..redirects import back_to
from . import bp
from .access import can_see
from .actions import (ASSIGNEE_MAX, EDITABLE_STATUSES, apply_change, district_summary, parse_action_change,
                      unverified_actions)
from .assignments import assignable_points, create_assignments

SUPERVISORS = ("supervisor", "admin")


def _inspectors():
    query = select(User).where(User.role == "inspector", User.active.is_(True)).order_by(User.username)
    if current_user.role == "supervisor":
        query = query.where(User.supervisor_id == current_user.id)
    return list(db.session.scalars(query))


@bp.route("/team", methods=["GET", "POST"])
@roles_required(*SUPERVISORS)
def team():
    inspectors = _inspectors()
    checklists = list(db.session.scalars(select(Instrument).where(Instrument.kind == "checklist")
                                         .order_by(Instrument.code)))
    form = AssignForm(inspectors=inspectors, checklists=checklists, lang=current_language())
    if form.validate_on_submit():
        points, unlinked = assignable_points(db.session, form.checklist.data, form.point_ids(), form.district.data)
        if unlinked:
            form.points.errors.append(_("These sites do not use this checklist: %(codes)s", codes=", ".join(unlinked)))
        elif not points:
            form.district.errors.append(_("No site in this district uses this checklist."))
        else:
            created = create_assignments(db.session, instrument_id=form.checklist.data, points=points,
                                         inspector_id=form.inspector.data, first_due=form.first_due(),
                                         weeks=form.weeks.data or 1, assigned_by=current_user.id)
            db.session.commit()
            flash(_("%(n)s assignment(s) created.", n=format_number(created, current_language())), "info")
            return redirect(url_for("inspect.team"))
    ids = [u.id for u in inspectors] if current_user.role == "supervisor" else None
    query = select(Assignment).where(Assignment.completed_at.is_(None)).order_by(Assignment.due_on)
    if ids is not None:
        query = query.where(Assignment.inspector_id.in_(ids))
    return render_template("inspect/team.html", form=form, assignments=list(db.session.scalars(query.limit(500))),
                           today=local_today(current_app.config["DISPLAY_TIMEZONE"])), 400 if form.errors else 200


@bp.route("/actions")
@roles_required("supervisor", "researcher", "admin")
def actions():
    """Every action not yet verified, by district: open (in progress included) and overdue first
    in each district's summary, the table soonest due first. ``?checklist=CODE`` and
    ``?district=N`` narrow it (the results page links here so), with the totals on top."""
    today = local_today(current_app.config["DISPLAY_TIMEZONE"])
    query = unverified_actions(db.session, current_user).options(
        selectinload(CorrectiveAction.inspection).selectinload(Inspection.service_point))
    checklist = None
    if request.args.get("checklist"):
        checklist = db.session.scalar(select(Instrument).where(Instrument.code == request.args["checklist"].upper(),
                                                              Instrument.kind == "checklist")) or abort(404)
        query = query.where(Inspection.instrument_id == checklist.id)
    district = request.args.get("district", type=int)
    if district is not None:
        query = query.join(ServicePoint, ServicePoint.id == Inspection.service_point_id).where(
            ServicePoint.district == district)
    by_district: dict[int, list[CorrectiveAction]] = {}
    for action in db.session.scalars(query):
        by_district.setdefault(action.inspection.service_point.district, []).append(action)
    summaries = {district: district_summary(rows, today) for district, rows in by_district.items()}
    total = district_summary([a for rows in by_district.values() for a in rows], today)
    return render_template("inspect/actions.html", by_district=sorted(by_district.items()), summaries=summaries,
                           total=total, checklist=checklist, district=district, today=today)


def _action_or_404(action_id: int) -> CorrectiveAction:
    action = db.session.get(CorrectiveAction, action_id)
    if action is None or not can_see(db.session, current_user, action.inspection):
        abort(404)
    return action


def action_messages() -> dict[str, str]:
    return {
        "status_unknown": _("Choose a status."),
        "assignee_too_long": _("At most %(n)s characters.", n=ASSIGNEE_MAX),
        "date_invalid": _("Enter a Jalali date such as %(example)s.", example=date_hint(current_language())),
    }


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@roles_required(*SUPERVISORS)
def action(action_id: int):
    """A supervisor follows one action: its status, who puts it right and by when."""
    found = _action_or_404(action_id)
    errors = {}
    if request.method == "POST":
        change, errors = parse_action_change(request.form)
        if change is not None:
            if apply_change(db.session, found, change, current_user.id, utcnow()):
                db.session.commit()
                flash(_("The corrective action was updated."), "info")
            return redirect(url_for("inspect.action", action_id=found.id))
    messages = action_messages()
    return render_template("inspect/action.html", action=found, statuses=EDITABLE_STATUSES,
                           values=request.form if errors else None,
                           errors={field: messages[key] for field, key in errors.items()},
                           due_text=jalali_date(found.due_on, "en") if found.due_on else "",
                           today=local_today(current_app.config["DISPLAY_TIMEZONE"])), 400 if errors else 200


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@roles_required("inspector", "supervisor", "admin")
def action_done(action_id: int):
    action = _action_or_404(action_id)
    if action.status in OPEN_ACTION_STATUSES:
        action.status, action.done_at, action.done_by_id = "done", utcnow(), current_user.id
        action.done_note = (request.form.get("note") or "").strip()[:2000] or None
        audit(db.session, "action.done", f"action:{action.id}", user_id=current_user.id)
        db.session.commit()
    return redirect(back_to("next", url_for("inspect.inspection", inspection_id=action.inspection_id)))


@bp.route("/actions/<int:action_id>/verify", methods=["POST"])
@roles_required(*SUPERVISORS)
def action_verify(action_id: int):
    action = _action_or_404(action_id)
    if action.status != "done":
        abort(409)
    action.status, action.verified_at, action.verified_by_id = "verified", utcnow(), current_user.id
    audit(db.session, "action.verify", f"action:{action.id}", user_id=current_user.id)
    db.session.commit()
    return redirect(back_to("next", url_for("inspect.actions")))
