"""`surveyor responses export`: one row per response, stable columns, Excel-friendly UTF-8."""
from __future__ import annotations

import csv

import yaml
from sqlalchemy import select

from surveyor.models import Instrument
from surveyor.responses import DONT_KNOW


def test_export_csv(app, db, runner, station, make_response, instruments_dir, tmp_path):
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    make_response(metro.latest, {"overall": 5, "headway": DONT_KNOW, "wait_minutes": 7, "gender": "female",
                                 "comment": "خیلی خوب، ممنون"}, language="fa")
    # A second version drops "gender" and adds "station_name": old columns stay, new ones follow.
    path = instruments_dir / "questionnaires" / "trn-q01.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["items"] = [i for i in doc["items"] if i["code"] != "gender"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    app.config["INSTRUMENTS_DIR"] = str(instruments_dir)
    assert runner.invoke(args=["instruments", "sync"]).exit_code == 0
    db.session.expire_all()
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    make_response(metro.latest, {"overall": 2, "recommend": 0}, language="ar")

    out = tmp_path / "metro.csv"
    result = runner.invoke(args=["responses", "export", "trn-q01", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    first_line, *lines = raw.decode("utf-8-sig").splitlines()
    assert first_line == "# Surveyor export of TRN-Q01 (responses); filters: flagged=included"  # every response
    table = list(csv.DictReader(lines))
    assert len(table) == 2
    first, second = table
    header = list(first)
    assert header[:11] == ["response_id", "instrument_version", "service_point", "district", "language", "channel",
                           "submitted_utc", "submitted_jalali", "duration_seconds", "flags", "dont_know_items"]
    assert header.index("gender") < header.index("comment")  # first-seen order is kept
    assert (first["instrument_version"], first["overall"], first["headway"], first["dont_know_items"]) == (
        "1", "5", "", "headway")
    assert first["wait_minutes"] == "7" and first["gender"] == "female" and first["comment"] == "خیلی خوب، ممنون"
    assert (second["instrument_version"], second["language"], second["recommend"], second["gender"]) == (
        "2", "ar", "0", "")
    assert first["submitted_utc"].endswith("Z") and first["submitted_jalali"].startswith("14")


def test_export_refuses_unknown_codes(loaded, runner, tmp_path):
    result = runner.invoke(args=["responses", "export", "XYZ", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "no questionnaire XYZ" in result.output
