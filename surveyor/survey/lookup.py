"""A survey link and whether it is collecting today, read in one query (the submission hot path).

For a submission the same query also answers whether the page is already stored and whether
the device has answered through this link today, so a submission reads the database once
before it writes. Nothing is cached: closing an instrument or retiring a link takes effect on
the next request.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, exists, select

from ..models import CollectionWindow, Response, SurveyLink
from ..service_points.windows import window_allows


@dataclass(frozen=True)
class LinkState:
    id: int
    token: str
    instrument_id: int
    service_point_id: int
    retired: bool
    collecting: bool


@dataclass(frozen=True)
class SubmissionState:
    """A link's state as a submission to it needs it."""

    link: LinkState
    stored: bool      # a response with this page's client id exists: a retry or a double click
    seen_today: bool  # this device (its hash changes daily) has answered through this link


@cache
def _statement():
    """Built once: constructing a statement with aliases costs more than running it. Core
    columns (not ORM attributes), so that rows come back without the ORM's per-row work."""
    links = SurveyLink.__table__
    own, general = CollectionWindow.__table__.alias("own"), CollectionWindow.__table__.alias("general")
    return (
        select(links.c.id, links.c.token, links.c.instrument_id, links.c.service_point_id,
               links.c.retired_at.is_not(None).label("retired"), own.c.id.label("own_id"),
               own.c.is_open.label("own_open"), own.c.opens_on.label("own_opens"),
               own.c.closes_on.label("own_closes"), general.c.id.label("general_id"),
               general.c.is_open.label("general_open"), general.c.opens_on.label("general_opens"),
               general.c.closes_on.label("general_closes"))
        .outerjoin(own, and_(own.c.instrument_id == links.c.instrument_id,
                             own.c.service_point_id == links.c.service_point_id))
        .outerjoin(general, and_(general.c.instrument_id == links.c.instrument_id,
                                 general.c.service_point_id.is_(None)))
        .where(links.c.token == bindparam("token")))


@cache
def _submission_statement():
    """The link query with the two questions a submission asks before storing anything."""
    responses, links = Response.__table__, SurveyLink.__table__
    stored = exists().where(responses.c.client_id == bindparam("client_id"))
    seen = exists().where(responses.c.device_hash == bindparam("device"), responses.c.link_id == links.c.id)
    return _statement().add_columns(stored.label("stored"), seen.label("seen_today"))


def _link(row, today: dt.date) -> LinkState:
    """The point's own window decides if it has one, otherwise the instrument's general one."""
    if row.own_id is not None:
        window = SimpleNamespace(is_open=row.own_open, opens_on=row.own_opens, closes_on=row.own_closes)
    elif row.general_id is not None:
        window = SimpleNamespace(is_open=row.general_open, opens_on=row.general_opens, closes_on=row.general_closes)
    else:
        window = None
    return LinkState(row.id, row.token, row.instrument_id, row.service_point_id, bool(row.retired),
                     window_allows(window, today))


def link_state(db, token: str, today: dt.date) -> LinkState | None:
    """The link with this token, with its collection state (``db``: a Session or a Connection)."""
    row = db.execute(_statement(), {"token": token}).first()
    return _link(row, today) if row is not None else None


def submission_state(db, token: str, today: dt.date, client_id: str, device: str) -> SubmissionState | None:
    """The link with this token, and whether ``client_id`` is stored and ``device`` seen there."""
    row = db.execute(
        _submission_statement(), {"token": token, "client_id": client_id, "device": device}).first()
    if row is None:
        return None
    return SubmissionState(_link(row, today), bool(row.stored), bool(row.seen_today))
