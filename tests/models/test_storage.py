"""Storage: idempotent responses, one-query answer loading, UTC timestamps, constraints, migrations."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from surveyor.models import Answer, Base, Instrument, Response, ServicePoint
from surveyor.responses import DONT_KNOW, AnswerError, answers_frame, record_response


@pytest.fixture
def metro(loaded):
    return loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01")).latest


def test_a_retried_submission_is_stored_once(db, metro):
    answers = {"overall": 5, "headway": DONT_KNOW, "recommend": 9}
    first, created = record_response(db.session, metro, answers, client_id="c-1", channel="qr", language="ar")
    again, created_again = record_response(db.session, metro, answers, client_id="c-1", channel="qr", language="ar")
    assert created and not created_again and again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 3
    stored = db.session.get(Answer, (first.id, "headway"))
    assert stored.dont_know and stored.value is None


def test_the_database_itself_refuses_a_second_row_with_the_same_client_id(db, metro):
    record_response(db.session, metro, {"overall": 3}, client_id="same", channel="qr", language="fa")
    db.session.add(Response(client_id="same", instrument_id=metro.instrument_id, instrument_version_id=metro.id,
                            channel="qr", language="fa"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_answers_are_checked_against_the_version(db, metro):
    with pytest.raises(AnswerError) as caught:
        record_response(db.session, metro, {"headway": 7, "rider_type": "tourist", "wait_minutes": 500,
                                            "recommend": DONT_KNOW, "unknown": 1},
                        client_id="bad", channel="qr", language="fa")
    errors = caught.value.errors
    assert set(errors) == {"overall", "headway", "rider_type", "wait_minutes", "recommend", "unknown"}
    assert errors["overall"] == "an answer is required"
    assert "between 0 and 120" in errors["wait_minutes"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_whole_instrument_is_read_for_analysis_in_two_queries(db, metro, make_response):
    """However many responses: one query for the responses, one for all their answers."""
    for value in (1, 2, 3, 4, 5):
        make_response(metro, {"overall": value, "crowding": 6 - value, "gender": "female",
                              "comment": f"نظر {value}"})
    instrument_id = metro.instrument_id
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        frame = answers_frame(db.session, instrument_id)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 2
    assert len(frame) == 5
    assert frame["overall"].tolist() == [1, 2, 3, 4, 5]
    assert frame["crowding"].tolist() == [5, 4, 3, 2, 1]
    assert frame["overall"].dtype.kind == "f" and (frame["gender"] == "female").all()


def test_timestamps_are_stored_in_utc_and_read_back_aware(db):
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    point = ServicePoint(code="P1", name_fa="ایستگاه نمونه", district=3,
                         created_at=dt.datetime(2024, 11, 5, 10, 0, tzinfo=tehran))
    db.session.add(point)
    db.session.commit()
    raw = db.session.execute(text("SELECT created_at FROM service_points")).scalar_one()
    assert str(raw).startswith("2024-11-05 06:30:00")
    db.session.expire_all()
    back = db.session.get(ServicePoint, point.id).created_at
    assert back == dt.datetime(2024, 11, 5, 6, 30, tzinfo=dt.timezone.utc) and back.tzinfo is not None
    with pytest.raises(Exception, match="timezone-aware"):
        db.session.add(ServicePoint(code="P2", name_fa="نمونه", district=1, created_at=dt.datetime(2024, 1, 1)))
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("district", [0, 14])
def test_service_points_belong_to_one_of_13_districts(db, district):
    db.session.add(ServicePoint(code="X", name_fa="نمونه", district=district))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_migrations_build_exactly_the_model(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
