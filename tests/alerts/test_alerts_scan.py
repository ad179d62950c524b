"""``surveyor alerts scan`` on real database rows: a drop in satisfaction at one metro station,
a station that went silent while its survey is open (a torn poster), a day of flagged answers,
and a second scan that creates nothing new."""
from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest
from sqlalchemy import func, select

from surveyor.alerts.scan import _scale_items, scan
from surveyor.models import Alert, Answer, Instrument, Response, ServicePoint
from surveyor.service_points.importer import import_points
from surveyor.service_points.windows import set_window

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)
POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-10,ایستگاه الف,Station A,محطة أ,1,36.28,59.61,TRN-Q01\n"
          "MET-11,ایستگاه ب,Station B,محطة ب,2,36.29,59.62,TRN-Q01\n"
          "MET-12,ایستگاه پ,Station C,محطة ج,3,36.30,59.63,TRN-Q01\n"
          "MET-13,ایستگاه ت,Station D,محطة د,4,36.31,59.64,TRN-Q01\n")
OUTCOME_SHARES = np.array([0.05, 0.08, 0.17, 0.35, 0.35])  # 1-5
RECOMMEND_SHARES = np.array([0.03] * 5 + [0.05, 0.07, 0.1, 0.15, 0.25, 0.23])  # 0-10, sums to 0.95+...


def draw(rng, shares, size, drop=0.0, low=1):
    shares = shares / shares.sum()
    values = low + np.searchsorted(np.cumsum(shares), rng.random(size), side="right").clip(0, len(shares) - 1)
    if drop:
        down = rng.random(size) < drop / (1 - shares[0])
        values = np.where(down & (values > low), values - 1, values)
    return values


@pytest.fixture
def metro(loaded):
    session = loaded.session
    import_points(session, POINTS)
    instrument = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    set_window(session, instrument.id, True)
    session.commit()
    points = {p.code: p.id for p in session.scalars(select(ServicePoint))}
    return session, instrument, points


def add_responses(session, instrument, point_id, start, end, per_day, rng, *, drop=0.0, flagged_share=0.02,
                  extra_flagged: dict | None = None):
    """Responses at ``per_day`` a day (evenly spread, jittered) from ``start`` to ``end``, with
    the outcome ``drop`` points lower; ``extra_flagged``: day -> flagged answers added that day."""
    items = _scale_items(instrument)
    outcome, recommend = items["outcome"][0], items["recommend"][0]
    version_id = instrument.latest.id
    days = (end - start).total_seconds() / 86400
    count = int(days * per_day)
    times = [start + dt.timedelta(days=float(t)) for t in np.sort(rng.uniform(0, days, count))]
    outcomes = draw(rng, OUTCOME_SHARES, count, drop)
    recommends = draw(rng, RECOMMEND_SHARES, count, low=0)
    flags = rng.random(count) < flagged_share
    for day, extra in (extra_flagged or {}).items():
        times += [day + dt.timedelta(minutes=5 * i) for i in range(extra)]
        outcomes = np.append(outcomes, [5] * extra)
        recommends = np.append(recommends, [10] * extra)
        flags = np.append(flags, [True] * extra)
    for at, o, r, f in zip(times, outcomes, recommends, flags):
        session.add(Response(client_id=str(uuid.uuid4()), instrument_id=instrument.id, instrument_version_id=version_id,
                             service_point_id=point_id, channel="qr", language="fa", submitted_at=at,
                             quality_flags=["link_burst"] if f else [], is_flagged=bool(f),
                             answers=[Answer(item_code=outcome, value_number=float(o)),
                                      Answer(item_code=recommend, value_number=float(r))]))
    session.flush()


def alerts_by(session):
    return {(a.kind, a.service_point_id) for a in session.scalars(select(Alert))}


def test_a_drop_a_silence_and_a_burst_are_found_and_a_second_scan_creates_nothing(metro):
    session, instrument, points = metro
    rng = np.random.default_rng(1208)
    year_ago = NOW - dt.timedelta(days=330)
    drop_start = NOW - dt.timedelta(days=60)
    # A: 4 a day, the outcome 0.6 points lower for the last 60 days
    add_responses(session, instrument, points["MET-10"], year_ago, drop_start, 4, rng)
    add_responses(session, instrument, points["MET-10"], drop_start, NOW, 4, rng, drop=0.6)
    # B: 4 a day, in control, with 40 flagged answers on one day ten days ago
    burst_day = (NOW - dt.timedelta(days=10)).replace(hour=8)
    add_responses(session, instrument, points["MET-11"], year_ago, NOW, 4, rng, extra_flagged={burst_day: 40})
    # C: 4 a day until twelve days ago, then nothing (the survey is still open there)
    add_responses(session, instrument, points["MET-12"], year_ago, NOW - dt.timedelta(days=12), 4, rng)
    # D: the same silence, but collection at D was closed: not a torn poster
    add_responses(session, instrument, points["MET-13"], year_ago, NOW - dt.timedelta(days=12), 4, rng)
    set_window(session, instrument.id, False, points["MET-13"])
    session.commit()

    result = scan(session, NOW)
    session.commit()
    found = alerts_by(session)
    assert ("outcome_drop", points["MET-10"]) in found
    assert ("silence", points["MET-12"]) in found
    assert ("flagged_burst", points["MET-11"]) in found
    assert {alert for alert in found if alert[0] in ("silence", "flagged_burst")} == \
        {("silence", points["MET-12"]), ("flagged_burst", points["MET-11"])}, \
        "no silence where collection is closed (D) or answers still come (A, B); no burst without flags"
    # A drop alert elsewhere would be a false alarm, which the design allows at one a year per
    # point and score (here about 300 answers watched at 1,460 a year: 15-20% each, measured
    # in tests/stats/test_stats_early_warning.py), so the test does not forbid them.
    assert result.pairs == 4

    drop = session.scalar(select(Alert).where(Alert.kind == "outcome_drop"))
    assert drop_start < drop.detected_at <= NOW
    assert drop.period_start >= drop_start - dt.timedelta(days=7)  # where the CUSUM says it began
    assert drop.observed < drop.baseline - 0.3 and drop.statistic > drop.threshold
    assert drop.status == "open" and drop.details["baseline_n"] >= 30

    silent = session.scalar(select(Alert).where(Alert.kind == "silence"))
    assert silent.statistic == pytest.approx(12, abs=0.5)  # days without an answer
    assert silent.threshold < 12 and silent.detected_at < NOW

    burst = session.scalar(select(Alert).where(Alert.kind == "flagged_burst"))
    assert burst.period_start.date() == burst_day.date() and burst.statistic >= 40

    # the same data scanned again, now and the next hour: nothing new
    count = session.scalar(select(func.count()).select_from(Alert))
    assert sum(scan(session, NOW).created.values()) == 0
    assert sum(scan(session, NOW + dt.timedelta(hours=1)).created.values()) == 0
    session.commit()
    assert session.scalar(select(func.count()).select_from(Alert)) == count


def test_the_command_is_idempotent(metro, runner):
    session, instrument, points = metro
    rng = np.random.default_rng(3)
    add_responses(session, instrument, points["MET-12"], NOW - dt.timedelta(days=200), NOW - dt.timedelta(days=9),
                  3, rng)
    session.commit()
    first = runner.invoke(args=["alerts", "scan", "--now", "2026-11-30T12:00"])
    assert first.exit_code == 0, first.output
    assert "silence 1" in first.output  # (a chance drop in this sample's recommend score may join it)
    stored = session.scalar(select(func.count()).select_from(Alert))
    assert f"{stored} new alert(s)" in first.output
    second = runner.invoke(args=["alerts", "scan", "--now", "2026-11-30T12:00"])
    assert second.exit_code == 0 and "0 new alert(s)" in second.output
    assert session.scalar(select(func.count()).select_from(Alert)) == stored


def test_a_clumsy_time_is_refused_with_a_message(runner, db):
    result = runner.invoke(args=["alerts", "scan", "--now", "yesterday"])
    assert result.exit_code == 2
    assert "2026-11-30T18:00" in result.output and "Traceback" not in result.output


def test_an_empty_database_scans_without_alerts(runner, loaded):
    result = runner.invoke(args=["alerts", "scan"])
    assert result.exit_code == 0 and "0 new alert(s)" in result.output


def test_the_database_refuses_a_second_alert_with_the_same_key(metro):
    session, instrument, points = metro
    from sqlalchemy.exc import IntegrityError

    def alert():
        return Alert(key="silence:1:1:x", kind="silence", service_point_id=points["MET-10"],
                     instrument_id=instrument.id, detected_at=NOW)
    session.add(alert())
    session.commit()
    session.add(alert())
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_service_time_above_the_card_standard(loaded, make_user):
    """CIV-Q06 states a standard of 15 minutes, measured by CIV-C06.queue_wait: an inspection
    that measured 22 minutes raises one alert (once, however often the scan runs); 12 minutes,
    a draft, or an inspection older than 30 days raise none."""
    from surveyor.models import Inspection, InspectionItem

    session = loaded.session
    import_points(session, "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
                           "CIV-01,دفتر خدمات ۱,Office 1,مكتب ١,5,36.3,59.6,CIV-C06\n")
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == "CIV-01"))
    checklist = session.scalar(select(Instrument).where(Instrument.code == "CIV-C06"))
    questionnaire = session.scalar(select(Instrument).where(Instrument.code == "CIV-Q06"))
    assert questionnaire.latest.definition["service_standard"]["minutes"] == 15
    inspector = make_user("reza", "inspector")

    def inspect(minutes, days_ago, status="submitted"):
        at = NOW - dt.timedelta(days=days_ago)
        inspection = Inspection(client_id=str(uuid.uuid4()), instrument_id=checklist.id,
                                instrument_version_id=checklist.latest.id, service_point_id=point.id,
                                inspector_id=inspector.id, status=status, started_at=at, submitted_at=at,
                                items=[InspectionItem(item_code="queue_wait", measured=minutes)])
        session.add(inspection)
        session.flush()
        return inspection.id

    slow = inspect(22, 3)
    inspect(12, 2)
    inspect(40, 1, status="draft")
    inspect(50, 45)
    session.commit()
    result = scan(session, NOW)
    session.commit()
    found = list(session.scalars(select(Alert).where(Alert.kind == "service_time")))
    assert [(a.details["inspection_id"], a.statistic, a.threshold, a.instrument_id) for a in found] == \
        [(slow, 22.0, 15.0, checklist.id)]
    assert "CIV-Q06" in found[0].details["questionnaires"] and result.created["service_time"] == 1
    assert sum(scan(session, NOW).created.values()) == 0


def test_a_point_without_its_own_history_is_not_called_dropped(metro):
    """A point with 20 answers in its year before the watched weeks is not compared with the other
    points (a level is not a drop), however low it scores; the busy point beside it is watched."""
    session, instrument, points = metro
    rng = np.random.default_rng(4)
    add_responses(session, instrument, points["MET-10"], NOW - dt.timedelta(days=300), NOW, 4, rng)
    add_responses(session, instrument, points["MET-11"], NOW - dt.timedelta(days=100), NOW, 2, rng, drop=1.5)
    session.commit()
    result = scan(session, NOW)
    assert not list(session.scalars(select(Alert).where(Alert.service_point_id == points["MET-11"],
                                                        Alert.kind.in_(["outcome_drop", "recommend_drop"]))))
    assert (points["MET-11"], instrument.id, "outcome_drop: too little history") in result.skipped
    assert not [s for s in result.skipped if s[0] == points["MET-10"]]
