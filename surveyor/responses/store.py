"""Recording a response: checked against its instrument version, stored once per client id, durable."""
from __future__ import annotations

import datetime as dt
import math

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..models import Answer, Response, utcnow

DONT_KNOW = object()  # the answer "don't know / not applicable"


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
        if len(value) > item.get("max_length", 2000):
            raise ValueError(f"at most {item.get('max_length', 2000)} characters")
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


_INSERT_RESPONSE = insert(Response).returning(Response.id)  # built once for the hot path


@dataclass(frozen=True)
class VersionRef:
    """What storing a response needs of its instrument version (an InstrumentVersion also fits)."""

    id: int
    instrument_id: int
    definition: dict


def record_response(session, version: VersionRef, answers: dict, *, client_id: str, channel: str,
                    language: str, service_point_id: int | None = None,
                    started_at: dt.datetime | None = None, link_id: int | None = None,
                    device_hash: str | None = None, quality_flags=(), load: bool = True
                    ) -> tuple[Response | None, bool]:
    """Store a response and all its answers in one committed transaction.

    Returns ``(response, created)``. A second call with the same ``client_id`` (a retry, a
    double click, a resent offline submission) stores nothing and returns the first response,
    so nothing is counted twice: the unique client id decides, even between concurrent
    requests. When this returns, the response is durable. With ``load=False`` the stored
    response is not read back (``None`` is returned in its place), for the submission hot path.
    """
    rows = check_answers(version.definition, answers)
    now = utcnow()
    values = dict(
        client_id=client_id, instrument_id=version.instrument_id, instrument_version_id=version.id,
        service_point_id=service_point_id, channel=channel, language=language, started_at=started_at,
        submitted_at=now, quality_flags=list(quality_flags), is_flagged=bool(quality_flags),
        duration_seconds=int((now - started_at).total_seconds()) if started_at else None,
        link_id=link_id, device_hash=device_hash)
    try:
        # Core statements: one INSERT ... RETURNING for the response, one executemany for its
        # answers, one COMMIT; the ORM's unit of work would only add overhead on this hot path.
        response_id = session.execute(_INSERT_RESPONSE, values).scalar_one()
        if rows:
            session.execute(insert(Answer), [{**row, "response_id": response_id} for row in rows])
        session.commit()
    except IntegrityError:
        # This client id is already stored: a retry, or a concurrent copy of this request.
        session.rollback()
        existing = session.scalar(select(Response).where(Response.client_id == client_id))
        if existing is None:
            raise
        return existing, False
    response = session.get(Response, response_id) if load else None
    return response, True
