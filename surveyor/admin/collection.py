"""The collection form: opening and closing a questionnaire everywhere or at one point. It shows
the setting saved for its scope, so that saving it again unchanged changes nothing."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..auth.permissions import roles_required
from ..extensions import db
from ..formatting import jalali_date
from ..forms.admin import CollectionForm
from ..i18n import current_language
from ..models import CollectionWindow, Instrument, ServicePoint
from ..service_points.windows import follow_general_window, saved_window, set_window
from . import bp
from .point_instruments import point_or_404

ADMIN = ("admin",)
FOLLOW_GENERAL = "general"  # at a point: no setting of its own, the general one decides


@bp.route("/collection/<code>", methods=["GET", "POST"])
@roles_required(*ADMIN)
def collection(code: str):
    """Open or close a questionnaire everywhere, or at one point (``?point=``). The form shows the
    setting saved for its scope, so that saving it again unchanged changes nothing; at a point,
    "as everywhere" drops the point's own setting."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code)) or abort(404)
    if instrument.kind == "checklist":
        abort(404)  # checklists are filled by inspectors: no citizen collection to open or close
    point_id = request.values.get("point", type=int)
    point = point_or_404(point_id) if point_id else None
    window = saved_window(db.session, instrument.id, point_id)
    general = saved_window(db.session, instrument.id) if point else None
    lang = current_language()
    form = CollectionForm(data=_saved_values(window, point, lang)) if request.method == "GET" else CollectionForm()
    if point:
        form.state.choices = [SelectChoice(FOLLOW_GENERAL, _("As everywhere (the general setting)")),
                              *form.state.choices]
    if form.validate_on_submit():
        if form.state.data == FOLLOW_GENERAL:
            follow_general_window(db.session, instrument.id, point.id, user_id=current_user.id)
        else:
            opens_on, closes_on = form.dates()
            set_window(db.session, instrument.id, form.state.data == "open", point_id, opens_on, closes_on,
                       user_id=current_user.id)
        db.session.commit()
        flash(_("Collection settings saved."), "info")
        return redirect(url_for("admin.point", point_id=point_id) if point_id else url_for("admin.points"))
    status = 400 if form.errors else 200
    return render_template("admin/collection.html", instrument=instrument, point=point, form=form,
                           window=window, general=general), status


def _saved_values(window: CollectionWindow | None, point: ServicePoint | None, lang: str) -> dict:
    """The form's values for a saved window: its state, and its dates in Jalali with the page's
    digits (the form reads any digits back). Nothing saved: at a point, the general setting
    applies; everywhere, the questionnaire is closed (no window means closed)."""
    if window is None:
        return {"state": FOLLOW_GENERAL if point else "closed"}
    tz = current_app.config["DISPLAY_TIMEZONE"]
    return {"state": "open" if window.is_open else "closed",
            "opens_on": jalali_date(window.opens_on, lang, tz) if window.opens_on else "",
            "closes_on": jalali_date(window.closes_on, lang, tz) if window.closes_on else ""}
