"""The API's routes: parse the query, call the function that does the work, answer JSON."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Instrument
from . import bp
from .tokens import token_required

OPENAPI_FILE = Path(__file__).with_name("openapi.json")


def _error(status: int, message: str):
    return jsonify(error={"status": status, "message": message}), status


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return jsonify(openapi_document())


@bp.get("/instruments")
@token_required
def instruments():
    query = select(Instrument).options(selectinload(Instrument.versions)).order_by(Instrument.code)
    listed = [{"code": i.code, "kind": i.kind, "domain": i.domain, "title": i.latest.definition.get("title", {}),
               "languages": i.latest.definition.get("languages", []), "latest_version": i.latest.number}
              for i in db.session.scalars(query) if i.versions]
    return jsonify(instruments=listed)


@bp.get("/indicators")
@token_required
def indicators_view():
    from .indicators import indicators, parse_period  # pandas: not for the app's other pages

    code = (request.args.get("instrument") or "").strip().upper()
    if not code:
        return _error(400, "give the instrument code, e.g. ?instrument=TRN-Q01 (see /api/v1/instruments)")
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
    if instrument is None or not instrument.versions:
        return _error(404, f"no instrument {code}; see /api/v1/instruments")
    try:
        first = parse_period(request.args.get("from"), "from")
        last = parse_period(request.args.get("to"), "to")
    except ValueError as exc:
        return _error(400, str(exc))
    if first and last and first > last:
        return _error(400, "'from' is after 'to'; give the earlier month in 'from'")
    return jsonify(indicators(db.session, instrument, first, last, current_app.config["DISPLAY_TIMEZONE"]))
