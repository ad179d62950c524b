"""The API's routes: parse the query, call the function that does the work, answer JSON."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..formatting import localize_digits
from ..i18n import current_language
from ..models import Instrument
from . import bp
from .tokens import token_required

OPENAPI_FILE = Path(__file__).with_name("openapi.json")


def _error(status: int, message: str, parameter: str | None = None):
    """The API's error document; ``parameter`` names the query parameter at fault."""
    error = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    return jsonify(error=error), status


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
    # pandas: not for the app's other pages
    from .indicators import FIRST_YEAR, LAST_YEAR, PeriodError, indicators, parse_period

    code = (request.args.get("instrument") or "").strip().upper()
    if not code:
        return _error(400, _("Give the instrument code, e.g. ?instrument=TRN-Q01 (see /api/v1/instruments)."),
                      "instrument")
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
    if instrument is None or not instrument.versions:
        return _error(404, _("No instrument has this code; see /api/v1/instruments."), "instrument")
    try:
        first = parse_period(request.args.get("from"), "from")
        last = parse_period(request.args.get("to"), "to")
    except PeriodError as exc:
        lang = current_language()
        return _error(400, _("“%(parameter)s” must be a Jalali month written YYYY-MM, from %(first)s to %(last)s, "
                             "such as 1403-07.", parameter=exc.parameter,
                             first=localize_digits(f"{FIRST_YEAR}-01", lang),
                             last=localize_digits(f"{LAST_YEAR}-12", lang)), exc.parameter)
    if first and last and first > last:
        return _error(400, _("“from” is after “to”: give the earlier month in “from”."), "from")
    return jsonify(indicators(db.session, instrument, first, last, current_app.config["DISPLAY_TIMEZONE"]))
