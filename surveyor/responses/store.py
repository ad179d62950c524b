"""Recording a response: checked against its instrument version, stored once per client id, durable."""
from __future__ import annotations

import datetime as dt
import math

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from sqlalchemy import JSON, Connection, bindparam, column, exists, func, insert, select, true
from sqlalchemy.exc import IntegrityError

from ..models import Answer, Response, utcnow

DONT_KNOW = object()  # the answer "don't know / not applicable"

TEXT_MAX_LENGTH = 1000  # characters of a text answer, unless its item says otherwise


class AnswerError(ValueError):
    """Answers that do not fit the instrument version; ``errors`` maps item codes to reasons."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{code}: {reason}" for code, reason in errors.items()))


def _answer_row(item: dict, value) -> dict:
    """The stored form of one answer, or ValueError with the reason it does not fit the item."""
    if value is DONT_KNOW:
        if not item.get("dont_know"):
            raise ValueError("this question has no 'don't know' option")
        return {"dont_know": True}
    kind = item["type"]
    if kind in ("rating", "choice"):
        allowed = {option["value"] for option in item["options"]}
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of the options")
        return {"value_number": float(value)} if isinstance(value, int) else {"value_text": value}
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError("a number is expected")
        if ("min" in item and value < item["min"]) or ("max" in item and value > item["max"]):
            raise ValueError(f"the number must be between {item.get('min')} and {item.get('max')}")
        return {"value_number": float(value)}
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("text is expected")
        if len(value) > item.get("max_length", TEXT_MAX_LENGTH):
            raise ValueError(f"at most {item.get('max_length', TEXT_MAX_LENGTH)} characters")
        return {"value_text": value}
    raise ValueError(f"items of type {kind} are not answered in questionnaires")


def check_answers(definition: dict, answers: dict) -> list[dict]:
    """Answer rows for ``answers`` (item code -> value); AnswerError lists every problem."""
    items = {item["code"]: item for item in definition["items"]}
    errors, rows = {}, []
    for code, value in answers.items():
        if code not in items:
            errors[code] = "no such question in this version"
            continue
        if value is None or value == "":
            continue
        try:
            rows.append({"item_code": code, "value_number": None, "value_text": None, "dont_know": False,
                         **_answer_row(items[code], value)})
        except ValueError as exc:
            errors[code] = str(exc)
    answered = {row["item_code"] for row in rows}
    for code, item in items.items():
        if item.get("required") and code not in answered and code not in errors:
            errors[code] = "an answer is required"
    if errors:
        raise AnswerError(errors)
    return rows


# Built once for the hot path, on the tables rather than the mapped classes: an INSERT of a
# mapped class goes through the ORM's bulk machinery, which costs more than the INSERT itself.
_INSERT_RESPONSE = insert(Response.__table__).returning(Response.__table__.c.id)
_INSERT_ANSWERS = insert(Answer.__table__)
_STORED = select(exists().where(Response.__table__.c.client_id == bindparam("client_id")))
_ANSWER_COLUMNS = ("item_code", "value_number", "value_text", "dont_know")


@cache
def _insert_in_one_statement():
    """PostgreSQL: the response and its answers in one INSERT (the answers as one JSON array),
    so that storing is one round trip and, on its own, one atomic transaction:

        WITH new_response AS (INSERT INTO responses ... RETURNING id),
             new_answers AS (INSERT INTO answers SELECT new_response.id, a.* FROM new_response
                             JOIN json_to_recordset(:answers) AS a(item_code varchar, ...) ON true)
        SELECT id FROM new_response
    """
    responses, answers = Response.__table__, Answer.__table__
    new = (insert(responses)
           .values({col.name: bindparam(col.name, type_=col.type) for col in responses.c if not col.primary_key})
           .returning(responses.c.id).cte("new_response"))
    given = (func.json_to_recordset(bindparam("answers", type_=JSON))
             .table_valued(*(column(name, answers.c[name].type) for name in _ANSWER_COLUMNS))
             .render_derived(with_types=True))
    new_answers = insert(answers).from_select(
        ["response_id", *_ANSWER_COLUMNS],
        select(new.c.id, *(given.c[name] for name in _ANSWER_COLUMNS)).select_from(new.join(given, true())))
    return select(new.c.id).add_cte(new_answers.cte("new_answers"))


def _insert(connection, values: dict, rows: list[dict]) -> int:
    """Insert a response and its answers; the response's id. Not committed."""
    if connection.dialect.name == "postgresql":
        return connection.execute(_insert_in_one_statement(), {**values, "answers": rows}).scalar_one()
    response_id = connection.execute(_INSERT_RESPONSE, values).scalar_one()
    if rows:
        connection.execute(_INSERT_ANSWERS, [{**row, "response_id": response_id} for row in rows])
    return response_id


@contextmanager
def submission_connection(engine):
    """A connection for reading what a submission needs and then storing it with
    :func:`store_response`. On PostgreSQL, where storing is a single statement (atomic and, once
    it returns, durable on its own), the connection autocommits: no BEGIN and COMMIT round trips
    around the lookup and the insert. Elsewhere it is an ordinary connection."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


@dataclass(frozen=True)
class VersionRef:
    """What storing a response needs of its instrument version (an InstrumentVersion also fits)."""

    id: int
    instrument_id: int
    definition: dict


def store_response(db, version: VersionRef, answers: dict, *, client_id: str, channel: str, language: str,
                   service_point_id: int | None = None, started_at: dt.datetime | None = None,
                   link_id: int | None = None, device_hash: str | None = None, quality_flags=()) -> int | None:
    """Store a response and all its answers in one committed transaction; the new response's id.

    ``db`` is a Session or a Core Connection (the survey submission uses one connection for
    everything it reads and writes). Core statements, no ORM objects: on
    PostgreSQL one INSERT for the response and its answers, elsewhere an INSERT ... RETURNING
    and an executemany; then COMMIT. When this returns the response is durable. Returns None,
    storing nothing, when a response with this ``client_id`` is already stored (a retry, a
    double click, a resent offline submission): the unique client id decides, even between
    concurrent requests, so nothing is counted twice.
    """
    rows = check_answers(version.definition, answers)
    now = utcnow()
    values = dict(
        client_id=client_id, instrument_id=version.instrument_id, instrument_version_id=version.id,
        service_point_id=service_point_id, channel=channel, language=language, started_at=started_at,
        submitted_at=now, quality_flags=list(quality_flags), is_flagged=bool(quality_flags),
        duration_seconds=int((now - started_at).total_seconds()) if started_at else None,
        link_id=link_id, device_hash=device_hash)
    connection = db if isinstance(db, Connection) else db.connection()  # a session's own connection
    try:
        response_id = _insert(connection, values, rows)
        db.commit()
    except IntegrityError:
        # This client id is already stored: a retry, or a concurrent copy of this request.
        db.rollback()
        if not db.execute(_STORED, {"client_id": client_id}).scalar():
            raise
        return None
    return response_id


def record_response(session, version: VersionRef, answers: dict, **fields) -> tuple[Response, bool]:
    """:func:`store_response` through the ORM session, returning ``(response, created)``.

    A second call with the same ``client_id`` stores nothing and returns the first response."""
    response_id = store_response(session, version, answers, **fields)
    if response_id is None:
        return session.scalar(select(Response).where(Response.client_id == fields["client_id"])), False
    return session.get(Response, response_id), True
