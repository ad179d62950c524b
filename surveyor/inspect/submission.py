"""An inspection as submitted from a tablet: parsed, checked against its checklist, stored once.

The form fields are named ``item-<code>-result`` (pass / fail / na), ``item-<code>-rating``
(0-4), ``item-<code>-measured``, ``item-<code>-note``, ``item-<code>-action``,
``item-<code>-photo`` (a file) and ``item-<code>-value`` (site items).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..formatting import ascii_digits, to_local
from ..models import Assignment, Inspection, InspectionItem, InspectionPhoto, audit, utcnow
# ACTION_DAYS stays importable from here: the report and the demo read it.
from .actions import ACTION_DAYS, open_actions, verify_by_later_inspection, verify_by_reinspection  # noqa: F401
from .photos import CheckedPhoto, PhotoError, PhotoRules, check_photo, save_photo
from .scoring import Finding, has_failed, score_inspection

NOTE_MAX = 2000
SITE_TEXT_MAX = 500


@dataclass
class ParsedInspection:
    findings: dict[str, Finding] = field(default_factory=dict)
    rows: list[dict] = field(default_factory=list)
    photos: dict[str, CheckedPhoto] = field(default_factory=dict)  # checked in memory, not yet on disk
    errors: dict[str, str] = field(default_factory=dict)  # item code or field -> message code


def _number(text: str) -> float | None:
    """A measured value typed in any digits; ValueError for anything but a finite number
    (Python's float() also reads "nan" and "inf", which no instrument measures)."""
    text = ascii_digits(text or "").strip().replace("٫", ".").replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def site_value(item: dict, text: str | None) -> str | None:
    """A site item's value as stored (None when left empty), checked against the item's type:
    a number (any digits; within the item's ``min`` and ``max``) or one of its choices; text up to
    SITE_TEXT_MAX characters. ValueError with a message code otherwise, so ``=1+2`` typed as a
    number is the inspector's error, not a value that breaks the exports later."""
    text = (text or "").strip()
    if not text:
        return None
    if item["type"] == "number":
        try:
            value = _number(text)
        except ValueError:
            raise ValueError("number_expected") from None
        if value < item.get("min", -math.inf) or value > item.get("max", math.inf):
            raise ValueError("number_out_of_range")
        return str(int(value)) if value.is_integer() else str(value)
    if item["type"] == "choice":
        if text not in {str(option["value"]) for option in item["options"]}:
            raise ValueError("choice_unknown")
        return text
    return text[:SITE_TEXT_MAX]


def parse_inspection(definition: dict, form, files, photo_rules: PhotoRules = PhotoRules()) -> ParsedInspection:
    """Read every item's finding and check every photo (in memory: nothing is written until the
    whole inspection is accepted); ``errors`` names each item that needs the inspector's attention."""
    parsed = ParsedInspection()
    for item in definition["items"]:
        code = item["code"]
        prefix = f"item-{code}-"
        note = (form.get(prefix + "note") or "").strip()[:NOTE_MAX] or None
        action = (form.get(prefix + "action") or "").strip()[:NOTE_MAX] or None
        upload = files.get(prefix + "photo")
        photo = upload.read() if upload and upload.filename else b""
        row = {"item_code": code, "result": None, "rating": None, "measured": None, "text_value": None,
               "note": note, "corrective_action": action}
        if item["role"] == "site":
            try:
                row["text_value"] = site_value(item, form.get(prefix + "value"))
            except ValueError as exc:
                parsed.errors[code] = exc.args[0]
            parsed.rows.append(row)
            continue
        result = form.get(prefix + "result")
        finding = Finding()
        try:
            if result == "na":
                if not item.get("not_applicable", True):
                    parsed.errors[code] = "not_applicable_refused"
                finding = Finding("na")
            elif item["type"] == "pass_fail":
                if result not in ("pass", "fail"):
                    parsed.errors[code] = "answer_required"
                finding = Finding(result if result in ("pass", "fail") else None)
            elif item["type"] == "rating4":
                raw = ascii_digits(form.get(prefix + "rating") or "").strip()
                if raw not in ("0", "1", "2", "3", "4"):
                    parsed.errors[code] = "answer_required"
                else:
                    finding = Finding(rating=int(raw))
            elif item["type"] == "measurement":
                measured = _number(form.get(prefix + "measured"))
                if measured is None:
                    parsed.errors[code] = "measurement_required"
                finding = Finding(measured=measured)
        except ValueError:
            parsed.errors[code] = "number_expected"
        row.update(result=finding.result, rating=finding.rating, measured=finding.measured)
        if code not in parsed.errors and has_failed(item, finding):
            row["result"] = "fail"
            if item.get("photo_on_fail") and not photo:
                parsed.errors[code] = "photo_required"
            elif item.get("action_on_fail") and not action:
                parsed.errors[code] = "action_required"
        elif code not in parsed.errors and finding.result is None and item["type"] != "pass_fail":
            row["result"] = "pass"
        if photo:
            try:
                parsed.photos[code] = check_photo(photo, photo_rules)
            except PhotoError as exc:
                parsed.errors.setdefault(code, exc.args[0])
        parsed.findings[code] = finding
        parsed.rows.append(row)
    return parsed


@dataclass(frozen=True)
class Visit:
    """Who inspected what, where and when, as the tablet reports it."""

    client_id: str
    version_id: int
    instrument_id: int
    service_point_id: int
    inspector_id: int
    assignment_id: int | None
    started_at: dt.datetime | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None


def record_inspection(session, visit: Visit, definition: dict, parsed: ParsedInspection, photo_dir: Path, *,
                      timezone: str = "Asia/Tehran") -> tuple[Inspection, bool]:
    """Store a checked inspection with its items, photos, score and corrective actions in one
    transaction; a client id already stored returns that inspection instead (re-sends are harmless).
    Corrective actions fall due :data:`~surveyor.inspect.actions.ACTION_DAYS` after the
    inspection's day in ``timezone``; earlier actions on the items this inspection passed, at the
    same site with the same checklist, are verified by it in the same transaction, and its own new
    actions are verified at once by a later re-inspection already stored (sent before it).
    ``parsed`` must hold no errors: its photos, already checked, are written here, and only here."""
    existing = session.scalar(select(Inspection).where(Inspection.client_id == visit.client_id))
    if existing is not None:
        return existing, False
    stored_photos = [(code, save_photo(photo, photo_dir)) for code, photo in parsed.photos.items()]
    score = score_inspection(definition, parsed.findings)
    now = utcnow()
    # Read before the inspection joins the session: a query after ``add`` would flush it outside
    # the IntegrityError guard below, and a parallel re-send would answer 500 instead of "duplicate".
    assignment = session.get(Assignment, visit.assignment_id) if visit.assignment_id else None
    inspection = Inspection(
        client_id=visit.client_id, instrument_id=visit.instrument_id, instrument_version_id=visit.version_id,
        service_point_id=visit.service_point_id, inspector_id=visit.inspector_id,
        assignment_id=visit.assignment_id, status="submitted", started_at=visit.started_at or now,
        submitted_at=now, latitude=visit.latitude, longitude=visit.longitude,
        location_accuracy_m=visit.accuracy_m, score_percent=score.percent, grade=score.grade,
        critical_failed=score.critical_failed, section_scores=score.sections,
        items=[InspectionItem(**row) for row in parsed.rows],
        photos=[InspectionPhoto(item_code=code, file_path=photo.relative_path, sha256=photo.sha256,
                                content_type="image/jpeg", width=photo.width, height=photo.height,
                                size_bytes=photo.size_bytes) for code, photo in stored_photos])
    open_actions(inspection, parsed.rows, to_local(now, timezone).date())
    if assignment is not None and assignment.completed_at is None:
        assignment.completed_at = now
    try:
        session.add(inspection)
        session.flush()
        audit(session, "inspection.submit", f"inspection:{inspection.id}", user_id=visit.inspector_id)
        passed = {row["item_code"] for row in parsed.rows if row["result"] == "pass"}
        verify_by_reinspection(session, inspection, passed, now)
        verify_by_later_inspection(session, inspection, now)
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.scalar(select(Inspection).where(Inspection.client_id == visit.client_id))
        if existing is None:
            raise
        return existing, False
    return inspection, True
