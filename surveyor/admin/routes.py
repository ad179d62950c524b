"""Admin pages. Routes parse, call the service-point functions, and render."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import roles_required
from ..extensions import db
from ..formatting import format_number, local_today
from ..forms.admin import CollectionForm, ImportPointsForm, ServicePointForm, chosen_instruments
from ..i18n import current_language
from ..models import Instrument, PointInstrument, ServicePoint, audit
from ..service_points.importer import ImportError_, import_points
from ..service_points.links import ensure_links, live_links
from ..service_points.posters import posters_for, survey_url
from ..service_points.windows import collecting
from ..survey.preview import preview_url
from . import bp
from .point_instruments import live_link_or_404

ADMIN = ("admin",)


def _point_or_404(point_id: int) -> ServicePoint:
    return db.session.get(ServicePoint, point_id) or abort(404)




@bp.route("/points")
@roles_required(*ADMIN)
def points():
    district = request.args.get("district", type=int)
    query = select(ServicePoint).order_by(ServicePoint.district, ServicePoint.code)
    if district:
        query = query.where(ServicePoint.district == district)
    links = {}
    for link in live_links(db.session):
        links.setdefault(link.service_point_id, []).append(link)
    return render_template("admin/points.html", points=list(db.session.scalars(query)), links=links,
                           district=district, import_form=ImportPointsForm())


@bp.route("/points/import", methods=["POST"])
@roles_required(*ADMIN)
def import_points_upload():
    form = ImportPointsForm()
    if not form.validate_on_submit():
        for message in form.file.errors:
            flash(message, "error")
        return redirect(url_for("admin.points"))
    try:
        text = form.file.data.read().decode("utf-8-sig")
        report = import_points(db.session, text)
    except UnicodeDecodeError:
        db.session.rollback()
        flash(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."), "error")
        return redirect(url_for("admin.points"))
    except ImportError_ as exc:
        db.session.rollback()
        return render_template("admin/import_errors.html", problems=exc.problems), 400
    db.session.commit()
    lang = current_language()
    flash(_("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
            created=format_number(report.created, lang), updated=format_number(report.updated, lang),
            unchanged=format_number(report.unchanged, lang)), "info")
    return redirect(url_for("admin.points"))


@bp.route("/points/new", methods=["GET", "POST"])
@bp.route("/points/<int:point_id>/edit", methods=["GET", "POST"])
@roles_required(*ADMIN)
def edit_point(point_id: int | None = None):
    point = _point_or_404(point_id) if point_id else None
    form = ServicePointForm(obj=point, lang=current_language())
    instruments = list(db.session.scalars(select(Instrument).order_by(Instrument.code)))
    chosen = {a.instrument_id for a in db.session.scalars(
        select(PointInstrument).where(PointInstrument.service_point_id == point.id))} if point else set()
    wanted, unknown = chosen_instruments(request.form.getlist("instruments"), instruments)
    instruments_error = _("Choose instruments from the list.") if unknown and form.is_submitted() else None
    if form.validate_on_submit() and not instruments_error:
        values = form.values()
        duplicate = db.session.scalar(select(ServicePoint).where(ServicePoint.code == values["code"]))
        if duplicate is not None and duplicate is not point:
            form.code.errors.append(_("Another service point already has this code."))
        else:
            if point is None:
                point = ServicePoint(**values)
                db.session.add(point)
            else:
                for key, value in values.items():
                    setattr(point, key, value)
            db.session.flush()
            for instrument_id in wanted - chosen:
                db.session.add(PointInstrument(service_point_id=point.id, instrument_id=instrument_id))
            db.session.flush()
            ensure_links(db.session)
            audit(db.session, "point.save", f"point:{point.id}", user_id=current_user.id)
            db.session.commit()
            flash(_("The service point has been saved."), "info")
            return redirect(url_for("admin.point", point_id=point.id))
    status = 400 if form.errors or instruments_error else 200
    return render_template("admin/point_form.html", form=form, point=point, instruments=instruments,
                           chosen=chosen, ticked=wanted, instruments_error=instruments_error), status


@bp.route("/points/<int:point_id>")
@roles_required(*ADMIN)
def point(point_id: int):
    point = _point_or_404(point_id)
    today = local_today(current_app.config["DISPLAY_TIMEZONE"])
    rows = [{"link": link, "url": survey_url(link.token),
             "open": collecting(db.session, link.instrument_id, point.id, today),
             "previews": [(code, preview_url(link, current_user.id, code))
                          for code in link.instrument.latest.definition["languages"]]}
            for link in live_links(db.session) if link.service_point_id == point.id]
    checklists = list(db.session.scalars(select(Instrument).join(PointInstrument).where(
        PointInstrument.service_point_id == point.id, Instrument.kind == "checklist").order_by(Instrument.code)))
    return render_template("admin/point.html", point=point, rows=rows, checklists=checklists, form=CollectionForm())


@bp.route("/points/<int:point_id>/links/<code>/qr.<fmt>")
@roles_required(*ADMIN)
def qr(point_id: int, code: str, fmt: str):
    from ..reporting.posters import qr_png, qr_svg  # qrcode and ReportLab: only for this page

    url = survey_url(live_link_or_404(point_id, code).token)
    if fmt == "svg":
        return Response(qr_svg(url), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(qr_png(url), mimetype="image/png")
    abort(404)


@bp.route("/posters.pdf")
@roles_required(*ADMIN)
def posters():
    district = request.args.get("district", type=int)
    point_id = request.args.get("point", type=int)
    size = request.args.get("size", "A4")
    if size not in ("A4", "A5"):
        abort(400)
    links = [link for link in live_links(db.session)
             if (district is None or link.service_point.district == district)
             and (point_id is None or link.service_point_id == point_id)]
    if not links:
        abort(404)
    links.sort(key=lambda link: (link.service_point.code, link.instrument.code))
    name = f"posters-district-{district}" if district else f"posters-{point_id or 'all'}"
    pdf = posters_for(links, size)
    db.session.commit()  # the links are stamped as printed
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}-{size}.pdf"'})
