"""A survey link and whether it is collecting today, read in one query (the submission hot path)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from functools import cache

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from ..models import CollectionWindow, SurveyLink
from ..service_points.windows import window_allows


@dataclass(frozen=True)
class LinkState:
    id: int
    token: str
    instrument_id: int
    service_point_id: int
    retired: bool
    collecting: bool


@cache
def _statement():
    """Built once: constructing a statement with aliases costs more than running it."""
    own, general = aliased(CollectionWindow), aliased(CollectionWindow)
    return (
        select(SurveyLink.id, SurveyLink.token, SurveyLink.instrument_id, SurveyLink.service_point_id,
               SurveyLink.retired_at, own.id.label("own_id"), own.is_open.label("own_open"),
               own.opens_on.label("own_opens"), own.closes_on.label("own_closes"), general.id.label("general_id"),
               general.is_open.label("general_open"), general.opens_on.label("general_opens"),
               general.closes_on.label("general_closes"))
        .outerjoin(own, and_(own.instrument_id == SurveyLink.instrument_id,
                             own.service_point_id == SurveyLink.service_point_id))
        .outerjoin(general, and_(general.instrument_id == SurveyLink.instrument_id,
                                 general.service_point_id.is_(None)))
        .where(SurveyLink.token == bindparam("token")))


def link_state(session, token: str, today: dt.date) -> LinkState | None:
    """The link with this token, with its collection state (the point's own window first)."""
    row = session.execute(_statement(), {"token": token}).first()
    if row is None:
        return None
    if row.own_id is not None:
        window = SimpleNamespace(is_open=row.own_open, opens_on=row.own_opens, closes_on=row.own_closes)
    elif row.general_id is not None:
        window = SimpleNamespace(is_open=row.general_open, opens_on=row.general_opens, closes_on=row.general_closes)
    else:
        window = None
    return LinkState(row.id, row.token, row.instrument_id, row.service_point_id, row.retired_at is not None,
                     window_allows(window, today))
