"""``surveyor alerts scan``: run the early-warning detectors of :mod:`surveyor.stats.early_warning`
over every (service point, questionnaire) that received answers in the last year and store what
they find as :class:`~surveyor.models.Alert` rows; and the inspections of the last 30 days that
measured a waiting or service time above the service card's standard (a questionnaire's
``service_standard``, measured by the checklist item it names).

The scan is idempotent. Every alert's key names the detector, the point, the instrument and the
time in the data it rests on (the response that crossed the CUSUM threshold, the last answer
before a silence, the day of a burst), never the time of the scan, so scanning the same data
again finds every key and creates nothing. A drop's CUSUM starts again after the point's last
alert of that kind (as the chart restarts after an alarm), and while that alert is open or
acknowledged no second one of the kind is raised at the point: a drop that lasts is one alert
until somebody closes it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import and_, func, select

from ..models import Alert, Answer, Inspection, InspectionItem, Instrument, Response, utcnow

WATCH_DAYS = 90  # a drop is looked for in the last 90 days (or since the last alert)
BASELINE_DAYS = 365  # against the year before
BURST_DAYS = 30  # bursts of flagged answers in the last 30 days
SERVICE_TIME_DAYS = 30  # inspections' measured times in the last 30 days
MIN_BASELINE = 30  # answers of the point's own a baseline needs; a point with fewer is not watched yet
MIN_RATE = 12.0  # responses a year assumed at least, so that a new point's threshold is not tiny
MIN_FOR_SILENCE = 20  # answers in the last year before a point's silence means anything
DROP_KINDS = {"outcome": "outcome_drop", "recommend": "recommend_drop"}
UNCLOSED = ("open", "acknowledged")


@dataclass
class ScanResult:
    created: Counter = field(default_factory=Counter)  # kind -> alerts created
    pairs: int = 0  # (point, instrument) pairs scanned
    skipped: list = field(default_factory=list)  # (point id, instrument id, reason)


def _key(kind: str, point_id: int, instrument_id: int, at: dt.datetime | dt.date) -> str:
    return f"{kind}:{point_id}:{instrument_id}:{at.isoformat()}"


def _aware(value) -> dt.datetime:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime()


def _scale_items(instrument: Instrument) -> dict[str, tuple[str, float]]:
    """role -> (item code, drop to detect in points): 0.3 on a 1-5 scale, the same share of the
    range on others (0.75 on 0-10)."""
    from ..stats.early_warning import DROP_SHIFT

    found = {}
    for item in instrument.latest.definition["items"]:
        if item.get("role") in DROP_KINDS and item.get("options"):
            values = [float(o["value"]) for o in item["options"]]
            found[item["role"]] = (item["code"], DROP_SHIFT * (max(values) - min(values)) / 4)
    return found


def _answers(session, instrument_id: int, codes: list[str], since: dt.datetime, now: dt.datetime,
             point_id: int | None) -> pd.DataFrame:
    """One row per response: ``at``, ``point``, ``flagged`` and a column per item code."""
    query = (select(Response.id, Response.submitted_at, Response.service_point_id, Response.is_flagged,
                    Answer.item_code, Answer.value_number)
             .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.item_code.in_(codes),
                                     Answer.dont_know.is_(False)))
             .where(Response.instrument_id == instrument_id, Response.submitted_at >= since,
                    Response.submitted_at <= now, Response.service_point_id.is_not(None)))
    if point_id is not None:
        query = query.where(Response.service_point_id == point_id)
    rows = pd.DataFrame(session.execute(query).all(),
                        columns=["id", "at", "point", "flagged", "code", "value"])
    if rows.empty:
        return pd.DataFrame(columns=["at", "point", "flagged", *codes])
    wide = rows.drop_duplicates("id")[["id", "at", "point", "flagged"]].reset_index(drop=True)
    for code in codes:
        values = rows[rows["code"] == code].drop_duplicates("id").set_index("id")["value"]
        wide[code] = wide["id"].map(values).astype(float)
    wide["at"] = pd.to_datetime(wide["at"], utc=True)
    wide["flagged"] = wide["flagged"].astype(bool)
    return wide[["at", "point", "flagged", *codes]].sort_values("at", kind="stable").reset_index(drop=True)


class _Scanner:
    def __init__(self, session, now: dt.datetime):
        self.session = session
        self.now = now
        self.result = ScanResult()
        self.keys = set(session.scalars(select(Alert.key)))
        self.unclosed = set(session.execute(select(Alert.kind, Alert.service_point_id, Alert.instrument_id)
                                            .where(Alert.status.in_(UNCLOSED))).all())
        self.last = {(kind, point, instrument): at for kind, point, instrument, at in session.execute(
            select(Alert.kind, Alert.service_point_id, Alert.instrument_id, func.max(Alert.detected_at))
            .group_by(Alert.kind, Alert.service_point_id, Alert.instrument_id)).all()}

    def add(self, alert: Alert) -> None:
        if alert.key in self.keys:
            return
        self.keys.add(alert.key)
        self.unclosed.add((alert.kind, alert.service_point_id, alert.instrument_id))
        self.session.add(alert)
        self.result.created[alert.kind] += 1

    def instrument(self, instrument: Instrument) -> None:
        items = _scale_items(instrument)
        codes = [code for code, _ in items.values()]
        horizon = self.now - dt.timedelta(days=BASELINE_DAYS + WATCH_DAYS)
        everything = _answers(self.session, instrument.id, codes, horizon, self.now, None)
        if everything.empty:
            return
        for point_id, rows in everything.groupby("point", sort=True):
            self.result.pairs += 1
            point_id = int(point_id)
            for role, (code, shift) in items.items():
                self.drop(instrument, point_id, DROP_KINDS[role], code, shift, rows)
            self.silence(instrument, point_id, rows)
            self.bursts(instrument, point_id, rows, everything)

    def _rate(self, rows: pd.DataFrame, since: pd.Timestamp) -> float:
        """The point's responses a year since ``since`` (counted from its first answer then)."""
        recent = rows.loc[rows["at"] >= since, "at"]
        if recent.empty:
            return MIN_RATE
        days = max((pd.Timestamp(self.now) - recent.min()).total_seconds() / 86400, 7.0)
        return max(len(recent) / days * 365.25, MIN_RATE)

    def drop(self, instrument, point_id, kind, code, shift, rows) -> None:
        from ..stats import cusum_drop

        pair = (kind, point_id, instrument.id)
        if pair in self.unclosed:
            return
        now = pd.Timestamp(self.now)
        start = now - pd.Timedelta(days=WATCH_DAYS)
        if pair in self.last:
            start = max(start, pd.Timestamp(self.last[pair]))
        base_from = start - pd.Timedelta(days=BASELINE_DAYS)
        clean = rows[~rows["flagged"]]
        # The point's own history only: the questionnaire's mean at all points would call a point
        # that has always been below the average "dropped" (a level, not a change).
        baseline = clean.loc[(clean["at"] >= base_from) & (clean["at"] < start), code].dropna()
        if len(baseline) < MIN_BASELINE or not baseline.std() > 0:
            self.result.skipped.append((point_id, instrument.id, f"{kind}: too little history"))
            return
        watched = clean.loc[clean["at"] > start, ["at", code]]
        if watched.empty:
            return
        rate = self._rate(rows, base_from)
        watch = cusum_drop(watched, time="at", value=code, baseline_mean=float(baseline.mean()),
                           baseline_sd=float(baseline.std()), responses_per_year=rate, shift=shift,
                           baseline_n=len(baseline))
        if watch.alarms.empty:
            return
        alarm = watch.alarms.iloc[0]
        detected = _aware(alarm["detected_at"])
        self.add(Alert(key=_key(kind, point_id, instrument.id, detected), kind=kind, service_point_id=point_id,
                       instrument_id=instrument.id, detected_at=detected, period_start=_aware(alarm["since"]),
                       period_end=detected, statistic=float(alarm["statistic"]), threshold=watch.threshold,
                       baseline=float(baseline.mean()), observed=float(alarm["mean"]),
                       responses=int(alarm["responses"]),
                       details={"item": code, "baseline_sd": float(baseline.std()), "baseline_n": int(len(baseline)),
                                "reference": watch.reference, "shift": shift,
                                "responses_per_year": rate}))

    def silence(self, instrument, point_id, rows) -> None:
        from ..service_points.windows import collecting
        from ..stats import silence

        year = rows.loc[rows["at"] >= pd.Timestamp(self.now) - pd.Timedelta(days=BASELINE_DAYS), "at"]
        if len(year) < MIN_FOR_SILENCE or not collecting(self.session, instrument.id, point_id, self.now.date()):
            return
        rate = self._rate(rows, pd.Timestamp(self.now) - pd.Timedelta(days=BASELINE_DAYS))
        quiet = silence(year, now=self.now, responses_per_year=rate)
        if not quiet.silent:
            return
        last = _aware(quiet.last)
        detected = last + dt.timedelta(days=quiet.threshold_days)
        self.add(Alert(key=_key("silence", point_id, instrument.id, last), kind="silence", service_point_id=point_id,
                       instrument_id=instrument.id, detected_at=detected, period_start=last, period_end=self.now,
                       statistic=quiet.days, threshold=quiet.threshold_days, responses=int(len(year)),
                       details={"responses_per_year": rate}))

    def bursts(self, instrument, point_id, rows, everything) -> None:
        from ..stats import flagged_bursts

        now = pd.Timestamp(self.now)
        start = now - pd.Timedelta(days=BURST_DAYS)
        history = everything[(everything["at"] < start)
                             & (everything["at"] >= start - pd.Timedelta(days=BASELINE_DAYS))]
        share = float(history["flagged"].mean()) if len(history) else 0.0
        found = flagged_bursts(rows[rows["at"] >= start], time="at", flagged="flagged", baseline_share=min(share, 0.5))
        for day in found.itertuples():
            start_of_day = _aware(day.day)
            end = min(start_of_day + dt.timedelta(days=1), self.now)
            self.add(Alert(key=_key("flagged_burst", point_id, instrument.id, start_of_day.date()),
                           kind="flagged_burst", service_point_id=point_id, instrument_id=instrument.id,
                           detected_at=end, period_start=start_of_day, period_end=end,
                           statistic=float(day.flagged), threshold=float(day.expected), baseline=share,
                           observed=day.flagged / day.n, responses=int(day.n),
                           details={"p_value": float(day.p_value)}))


def _service_standards(session) -> dict[tuple[str, str], tuple[float, list[str]]]:
    """(checklist code, item code) -> (the service card's standard in minutes, the questionnaires
    that state it), from the questionnaires' ``service_standard.measured_by``; where two
    questionnaires state different minutes for one measurement, the stricter counts."""
    standards: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for instrument in session.scalars(select(Instrument).where(Instrument.kind == "questionnaire")):
        if not instrument.versions:
            continue
        standard = instrument.latest.definition.get("service_standard") or {}
        checklist, _dot, item = (standard.get("measured_by") or "").partition(".")
        if checklist and item and standard.get("minutes") is not None:
            minutes, codes = standards.get((checklist, item), (float("inf"), []))
            standards[(checklist, item)] = (min(minutes, float(standard["minutes"])), [*codes, instrument.code])
    return standards


def _service_times(scanner: "_Scanner") -> None:
    """One alert per submitted inspection of the last 30 days that measured a time above its
    standard: the measurement is the inspector's own, so one is enough."""
    session, now = scanner.session, scanner.now
    for (checklist_code, item), (minutes, questionnaires) in sorted(_service_standards(session).items()):
        rows = session.execute(
            select(Inspection.id, Inspection.service_point_id, Inspection.instrument_id, Inspection.submitted_at,
                   InspectionItem.measured)
            .join(InspectionItem, InspectionItem.inspection_id == Inspection.id)
            .join(Instrument, Instrument.id == Inspection.instrument_id)
            .where(Instrument.code == checklist_code, InspectionItem.item_code == item,
                   Inspection.status == "submitted", InspectionItem.measured > minutes,
                   Inspection.submitted_at >= now - dt.timedelta(days=SERVICE_TIME_DAYS),
                   Inspection.submitted_at <= now))
        for inspection_id, point_id, checklist_id, submitted_at, measured in rows:
            scanner.add(Alert(key=f"service_time:{point_id}:{checklist_id}:{item}:{inspection_id}", kind="service_time",
                              service_point_id=point_id, instrument_id=checklist_id, detected_at=submitted_at,
                              period_start=submitted_at, period_end=submitted_at, statistic=float(measured),
                              threshold=minutes, observed=float(measured), responses=1,
                              details={"inspection_id": inspection_id, "item": item,
                                       "questionnaires": questionnaires}))


def scan(session, now: dt.datetime | None = None) -> ScanResult:
    """Run every detector over every questionnaire's points at ``now`` (default: the current
    time) and add the new alerts to ``session`` (the caller commits)."""
    now = now or utcnow()
    scanner = _Scanner(session, now)
    for instrument in session.scalars(select(Instrument).where(Instrument.kind == "questionnaire")
                                      .order_by(Instrument.code)):
        if instrument.versions:
            scanner.instrument(instrument)
    _service_times(scanner)
    session.flush()
    return scanner.result
