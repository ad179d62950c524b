"""Small data for the export and API tests: only the instruments they use are synced (not all 52),
a few hundred demo responses, and a handful of checklist inspections with every kind of finding."""
from __future__ import annotations

import copy
import datetime as dt
import random
import uuid

import pytest
from sqlalchemy import select

from surveyor.models import Instrument

METRO, STATIONS = "TRN-Q01", "TRN-C01"
SITES = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
         "MET-03,ایستگاه حرم,Haram station,,3,,,TRN-C01\n"
         "MET-08,ایستگاه میدان شهدا,Shohada Square station,,8,,,TRN-C01\n")


@pytest.fixture
def synced(db, instrument_files):
    """The database with the metro questionnaire and the metro station checklist only."""
    from surveyor.instruments.sync import sync_instruments
    chosen = [f for f in instrument_files if f.definition["code"] in (METRO, STATIONS)]
    sync_instruments(db.session, copy.deepcopy(chosen))
    db.session.commit()
    return db


def instrument(db, code: str) -> Instrument:
    db.session.expire_all()
    return db.session.scalar(select(Instrument).where(Instrument.code == code))


@pytest.fixture
def metro_responses(synced, runner):
    """300 generated responses to TRN-Q01 over the last 12 months, in all 13 districts."""
    result = runner.invoke(args=["demo", "--responses", "300", "--instrument", METRO, "--seed", "7"])
    assert result.exit_code == 0, result.output
    return instrument(synced, METRO)


def _finding(item: dict, rng: random.Random) -> dict:
    prefix = f"item-{item['code']}-"
    if item["role"] == "site":
        value = item["options"][0]["value"] if item["type"] == "choice" else rng.randint(2, 9)
        return {prefix + "value": str(value)}
    if item.get("not_applicable", True) and rng.random() < 0.15:
        return {prefix + "result": "na"}
    if item["type"] == "pass_fail":
        return {prefix + "result": rng.choice(["pass", "pass", "pass", "fail"])}
    if item["type"] == "rating4":
        return {prefix + "rating": str(rng.randint(0, 4))}
    bounds = item.get("acceptable") or {}
    centre = bounds.get("min", bounds.get("max", 10))
    return {prefix + "measured": str(round(centre + rng.uniform(-3, 6), 1))}


@pytest.fixture
def station_inspections(synced, make_user, tmp_path):
    """Twelve submitted TRN-C01 inspections at two stations (districts 3 and 8), with passes,
    failures, "not applicable", 0-4 ratings, measurements and site details."""
    from surveyor.inspect.submission import Visit, parse_inspection, record_inspection
    from surveyor.models import ServicePoint
    from surveyor.service_points.importer import import_points

    session = synced.session
    inspector = make_user("reza", "inspector", "a strong pass phrase")
    import_points(session, SITES)
    session.commit()
    checklist = instrument(synced, STATIONS)
    version = checklist.latest
    points = list(session.scalars(select(ServicePoint).where(ServicePoint.code.in_(["MET-03", "MET-08"]))
                                  .order_by(ServicePoint.code)))
    rng = random.Random(11)
    for number in range(12):
        form = {}
        for item in version.definition["items"]:
            form.update(_finding(item, rng))
        parsed = parse_inspection(version.definition, form, {})
        visit = Visit(client_id=str(uuid.uuid4()), version_id=version.id, instrument_id=checklist.id,
                      service_point_id=points[number % 2].id, inspector_id=inspector.id, assignment_id=None,
                      started_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=40),
                      latitude=36.29, longitude=59.61, accuracy_m=8.0)
        record_inspection(session, visit, version.definition, parsed, tmp_path / "photos")
    return instrument(synced, STATIONS)


def add_version(db, code: str, change) -> Instrument:
    """Store a new version of ``code`` whose definition is the latest one changed by ``change(definition)``."""
    from surveyor.instruments import LoadedFile
    from surveyor.instruments.sync import sync_instruments
    definition = copy.deepcopy(instrument(db, code).latest.definition)
    change(definition)
    sync_instruments(db.session, [LoadedFile(f"{code.lower()}-edited.yaml", definition)])
    db.session.commit()
    return instrument(db, code)
