"""Synthetic inspections for ``surveyor demo --inspections N``, from a stated model.

For an inspection of site *s* (in district *d*) on day *t* (0 a year ago, 1 yesterday):

* each site has a quality ``q_s ~ N(0, 0.8²)`` and each district an effect ``u_d ~ N(0, 0.4²)``;
* check item *j* has a base pass rate ``p_j`` drawn from U(0.75, 0.97) (critical items
  U(0.93, 0.99)); it passes with probability ``logistic(logit(p_j) + q_s + u_d + 0.4 t)``,
  so sites improve a little over the year;
* a 0-4 rating is ``round(3 + 0.8 (q_s + u_d) + N(0, 0.9²))`` clipped to 0..4; a measurement
  lies inside its acceptable range when the item passes and outside when it fails;
* 3% of items that allow it are marked not applicable;
* a failed item that asks for a corrective action gets one, due 14 days later: verified,
  done or still open, the older the more likely settled;
* dates are uniform over the 365 days before today, inspectors drawn from four demo accounts;
* 5% of inspections (counted in ``n``) are followed, an hour later, by a calibration visit of another inspector
  who sees each pass/fail item the same way except one in ten (so inspector agreement, Cohen's
  kappa, has pairs to compare); the second visit files no corrective actions.

Scores are computed by :func:`surveyor.inspect.scoring.score_inspection`, as for real ones.
"""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
from sqlalchemy import insert, select

from ..inspect.scoring import Finding, has_failed, score_inspection
from ..inspect.submission import ACTION_DAYS
from ..models import CorrectiveAction, Inspection, InspectionItem, Instrument, User

BATCH = 1000
SITE_SD, DISTRICT_SD, TREND, NOT_APPLICABLE_RATE = 0.8, 0.4, 0.4, 0.03
SECOND_VISIT_RATE, DISAGREEMENT_RATE = 0.05, 0.10
DEMO_INSPECTORS = ("demo-inspector-1", "demo-inspector-2", "demo-inspector-3", "demo-inspector-4")
ACTIONS = (
    "تعمیر و راه‌اندازی دوباره تا پایان هفته",
    "نظافت کامل و تکرار بازدید",
    "تعویض قطعه معیوب و ثبت در سامانه نگهداری",
    "نصب تابلوی هشدار و خبر دادن به پیمانکار",
)


def demo_inspectors(session) -> list[int]:
    """Ids of the demo inspector accounts, created inactive (nobody logs in as them)."""
    from ..auth.accounts import create_user

    existing = dict(
        session.execute(
            select(User.username, User.id).where(User.username.in_(DEMO_INSPECTORS))
        ).all()
    )
    ids = []
    for name in DEMO_INSPECTORS:
        if name not in existing:
            user, _ = create_user(session, name, "inspector")
            user.active = False
            existing[name] = user.id
        ids.append(existing[name])
    return ids


def _measured(item: dict, passed: bool, rng) -> float:
    bounds = item.get("acceptable") or {}
    low, high = bounds.get("min"), bounds.get("max")
    if passed:
        if low is not None and high is not None:
            return round(float(rng.uniform(low, high)), 1)
        return (
            round(low * rng.uniform(1.0, 1.5), 1)
            if low is not None
            else round(high * rng.uniform(0.3, 1.0), 1)
        )
    if low is not None:
        return round(low * rng.uniform(0.4, 0.95), 1)
    return round(high * rng.uniform(1.1, 2.0), 1)


def generate_inspections(
    definition: dict,
    points: list[tuple[int, int]],
    inspectors: list[int],
    n: int,
    rng: np.random.Generator,
    today: dt.date,
) -> list[dict]:
    """``n`` inspections as dicts: ``point_id, inspector_id, submitted_at, findings, rows,
    actions``; ``points`` are ``(service_point_id, district)`` pairs."""
    checks = [item for item in definition["items"] if item["role"] == "check"]
    base = np.array(
        [
            rng.uniform(0.93, 0.99) if item.get("critical") else rng.uniform(0.75, 0.97)
            for item in checks
        ]
    )
    quality = {pid: rng.normal(0, SITE_SD) for pid, _ in points}
    district_effect = {d: rng.normal(0, DISTRICT_SD) for d in sorted({d for _, d in points})}
    inspections = []
    while len(inspections) < n:
        point_id, district = points[int(rng.integers(0, len(points)))]
        days_ago = int(rng.integers(1, 366))
        level = quality[point_id] + district_effect[district] + TREND * (1 - days_ago / 365)
        submitted = dt.datetime.combine(
            today - dt.timedelta(days=days_ago), dt.time(), tzinfo=dt.timezone.utc
        ) + dt.timedelta(seconds=int(rng.integers(5 * 3600, 13 * 3600)))
        passes = rng.random(len(checks)) < 1 / (1 + np.exp(-(np.log(base / (1 - base)) + level)))
        findings, rows = {}, []
        for item, passed in zip(checks, passes):
            if item.get("not_applicable", True) and rng.random() < NOT_APPLICABLE_RATE:
                finding = Finding("na")
            elif item["type"] == "rating4":
                finding = Finding(
                    rating=int(np.clip(np.rint(3 + 0.8 * level + rng.normal(0, 0.9)), 0, 4))
                )
            elif item["type"] == "measurement":
                finding = Finding(measured=_measured(item, bool(passed), rng))
            else:
                finding = Finding("pass" if passed else "fail")
            failed = has_failed(item, finding)
            findings[item["code"]] = finding
            action = (
                ACTIONS[int(rng.integers(0, len(ACTIONS)))]
                if failed and item.get("action_on_fail")
                else None
            )
            rows.append(
                {
                    "item_code": item["code"],
                    "result": "na" if finding.result == "na" else ("fail" if failed else "pass"),
                    "rating": finding.rating,
                    "measured": finding.measured,
                    "text_value": None,
                    "note": None,
                    "corrective_action": action,
                }
            )
        for item in definition["items"]:
            if item["role"] == "site":
                options = item.get("options") or []
                value = (
                    str(options[int(rng.integers(0, len(options)))]["value"])
                    if options
                    else str(int(rng.integers(item.get("min", 1), item.get("max", 10) + 1)))
                )
                rows.append(
                    {
                        "item_code": item["code"],
                        "result": None,
                        "rating": None,
                        "measured": None,
                        "text_value": value,
                        "note": None,
                        "corrective_action": None,
                    }
                )
        inspections.append(
            {
                "point_id": point_id,
                "inspector_id": inspectors[int(rng.integers(0, len(inspectors)))],
                "submitted_at": submitted,
                "findings": findings,
                "rows": rows,
                "actions": [
                    _action(row, submitted.date(), today, rng)
                    for row in rows
                    if row["corrective_action"]
                ],
            }
        )
        if len(inspections) < n and len(inspectors) > 1 and rng.random() < SECOND_VISIT_RATE:
            inspections.append(_second_visit(inspections[-1], inspectors, rng))
    return inspections


def _second_visit(first: dict, inspectors: list[int], rng) -> dict:
    """The same site an hour later, by another inspector: each pass/fail finding the same,
    except that one in ten is seen the other way."""
    others = [i for i in inspectors if i != first["inspector_id"]]
    findings, rows = dict(first["findings"]), []
    for row in first["rows"]:
        row = dict(row, corrective_action=None)
        if findings.get(row["item_code"]) is not None and findings[row["item_code"]].result in ("pass", "fail") \
                and rng.random() < DISAGREEMENT_RATE:
            row["result"] = "fail" if row["result"] == "pass" else "pass"
            findings[row["item_code"]] = Finding(row["result"])
        rows.append(row)
    return {"point_id": first["point_id"], "inspector_id": others[int(rng.integers(0, len(others)))],
            "submitted_at": first["submitted_at"] + dt.timedelta(hours=1), "findings": findings, "rows": rows,
            "actions": []}


def _action(row: dict, day: dt.date, today: dt.date, rng) -> dict:
    due = day + dt.timedelta(days=ACTION_DAYS)
    age = (today - due).days
    settled = rng.random()
    if age > 30:
        status = "verified" if settled < 0.75 else "done" if settled < 0.96 else "open"
    else:
        status = "open" if settled < 0.6 else "done" if settled < 0.9 else "verified"
    done = (
        dt.datetime.combine(min(due, today), dt.time(9), tzinfo=dt.timezone.utc)
        if status != "open"
        else None
    )
    return {
        "item_code": row["item_code"],
        "description": row["corrective_action"],
        "status": status,
        "due_on": due,
        "done_at": done,
        "verified_at": done if status == "verified" else None,
    }


def insert_inspections(session, instrument: Instrument, inspections: list[dict]) -> int:
    """Score and bulk-insert generated inspections with their items and actions; the count."""
    version = instrument.latest
    for start in range(0, len(inspections), BATCH):
        chunk = inspections[start : start + BATCH]
        scored = [score_inspection(version.definition, row["findings"]) for row in chunk]
        ids = session.scalars(
            insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True),
            [
                {
                    "client_id": f"demo-{uuid.uuid4()}",
                    "instrument_id": instrument.id,
                    "instrument_version_id": version.id,
                    "service_point_id": row["point_id"],
                    "inspector_id": row["inspector_id"],
                    "status": "submitted",
                    "started_at": row["submitted_at"] - dt.timedelta(minutes=40),
                    "submitted_at": row["submitted_at"],
                    "score_percent": score.percent,
                    "grade": score.grade,
                    "critical_failed": score.critical_failed,
                    "section_scores": score.sections,
                }
                for row, score in zip(chunk, scored)
            ],
        ).all()
        session.execute(
            insert(InspectionItem),
            [
                {**item, "inspection_id": inspection_id}
                for inspection_id, row in zip(ids, chunk)
                for item in row["rows"]
            ],
        )
        actions = [
            {**action, "inspection_id": inspection_id, "created_at": row["submitted_at"]}
            for inspection_id, row in zip(ids, chunk)
            for action in row["actions"]
        ]
        if actions:
            session.execute(insert(CorrectiveAction), actions)
    return len(inspections)


def demo_inspections(
    session, points, codes, n: int, rng: np.random.Generator, today: dt.date,
    where_used=None, inspectors: list[int] | None = None,
) -> list[str]:
    """``n`` inspections for each checklist (only ``codes`` when given), at the demo points
    where each is used (``where_used(code, points)``, by default the plain demo's), by
    ``inspectors`` (by default four inactive demo accounts); commits each checklist and returns
    one line per checklist."""
    from .points import points_for

    points_for = where_used or points_for
    query = select(Instrument).where(Instrument.kind == "checklist").order_by(Instrument.code)
    if codes:
        query = query.where(Instrument.code.in_([c.upper() for c in codes]))
    inspectors = inspectors or demo_inspectors(session)
    lines = []
    for checklist in session.scalars(query).all():
        where = points_for(checklist.code, points)
        insert_inspections(
            session,
            checklist,
            generate_inspections(checklist.latest.definition, where, inspectors, n, rng, today),
        )
        session.commit()
        lines.append(f"{checklist.code}: {n} inspections at {len(where)} sites")
    return lines or ["no checklist matched; `surveyor instruments list` shows the codes"]
