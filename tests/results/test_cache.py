"""The cached answers tables: always the same table as a fresh read, read from the database
only as far as needed (new responses, late commits, deletions, snapshots)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, insert, select

from surveyor.models import Answer, Instrument, Response
from surveyor.responses import answers_frame
from surveyor.results import cache as cache_module
from surveyor.results.cache import ResponseTables
from surveyor.results.data import Filters, load_responses


def _demo(runner, n: int, seed: int) -> None:
    result = runner.invoke(args=["demo", "--responses", str(n), "--instrument", "TRN-Q01", "--seed", str(seed)])
    assert result.exit_code == 0, result.output


def _metro(session) -> int:
    return session.scalar(select(Instrument.id).where(Instrument.code == "TRN-Q01"))


def _same(cached: pd.DataFrame, fresh: pd.DataFrame) -> None:
    assert len(cached) == len(fresh) > 0
    pd.testing.assert_frame_equal(cached.sort_index(axis=1).reset_index(drop=True),
                                  fresh.sort_index(axis=1).reset_index(drop=True), check_dtype=False)


def test_new_responses_are_read_on_their_own(loaded, runner):
    session = loaded.session
    _demo(runner, 300, seed=1)
    tables = ResponseTables()
    metro = _metro(session)
    _same(tables.frame(session, metro), answers_frame(session, metro))
    assert tables.reads == {"full": 1, "newer": 0, "snapshot": 0}
    tables.frame(session, metro)
    assert tables.reads == {"full": 1, "newer": 0, "snapshot": 0}, "nothing new: nothing read"

    _demo(runner, 40, seed=2)
    _same(tables.frame(session, metro), answers_frame(session, metro))
    assert tables.reads == {"full": 1, "newer": 1, "snapshot": 0}


def _take_out(session, response_id: int) -> tuple[dict, list[dict]]:
    response = dict(session.execute(select(Response.__table__).where(Response.id == response_id)).mappings().one())
    answers = [dict(row) for row in session.execute(
        select(Answer.__table__).where(Answer.response_id == response_id)).mappings()]
    session.execute(delete(Answer).where(Answer.response_id == response_id))
    session.execute(delete(Response).where(Response.id == response_id))
    session.commit()
    return response, answers


def test_a_response_committed_late_with_a_lower_id_is_not_missed(loaded, runner):
    """On PostgreSQL, a transaction holding id 99 may commit after the one holding id 100."""
    session = loaded.session
    _demo(runner, 200, seed=3)
    metro = _metro(session)
    highest = session.scalar(select(func.max(Response.id)))
    response, answers = _take_out(session, highest - 3)  # not yet committed when the page is read
    tables = ResponseTables()
    assert len(tables.frame(session, metro)) == 199

    session.execute(insert(Response.__table__), [response])
    session.execute(insert(Answer.__table__), answers)
    session.commit()
    _same(tables.frame(session, metro), answers_frame(session, metro))
    assert tables.reads == {"full": 1, "newer": 1, "snapshot": 0}


def test_deleted_responses_make_it_read_everything_again(loaded, runner):
    session = loaded.session
    _demo(runner, 120, seed=4)
    metro = _metro(session)
    tables = ResponseTables()
    tables.frame(session, metro)
    lowest = session.scalar(select(func.min(Response.id)))
    _take_out(session, lowest)
    _same(tables.frame(session, metro), answers_frame(session, metro))
    assert tables.reads["full"] == 2


def test_a_restarted_worker_starts_from_the_snapshot(loaded, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "SNAPSHOT_MIN_RESPONSES", 100)
    session = loaded.session
    _demo(runner, 150, seed=5)
    metro = _metro(session)
    first = ResponseTables(tmp_path, database_key="db-1")
    first.frame(session, metro)
    assert len(list(tmp_path.glob("responses-*.npz"))) == 1

    _demo(runner, 30, seed=6)
    restarted = ResponseTables(tmp_path, database_key="db-1")
    _same(restarted.frame(session, metro), answers_frame(session, metro))
    assert restarted.reads == {"full": 0, "newer": 1, "snapshot": 1}

    elsewhere = ResponseTables(tmp_path, database_key="db-2")  # another database: its own snapshots
    elsewhere.frame(session, metro)
    assert elsewhere.reads == {"full": 1, "newer": 0, "snapshot": 0}


def test_a_snapshot_of_a_database_since_emptied_is_not_used(loaded, runner, tmp_path, monkeypatch):
    """The same address, but the responses are others (the database was created again)."""
    monkeypatch.setattr(cache_module, "SNAPSHOT_MIN_RESPONSES", 100)
    session = loaded.session
    _demo(runner, 150, seed=7)
    metro = _metro(session)
    ResponseTables(tmp_path, database_key="db").frame(session, metro)
    session.execute(delete(Answer))
    session.execute(delete(Response))
    session.commit()
    _demo(runner, 150, seed=8)

    restarted = ResponseTables(tmp_path, database_key="db")
    _same(restarted.frame(session, metro), answers_frame(session, metro))
    assert restarted.reads["snapshot"] == 0 and restarted.reads["full"] == 1


@pytest.mark.parametrize("filters", [Filters(), Filters(district=3, language="fa", include_flagged=True),
                                     Filters(respondent=("rider_type", "resident"))])
def test_filtering_the_cached_table_gives_what_a_fresh_read_gives(loaded, runner, filters):
    session = loaded.session
    _demo(runner, 400, seed=9)
    metro = _metro(session)
    tables = ResponseTables()
    cached, cached_districts, cached_flagged = load_responses(session, metro, filters, tables=tables)
    fresh, fresh_districts, fresh_flagged = load_responses(session, metro, filters)
    _same(cached, fresh)
    assert list(cached_districts) == list(fresh_districts) and cached_flagged == fresh_flagged


def test_warm_command_snapshots_every_questionnaire_it_is_given(app, loaded, runner):
    _demo(runner, 60, seed=10)  # far below the size at which pages write snapshots themselves
    result = runner.invoke(args=["results", "warm", "TRN-Q01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("TRN-Q01: 60 responses")
    folder = Path(app.instance_path) / "cache"
    assert len(list(folder.glob("responses-*.npz"))) == 1
    restarted = ResponseTables(folder, database_key=app.config["SQLALCHEMY_DATABASE_URI"])
    _same(restarted.frame(loaded.session, _metro(loaded.session)), answers_frame(loaded.session, _metro(loaded.session)))
    assert restarted.reads == {"full": 0, "newer": 0, "snapshot": 1}

    unknown = runner.invoke(args=["results", "warm", "NOPE-Q99"])
    assert unknown.exit_code == 2 and "no questionnaire NOPE-Q99" in unknown.output
