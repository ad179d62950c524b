"""Penetration test finding Low 14 (issue 12), its results parts: snapshots and the respondent filter.

Snapshots, the attack: results snapshots were pickles in ``INSTANCE_PATH/cache/``, a folder the
README suggests sharing between hosts over NFS. Whoever can write a file there (a colleague's
account on another host, a backup restored from elsewhere) plants a pickle under a snapshot's
name, and the next results page unpickles it: code execution on every host that reads it.

The respondent filter, the leak: ``/results/TRN-Q01?respondent=CODE:VALUE`` filtered on any
column of the answers table, not only the respondent items it is meant for, so a researcher
could single out one response (``response_id``), a device's hash or a client id, past the
small-group protection of the results pages.

What Surveyor promises (README, "Pages, headers and imports"): snapshots are data only (numpy
arrays and JSON, read with ``allow_pickle=False``); a pickle in the folder, under any name a
snapshot has or had, is never unpickled, and the page is computed from the database instead.
The respondent filter selects only by the instrument's respondent items; any other code filters
nothing and is not named in exported files.
"""
from __future__ import annotations

import csv
import io
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from surveyor.models import Instrument
from surveyor.responses import answers_frame
from surveyor.responses.columns import RESPONSE_COLUMNS, RESPONSE_ID
from surveyor.results import snapshot
from surveyor.results.cache import ResponseTables
from surveyor.results.data import Filters, load_responses, respondent_codes
from tests.conftest import csrf_token


class Planted:
    """What an attacker pickles: unpickling it creates a file (any command could run instead)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _demo(runner, n: int, seed: int = 7) -> None:
    result = runner.invoke(args=["demo", "--responses", str(n), "--instrument", "TRN-Q01", "--seed", str(seed)])
    assert result.exit_code == 0, result.output


def _metro(session) -> int:
    return session.scalar(select(Instrument.id).where(Instrument.code == "TRN-Q01"))


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(left.sort_index(axis=1).reset_index(drop=True),
                                  right.sort_index(axis=1).reset_index(drop=True), check_dtype=False)


# ---- Snapshots ----

def test_a_snapshot_is_data_only_and_gives_back_the_same_table(loaded, runner, tmp_path):
    _demo(runner, 200)
    session = loaded.session
    tables = ResponseTables(tmp_path, database_key="db")
    assert tables.warm(session, _metro(session)) == 200
    (path,) = tmp_path.glob("responses-*")
    assert path.suffix == ".npz"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():  # every member is a plain .npy array, none of Python objects
            header = archive.read(name)[:200]
            assert header.startswith(b"\x93NUMPY") and b"'descr': '|O'" not in header, name
    with np.load(path, allow_pickle=False) as stored:
        assert {stored[name].dtype.kind for name in stored.files} <= set("biufMmU")
    restarted = ResponseTables(tmp_path, database_key="db")
    _same(restarted.frame(session, _metro(session)), answers_frame(session, _metro(session)))
    assert restarted.reads == {"full": 0, "newer": 0, "snapshot": 1}


def test_cells_of_every_kind_survive_a_snapshot(tmp_path):
    frame = pd.DataFrame({
        "response_id": np.array([1, 2, 3], dtype=np.int64),
        "submitted_at": pd.to_datetime(["2026-01-01 10:00", "2026-02-01 11:30", None]).tz_localize("UTC"),
        "is_flagged": [False, True, False],
        "overall": [4.0, np.nan, 2.5],
        "language": pd.Series(["fa", "ar", None], dtype="str"),
        "comment": pd.Series(["قطارها «شلوغ» است\n", None, float("nan")], dtype=object),
        "mixed": pd.Series([3.0, "dk", None], dtype=object),
    })
    path = tmp_path / "x.npz"
    snapshot.write(path, frame, np.array([1, 2, 3, 4]), "client-4")
    back, ids, last = snapshot.read(path)
    pd.testing.assert_frame_equal(back, frame)
    assert list(ids) == [1, 2, 3, 4] and last == "client-4"
    assert back["comment"][1] is None and np.isnan(back["comment"][2])


@pytest.mark.parametrize("planting", ["pickle-as-snapshot", "old-pickle-name", "object-array-in-npz"])
def test_a_pickle_planted_in_the_snapshot_folder_is_never_unpickled(loaded, runner, tmp_path, planting):
    _demo(runner, 120)
    session = loaded.session
    metro = _metro(session)
    folder, marker = tmp_path / "cache", tmp_path / "code-ran"
    tables = ResponseTables(folder, database_key="db")
    tables.warm(session, metro)
    (path,) = folder.glob("responses-*.npz")
    payload = {"frame": Planted(marker), "ids": Planted(marker), "last_client_id": Planted(marker)}
    if planting == "pickle-as-snapshot":
        path.write_bytes(pickle.dumps(payload))
    elif planting == "old-pickle-name":
        path.unlink()
        path.with_suffix(".pickle").write_bytes(pickle.dumps(payload))
    else:
        with open(path, "wb") as handle:  # a real .npz whose arrays are pickled Python objects
            np.savez(handle, description=np.array([Planted(marker)], dtype=object), ids=np.array([Planted(marker)]))
    assert not marker.exists()
    restarted = ResponseTables(folder, database_key="db")
    _same(restarted.frame(session, metro), answers_frame(session, metro))
    assert not marker.exists(), "the planted pickle ran"
    assert restarted.reads["snapshot"] == 0 and restarted.reads["full"] == 1
    with pytest.raises(ValueError):
        snapshot.read(path if planting != "old-pickle-name" else path.with_suffix(".pickle"))
    assert not marker.exists()


# ---- The respondent filter ----

INTERNAL = (*RESPONSE_COLUMNS,  # the analysis frame's own columns (_response_id, _submitted_at ...)
            "response_id", "instrument_version_id", "service_point_id", "submitted_at", "language", "channel",
            "duration_seconds", "is_flagged", "device_hash", "client_id", "link_id", "quality_flags", "overall")


def test_only_respondent_items_filter(loaded, runner):
    _demo(runner, 200)
    session = loaded.session
    metro = _metro(session)
    assert respondent_codes(session, metro) == {"rider_type", "age_band", "gender", "frequency"}
    everyone, _, _ = load_responses(session, metro, Filters())
    visitors, _, _ = load_responses(session, metro, Filters(respondent=("rider_type", "foreign_visitor")))
    assert 0 < len(visitors) < len(everyone)
    for column in INTERNAL:
        value = str(everyone[column].iloc[0]) if column in everyone else "x"
        frame, _, _ = load_responses(session, metro, Filters(respondent=(column, value)))
        assert len(frame) == len(everyone), column  # filters nothing: no single response singled out


def test_the_page_and_the_export_ignore_an_internal_column(app, loaded, runner, make_user):
    _demo(runner, 200)
    make_user("rana", "researcher", "a strong pass phrase")
    browser = app.test_client()
    browser.post("/login", data={"csrf_token": csrf_token(browser.get("/login").get_data(as_text=True)),
                                 "username": "rana", "password": "a strong pass phrase"})
    first = str(answers_frame(loaded.session, _metro(loaded.session))[RESPONSE_ID].iloc[0])

    def rows(query: str) -> list[list[str]]:
        response = browser.get(f"/results/TRN-Q01/responses.csv?{query}")
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    everyone = rows("")
    for column in ("response_id", RESPONSE_ID):
        singled_out = rows(f"respondent={column}:{first}")
        assert len(singled_out) == len(everyone) > 100
        assert "response_id" not in singled_out[0][0]  # the file's filter line does not name it
    assert len(rows("respondent=rider_type:foreign_visitor")) < len(everyone)
    page = browser.get(f"/results/TRN-Q01?respondent=response_id:{first}")
    assert page.status_code == 200
