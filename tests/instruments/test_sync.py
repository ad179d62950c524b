"""Syncing instrument files into immutable versions."""
from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import select

from surveyor.instruments import load_all
from surveyor.instruments.sync import sync_instruments
from surveyor.models import ImmutableVersionError, Instrument
from surveyor.responses import answers_frame


def edit_exemplar(instruments_dir, change):
    path = instruments_dir / "questionnaires" / "trn-q01.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def headway_label(doc):
    return next(i for i in doc["items"] if i["code"] == "headway")["labels"]


def test_resync_of_an_edited_file_creates_version_2_and_keeps_version_1_answers(
        app, db, runner, instruments_dir, make_response):
    app.config["INSTRUMENTS_DIR"] = str(instruments_dir)
    assert runner.invoke(args=["instruments", "sync"]).exit_code == 0
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    v1 = metro.latest
    old_wording = v1.item("headway")["labels"]["fa"]
    response = make_response(v1, {"overall": 4, "headway": 2, "wait_minutes": 9, "rider_type": "foreign_visitor",
                                  "comment": "قطارها دیر می‌آیند"})

    unchanged = runner.invoke(args=["instruments", "sync"])
    assert "0 with a new version" in unchanged.output

    edit_exemplar(instruments_dir, lambda doc: headway_label(doc).update(fa="فاصله زمانی میان دو قطار"))
    result = runner.invoke(args=["instruments", "sync"])
    assert result.exit_code == 0, result.output
    assert "TRN-Q01: changed, stored as version 2" in result.output

    db.session.expire_all()
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    assert [v.number for v in metro.versions] == [1, 2]
    assert metro.versions[0].item("headway")["labels"]["fa"] == old_wording
    assert metro.versions[1].item("headway")["labels"]["fa"] == "فاصله زمانی میان دو قطار"
    frame = answers_frame(db.session, metro.id)
    row = frame.set_index("_response_id").loc[response.id]
    assert (row["overall"], row["headway"], row["wait_minutes"]) == (4, 2, 9)
    assert row["rider_type"] == "foreign_visitor" and row["comment"] == "قطارها دیر می‌آیند"
    assert row["_instrument_version_id"] == metro.versions[0].id

    listed = json.loads(runner.invoke(args=["instruments", "list", "--json"]).output)
    assert next(r for r in listed if r["code"] == "TRN-Q01")["version"] == 2


def test_sync_refuses_a_broken_folder_and_loads_nothing(app, db, runner, instruments_dir):
    app.config["INSTRUMENTS_DIR"] = str(instruments_dir)
    edit_exemplar(instruments_dir, lambda doc: doc.pop("title"))
    result = runner.invoke(args=["instruments", "sync"])
    assert result.exit_code != 0
    assert "questionnaires/trn-q01.yaml" in result.output and "'title' is required" in result.output
    assert db.session.scalar(select(Instrument)) is None


def test_stored_versions_cannot_be_changed_or_deleted(loaded):
    version = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01")).latest
    version.definition = {**version.definition, "title": {"fa": "تغییر"}}
    with pytest.raises(ImmutableVersionError):
        loaded.session.flush()
    loaded.session.rollback()
    loaded.session.delete(loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01")).latest)
    with pytest.raises(ImmutableVersionError):
        loaded.session.flush()
    loaded.session.rollback()


def test_sync_is_idempotent(db):
    from surveyor.config import PROJECT_ROOT
    first = sync_instruments(db.session, load_all(PROJECT_ROOT))
    db.session.commit()
    second = sync_instruments(db.session, load_all(PROJECT_ROOT))
    assert first.created and not second.created and not second.new_versions
    assert sorted(second.unchanged) == sorted(first.created)
