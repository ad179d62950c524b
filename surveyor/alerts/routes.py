"""The alerts page: researchers, supervisors and administrators read the early-warning alerts
and acknowledge or close them."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import roles_required
from ..extensions import db
from ..models import ALERT_KINDS, ALERT_STATUSES, Alert, Instrument, audit, utcnow
from . import bp
from .listing import KINDS_BY_ROLE, AlertFilters, alert_page

ROLES = ("researcher", "supervisor", "admin")
KIND_NAMES = {
    "outcome_drop": _l("Overall satisfaction dropped"),
    "recommend_drop": _l("Recommend score dropped"),
    "flagged_burst": _l("Burst of flagged responses"),
    "silence": _l("No answers lately (torn poster?)"),
    "service_time": _l("Service time above the standard"),
}
STATUS_NAMES = {"open": _l("Open"), "acknowledged": _l("Acknowledged"), "closed": _l("Closed")}


@bp.route("")
@roles_required(*ROLES)
def alerts():
    filters = AlertFilters.from_args(request.args)
    kinds = KINDS_BY_ROLE[current_user.role]
    result = alert_page(db.session, filters, kinds, request.args.get("page", 1, type=int) or 1)
    instruments = list(db.session.scalars(select(Instrument).order_by(Instrument.kind.desc(), Instrument.code)))
    return render_template("alerts/alerts.html", result=result, filters=filters, instruments=instruments,
                           kinds=[k for k in ALERT_KINDS if k in kinds], kind_names=KIND_NAMES,
                           statuses=ALERT_STATUSES, status_names=STATUS_NAMES)


@bp.route("/<int:alert_id>/status", methods=["POST"])
@roles_required(*ROLES)
def set_status(alert_id: int):
    alert = db.session.get(Alert, alert_id)
    if alert is None or alert.kind not in KINDS_BY_ROLE[current_user.role]:
        abort(404)
    status = request.form.get("status")
    if status not in ALERT_STATUSES:
        flash(_("Choose open, acknowledged or closed."), "error")
    elif status != alert.status:
        audit(db.session, "alert.status", target=f"alert:{alert.id}", user_id=current_user.id,
              **{"from": alert.status, "to": status})
        alert.status, alert.status_changed_at, alert.status_changed_by_id = status, utcnow(), current_user.id
        db.session.commit()
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/alerts") and not back.startswith("//") else url_for("alerts.alerts"))
