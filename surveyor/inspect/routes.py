"""The inspector's app: assignments, the checklist form, submission, photos and the offline files."""
from __future__ import annotations

import datetime as dt
import math
import uuid
from pathlib import Path

from flask import (abort, current_app, jsonify, redirect, render_template, request, send_file, send_from_directory,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import roles_required
from ..auth.tablet_owner import OWNER_FIELD, owner_key
from ..errors import render_error
from ..extensions import db
from ..formatting import ascii_digits, format_number, local_today
from ..i18n import current_language
from ..instruments.catalog import checklist_sections
from ..instruments.versions import latest_version_id, version_definition
from ..models import Assignment, Inspection, InspectionPhoto, Instrument, ServicePoint
from . import bp
from .access import can_see
from .assignments import is_linked, linked_pairs, open_assignments
from .photos import PhotoRules, ensure_thumbnail, thumbnail_path
from .submission import Visit, parse_inspection, record_inspection

FIELD_ROLES = ("inspector", "supervisor")
STATIC = Path(__file__).resolve().parent.parent / "static"


def error_messages() -> dict[str, str]:
    return {
        "answer_required": _("Choose an answer, or “not applicable”."),
        "measurement_required": _("Enter the measured value, or choose “not applicable”."),
        "number_expected": _("Enter a number."),
        "number_out_of_range": _("This number is outside what the checklist allows for this item."),
        "choice_unknown": _("Choose one of the listed answers."),
        "photo_required": _("This failure needs a photo."),
        "action_required": _("This failure needs a corrective action."),
        "not_applicable_refused": _("This item cannot be marked not applicable."),
        "too_large": _("The photo is too large."),
        "not_a_photo": _("This file is not a photo (JPEG, PNG or WebP)."),
        "unreadable_photo": _("This photo could not be read: the file is damaged or carries too much besides "
                              "the picture. Take the photo again."),
        "too_many_pixels": _("This photo has too many pixels (at most %(n)s megapixels); take it again at a "
                             "lower resolution.", n=format_number(current_app.config["MAX_PHOTO_PIXELS"] / 1e6,
                                                                  current_language())),
        "visit": _("This form is incomplete or out of date; open it again from your assignments."),
        "foreign_client_id": _("Another inspector's inspection was sent with this form's identifier; "
                               "open the form again to start a new inspection."),
        "owner_mismatch": _("This inspection belongs to another inspector who used this tablet. It was not "
                            "stored; it stays on the tablet and is sent when they log in."),
    }


@bp.context_processor
def tablet_owner():
    """The opaque key the inspector app files this inspector's pages and records under."""
    return {"tablet_owner": owner_key(current_user.id) if current_user.is_authenticated else ""}


@bp.after_request
def name_the_owner(response):
    """Whose page this is, for the service worker: it keeps a page only in that inspector's cache."""
    if current_user.is_authenticated:
        response.headers["Surveyor-Owner"] = owner_key(current_user.id)
    return response


def _my_assignments():
    return open_assignments(db.session, [current_user.id], local_today(current_app.config["DISPLAY_TIMEZONE"]))


@bp.route("/")
@roles_required(*FIELD_ROLES)
def app_shell():
    overdue, due_today, later = _my_assignments()
    by_checklist: dict[Instrument, list[ServicePoint]] = {}
    for instrument, point in linked_pairs(db.session):
        by_checklist.setdefault(instrument, []).append(point)
    return render_template("inspect/app.html", overdue=overdue, due_today=due_today, later=later,
                           by_checklist=list(by_checklist.items()))


@bp.route("/assignments.json")
@roles_required(*FIELD_ROLES)
def assignments_json():
    overdue, due_today, later = _my_assignments()
    return jsonify(forms=[url_for("inspect.form", assignment=a.id) for a in (*overdue, *due_today, *later)])


def _as_id(text: str) -> int | None:
    """A database id written in ``text``, or None for anything that cannot be one."""
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def _form_target():
    """(assignment or None, instrument, point) named by the query string, or 404."""
    assignment_id = _as_id(request.args.get("assignment", ""))
    if assignment_id:
        assignment = db.session.get(Assignment, assignment_id)
        if assignment is None or assignment.inspector_id != current_user.id:
            abort(404)
        return assignment, assignment.instrument, assignment.service_point
    code, point_id = request.args.get("checklist", ""), _as_id(request.args.get("point", ""))
    if "visit" in request.args:  # the start list's one choice: "<checklist code>:<site id>"
        code, _sep, point_text = request.args["visit"].partition(":")
        point_id = _as_id(point_text)
    instrument = db.session.scalar(select(Instrument).where(
        Instrument.code == code, Instrument.kind == "checklist")) or abort(404)
    point = db.session.get(ServicePoint, point_id or 0) or abort(404)
    if not is_linked(db.session, instrument.id, point.id):
        abort(404)  # this checklist is not used at this site
    return None, instrument, point


def _render_form(assignment, instrument, point, version_id, values=None, errors=None, client_id=None, status=200):
    definition = version_definition(version_id)[1]
    messages = error_messages()
    return render_template(
        "inspect/form.html", assignment=assignment, instrument=instrument, point=point, version_id=version_id,
        definition=definition, sections=checklist_sections(definition), values=values or {},
        errors={code: messages.get(key, key) for code, key in (errors or {}).items()},
        client_id=client_id or str(uuid.uuid4()),
        started_at=(values or {}).get("started_at") or dt.datetime.now(dt.timezone.utc).isoformat()), status


@bp.route("/form")
@roles_required(*FIELD_ROLES)
def form():
    assignment, instrument, point = _form_target()
    return _render_form(assignment, instrument, point, latest_version_id(instrument.id))


def _float(name):
    """A finite number sent in field ``name``, or None (Python's float() also reads nan and inf)."""
    try:
        value = float(ascii_digits(request.form.get(name, "")).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# A reported accuracy beyond this (metres) locates nothing worth recording.
MAX_ACCURACY_M = 100_000


def _location() -> tuple[float | None, float | None, float | None]:
    """(latitude, longitude, accuracy in metres) as the tablet reports them, or all None unless
    each is a finite number in range: latitude -90..90, longitude -180..180, accuracy
    0..MAX_ACCURACY_M (or left empty). A location is recorded whole or not at all; the inspection
    is kept either way."""
    lat, lon, accuracy = _float("latitude"), _float("longitude"), _float("accuracy")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None, None
    if not (request.form.get("accuracy") or "").strip():
        return lat, lon, None  # a position without its accuracy, as some browsers give it
    if accuracy is None or not 0 <= accuracy <= MAX_ACCURACY_M:
        return None, None, None
    return lat, lon, accuracy


def _visit() -> tuple[Visit | None, dict | None]:
    form = request.form
    try:
        version_id = int(form.get("version_id", ""))
        point_id = int(form.get("point_id", ""))
        client_id = str(uuid.UUID(form.get("client_id", "")))
    except ValueError:
        return None, None
    found = version_definition(version_id)
    if found is None or db.session.get(ServicePoint, point_id) is None or found[1]["kind"] != "checklist":
        return None, None
    assignment_id = form.get("assignment_id", type=int)
    if assignment_id:
        assignment = db.session.get(Assignment, assignment_id)
        # The assignment must be this inspector's, for this checklist at this site: a mismatched
        # form would otherwise complete someone else's work or another site's.
        if (assignment is None or assignment.inspector_id != current_user.id or assignment.instrument_id != found[0]
                or assignment.service_point_id != point_id):
            return None, None
    elif not is_linked(db.session, found[0], point_id):
        return None, None
    started = _plausible_start(form.get("started_at", ""))
    lat, lon, accuracy = _location()
    return Visit(client_id=client_id, version_id=version_id, instrument_id=found[0], service_point_id=point_id,
                 inspector_id=current_user.id, assignment_id=assignment_id or None, started_at=started,
                 latitude=lat, longitude=lon, accuracy_m=accuracy), found[1]


# How far the tablet's clock is believed: an inspection may wait this long offline, and a clock may
# run this far ahead. Outside that, the time the server received it is recorded instead, so a
# tablet whose clock reset (a flat battery: 2000-01-01) cannot put an inspection before or after
# others, and so verify, or escape verifying, their corrective actions.
MAX_OFFLINE = dt.timedelta(days=30)
MAX_CLOCK_AHEAD = dt.timedelta(minutes=5)


def _plausible_start(text: str) -> dt.datetime | None:
    try:
        started = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    started = started if started.tzinfo else started.replace(tzinfo=dt.timezone.utc)
    now = dt.datetime.now(dt.timezone.utc)
    return started if now - MAX_OFFLINE <= started <= now + MAX_CLOCK_AHEAD else None


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _sent_for_someone_else() -> bool:
    """Whether the upload names an owner other than the inspector logged in: an outbox that a
    shared tablet sends as the previous inspector's login ends and the next one's begins (fault 1).
    An upload without an owner (an older form) is the logged-in inspector's own."""
    sent = request.form.get(OWNER_FIELD)
    return sent is not None and sent != owner_key(current_user.id)


@bp.route("/submit", methods=["POST"])
@roles_required(*FIELD_ROLES)
def submit():
    if _sent_for_someone_else():
        message = error_messages()["owner_mismatch"]
        if _wants_json():
            return jsonify(code="owner_mismatch", errors={"form": message}), 409
        return render_error(409, message)
    visit, definition = _visit()
    if visit is None:
        if _wants_json():
            return jsonify(errors={"form": error_messages()["visit"]}), 400
        abort(400)
    existing = db.session.scalar(select(Inspection).where(Inspection.client_id == visit.client_id))
    if existing is not None:
        return _stored(existing, created=False)
    rules = PhotoRules(current_app.config["PHOTO_MAX_MB"] * 1024 * 1024, current_app.config["MAX_PHOTO_PIXELS"])
    parsed = parse_inspection(definition, request.form, request.files, rules)
    errors = dict(parsed.errors)
    if not errors:
        inspection, created = record_inspection(db.session, visit, definition, parsed,
                                                Path(current_app.config["PHOTO_DIR"]),
                                                timezone=current_app.config["DISPLAY_TIMEZONE"])
        return _stored(inspection, created)
    if _wants_json():
        messages = error_messages()
        return jsonify(errors={code: messages.get(key, key) for code, key in errors.items()}), 400
    assignment = db.session.get(Assignment, visit.assignment_id) if visit.assignment_id else None
    instrument = db.session.get(Instrument, visit.instrument_id)
    point = db.session.get(ServicePoint, visit.service_point_id)
    return _render_form(assignment, instrument, point, visit.version_id, values=request.form, errors=errors,
                        client_id=visit.client_id, status=400)


def _stored(inspection: Inspection, created: bool):
    if inspection.inspector_id != current_user.id:
        # A re-send is harmless only for its own inspector: nobody learns of another's inspection.
        message = error_messages()["foreign_client_id"]
        return (jsonify(errors={"form": message}), 409) if _wants_json() else render_error(409, message)
    if _wants_json():
        return jsonify(id=inspection.id, status="stored" if created else "duplicate",
                       score_percent=inspection.score_percent, grade=inspection.grade), 201 if created else 200
    return redirect(url_for("inspect.inspection", inspection_id=inspection.id), 303)


@bp.route("/inspections/<int:inspection_id>")
@roles_required("inspector", "supervisor", "researcher", "admin")
def inspection(inspection_id: int):
    found = db.session.get(Inspection, inspection_id)
    if found is None or not can_see(db.session, current_user, found):
        abort(404)
    definition = found.version.definition
    items = {item.item_code: item for item in found.items}
    photos = {}
    for photo in found.photos:
        photos.setdefault(photo.item_code, []).append(photo)
    return render_template("inspect/inspection.html", inspection=found, definition=definition,
                           sections=checklist_sections(definition), items=items, photos=photos,
                           today=local_today(current_app.config["DISPLAY_TIMEZONE"]))


@bp.route("/photos/<int:photo_id>")
@roles_required("inspector", "supervisor", "researcher", "admin")
def photo(photo_id: int):
    found = db.session.get(InspectionPhoto, photo_id)
    if found is None or not can_see(db.session, current_user, found.inspection):
        abort(404)
    relative = found.file_path
    if request.args.get("thumb") and ensure_thumbnail(Path(current_app.config["PHOTO_DIR"]), found.file_path):
        relative = thumbnail_path(found.file_path)
    return send_from_directory(current_app.config["PHOTO_DIR"], relative, mimetype="image/jpeg", max_age=86400)


@bp.route("/sw.js")
@roles_required(*FIELD_ROLES)
def service_worker():
    response = send_file(STATIC / "js" / "inspect-sw.js", mimetype="application/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = url_for("inspect.app_shell")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    return jsonify(name=_("Surveyor inspections"), short_name=_("Inspections"), start_url=url_for("inspect.app_shell"),
                   scope=url_for("inspect.app_shell"), display="standalone", dir="rtl", lang="fa",
                   background_color="#ffffff", theme_color="#0b5cad",
                   icons=[{"src": url_for("static", filename="icons/inspect-192.png"), "sizes": "192x192",
                           "type": "image/png"},
                          {"src": url_for("static", filename="icons/inspect-512.png"), "sizes": "512x512",
                           "type": "image/png"}]), 200, {"Content-Type": "application/manifest+json"}
