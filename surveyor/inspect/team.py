"""Supervisors: assigning checklists to their inspectors, and following corrective actions."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import roles_required
from ..display_names import date_hint
from ..extensions import db
from ..formatting import ascii_digits, format_number, jalali_date, local_today
from ..forms.inspect import AssignForm
from ..i18n import current_language
from ..models import Assignment, CorrectiveAction, Instrument, User, audit, utcnow
from ..models.inspection import OPEN_ACTION_STATUSES
from ..redirects import back_to
from . import bp
from .access import can_see
from .action_export import csv_bytes, xlsx_bytes
from .action_list import (SEARCH_MAX, STATUS_CHOICES, action_page, corrective_actions_query, count_corrective_actions,
                          item_text, page_count, parse_action_filters, query_args)
from .actions import ASSIGNEE_MAX, EDITABLE_STATUSES, apply_change, parse_action_change
from .assignments import assignable_points, create_assignments

SUPERVISORS = ("supervisor", "admin")


@bp.app_template_filter("item_text")
def item_text_filter(action: CorrectiveAction) -> str:
    """A corrective action's failed item, in the page's language (its code if the checklist has no text)."""
    return item_text(action, current_language())


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


LIST_ROLES = ("supervisor", "researcher", "admin")
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _filter_messages(today) -> dict[str, str]:
    lang = current_language()
    return {
        "text_too_long": _("Search for at most %(n)s characters.", n=format_number(SEARCH_MAX, lang)),
        "district_invalid": _("Choose a district from %(first)s to %(last)s.", first=format_number(1, lang),
                              last=format_number(13, lang)),
        "site_unknown": _("No site has this code. Check the code, or leave the field empty for every site."),
        "checklist_unknown": _("No checklist has this code. Choose one from the list."),
        "status_unknown": _("Choose a status from the list."),
        "overdue_invalid": _("Tick the box or leave it empty."),
        "date_invalid": _("Enter a Jalali date such as %(example)s.", example=date_hint(lang)),
        "date_order": _("This date is before the first date; put the earlier date first."),
        "page_invalid": _("The page must be a whole number, from %(first)s up.", first=format_number(1, lang)),
    }


def _page_number(text: str | None) -> int | None:
    text = ascii_digits(text or "1").strip()
    return int(text) if text.isdecimal() and len(text) <= 9 and int(text) >= 1 else None


def _listing_status(errors: dict[str, str]) -> int:
    """404 when only codes that name nothing are wrong (nothing to list), else 400 (a value that cannot be read)."""
    return 404 if set(errors.values()) <= {"site_unknown", "checklist_unknown"} else 400


def _list_page(filters, today, errors: dict[str, str], status: int = 200, counts=None, listing=None):
    """The list page; ``errors`` maps each bad parameter to its message."""
    return render_template("inspect/actions.html", filters=filters, values=request.args, today=today,
                           args=query_args(filters), checklists=_checklists(), statuses=STATUS_CHOICES,
                           errors=errors, counts=counts, listing=listing), status


def _checklists() -> list[Instrument]:
    return list(db.session.scalars(select(Instrument).where(Instrument.kind == "checklist").order_by(Instrument.code)))


@bp.route("/actions")
@roles_required(*LIST_ROLES)
def actions():
    """The corrective actions the user may see (a supervisor, their team's), not yet verified
    unless the status filter says otherwise, soonest due first, :data:`PER_PAGE` to a page;
    filtered by district, site, checklist, status, overdue and due dates, and searched (see
    :func:`~surveyor.inspect.action_list.corrective_actions_query`). The totals on top, the pages
    and the download all come from that one query. Bad values are named next to their field."""
    today = local_today(current_app.config["DISPLAY_TIMEZONE"])
    filters, errors = parse_action_filters(request.args, db.session)
    number = _page_number(request.args.get("page"))
    if number is None:
        errors["page"] = "page_invalid"
    if errors:
        messages = _filter_messages(today)
        return _list_page(filters, today, {k: messages[v] for k, v in errors.items()}, _listing_status(errors))
    query = corrective_actions_query(db.session, current_user, filters, today)
    counts = count_corrective_actions(db.session, query, today)
    last = page_count(counts.total)
    if number > last:
        lang = current_language()
        message = _("There is no page %(page)s: the list ends at page %(last)s.", page=format_number(number, lang),
                    last=format_number(last, lang))
        return _list_page(filters, today, {"page": message}, 404, counts=counts)
    return _list_page(filters, today, {}, counts=counts,
                      listing=action_page(db.session, query, number, counts.total))


@bp.route("/actions.<any(csv, xlsx):fmt>")
@roles_required(*LIST_ROLES)
def actions_download(fmt: str):
    """Every page of the list with the page's filters, as CSV or Excel, headers in the page's
    language: the same query as the page, so its rows are the page's total. Bad filters get the
    page, with its messages."""
    timezone = current_app.config["DISPLAY_TIMEZONE"]
    today = local_today(timezone)
    filters, errors = parse_action_filters(request.args, db.session)
    if errors:
        messages = _filter_messages(today)
        return _list_page(filters, today, {k: messages[v] for k, v in errors.items()}, _listing_status(errors))
    query = corrective_actions_query(db.session, current_user, filters, today)
    write = csv_bytes if fmt == "csv" else xlsx_bytes
    data, _count = write(db.session, query, filters, current_language(), timezone, today)
    name = f"corrective-actions-{today.isoformat()}.{fmt}"
    return Response(data, mimetype=DOWNLOAD_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


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
