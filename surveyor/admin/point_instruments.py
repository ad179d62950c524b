"""Admin pages that change what a service point offers: retiring a survey link and detaching an
instrument. Each asks first, on a page of its own (no script needed) that says what will stop
working; only the confirmed POST, with its CSRF token, changes anything."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.permissions import roles_required
from ..extensions import db
from ..models import Inspection, Instrument, PointInstrument, Response, ServicePoint, SurveyLink
from ..service_points.links import detach_instrument, reissue_link
from . import bp

ADMIN = ("admin",)
CONFIRMED = "yes"  # the value of the confirmation page's button


def point_or_404(point_id: int) -> ServicePoint:
    return db.session.get(ServicePoint, point_id) or abort(404)


def live_link_or_404(point_id: int, code: str) -> SurveyLink:
    link = db.session.scalar(select(SurveyLink).join(Instrument).where(
        SurveyLink.service_point_id == point_id, Instrument.code == code, SurveyLink.retired_at.is_(None),
        Instrument.kind == "questionnaire"))
    return link or abort(404)


def _attached(point_id: int, code: str) -> tuple[ServicePoint, Instrument]:
    point = point_or_404(point_id)
    instrument = db.session.scalar(select(Instrument).join(PointInstrument).where(
        PointInstrument.service_point_id == point.id, Instrument.code == code))
    return point, instrument or abort(404)


def _kept(point: ServicePoint, instrument: Instrument) -> int:
    """How many responses (inspections, for a checklist) were given at the point: all are kept."""
    rows = Inspection if instrument.kind == "checklist" else Response
    return db.session.scalar(select(func.count()).select_from(rows).where(
        rows.service_point_id == point.id, rows.instrument_id == instrument.id)) or 0


@bp.route("/points/<int:point_id>/links/<code>/reissue", methods=["GET"])
@roles_required(*ADMIN)
def confirm_reissue(point_id: int, code: str):
    link = live_link_or_404(point_id, code)
    return render_template("admin/confirm_reissue.html", point=link.service_point, link=link,
                           kept=_kept(link.service_point, link.instrument))


@bp.route("/points/<int:point_id>/links/<code>/reissue", methods=["POST"])
@roles_required(*ADMIN)
def reissue(point_id: int, code: str):
    link = live_link_or_404(point_id, code)
    if request.form.get("confirm") != CONFIRMED:  # a post that skipped the question: ask it
        return redirect(url_for("admin.confirm_reissue", point_id=point_id, code=code))
    reissue_link(db.session, link, user_id=current_user.id)
    db.session.commit()
    flash(_("A new link has been issued; print a new poster. Answers given through the old link are kept."), "info")
    return redirect(url_for("admin.point", point_id=point_id))


@bp.route("/points/<int:point_id>/instruments/<code>/detach", methods=["GET"])
@roles_required(*ADMIN)
def confirm_detach(point_id: int, code: str):
    point, instrument = _attached(point_id, code)
    return render_template("admin/confirm_detach.html", point=point, instrument=instrument,
                           kept=_kept(point, instrument))


@bp.route("/points/<int:point_id>/instruments/<code>/detach", methods=["POST"])
@roles_required(*ADMIN)
def detach(point_id: int, code: str):
    point, instrument = _attached(point_id, code)
    if request.form.get("confirm") != CONFIRMED:
        return redirect(url_for("admin.confirm_detach", point_id=point_id, code=code))
    detach_instrument(db.session, point.id, instrument.id, user_id=current_user.id)
    db.session.commit()
    if instrument.kind == "checklist":
        flash(_("The checklist is no longer used here. Its inspections are kept."), "info")
    else:
        flash(_("The questionnaire is no longer used here and its link is retired. Its answers are kept."), "info")
    return redirect(url_for("admin.point", point_id=point.id))
