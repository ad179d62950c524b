"""The administrator's setup checklist: what stands between the installation and answers
coming in. Each entry names what to fix; the page links each to where it is fixed."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..models import CollectionWindow, Instrument, PointInstrument, ServicePoint, SurveyLink, User
from ..service_points.links import QUESTIONNAIRE
from ..service_points.windows import effective_window, window_allows


@dataclass
class NotCollecting:
    """A questionnaire used at ``linked`` points and taking answers at none of ``closed`` of them."""

    instrument: Instrument
    linked: int
    closed: int


@dataclass
class SetupChecklist:
    points_without_instruments: list[ServicePoint]
    not_collecting: list[NotCollecting]
    never_logged_in: list[User]
    unprinted_posters: list[tuple[ServicePoint, int]]  # each point with its live links never printed

    @property
    def done(self) -> bool:
        return not (self.points_without_instruments or self.not_collecting or self.never_logged_in
                    or self.unprinted_posters)


def points_without_instruments(session) -> list[ServicePoint]:
    used = select(PointInstrument.service_point_id)
    return list(session.scalars(select(ServicePoint).where(ServicePoint.id.not_in(used))
                                .order_by(ServicePoint.district, ServicePoint.code)))


def questionnaires_not_collecting(session, today: dt.date) -> list[NotCollecting]:
    """Each questionnaire linked to points where it does not take answers today: the point's own
    window decides, else the questionnaire's general one, as
    :func:`surveyor.service_points.windows.collecting` decides for one point."""
    pairs = session.execute(select(Instrument, PointInstrument.service_point_id)
                            .join(PointInstrument, PointInstrument.instrument_id == Instrument.id)
                            .where(Instrument.kind == "questionnaire").order_by(Instrument.code)).all()
    windows: dict[int, dict[int | None, CollectionWindow]] = {}
    for window in session.scalars(select(CollectionWindow)):
        windows.setdefault(window.instrument_id, {})[window.service_point_id] = window
    found: dict[int, NotCollecting] = {}
    for instrument, point_id in pairs:
        row = found.setdefault(instrument.id, NotCollecting(instrument, 0, 0))
        row.linked += 1
        own = windows.get(instrument.id, {})
        if not window_allows(effective_window(own, point_id), today):
            row.closed += 1
    return [row for row in found.values() if row.closed]


def never_logged_in(session) -> list[User]:
    return list(session.scalars(select(User).where(User.last_login_at.is_(None), User.active.is_(True))
                                .order_by(User.role, User.username)))


def unprinted_posters(session) -> list[tuple[ServicePoint, int]]:
    """The points with live survey links whose poster was never downloaded, with how many."""
    query = (select(ServicePoint, SurveyLink.id).join(SurveyLink, SurveyLink.service_point_id == ServicePoint.id)
             .join(Instrument, Instrument.id == SurveyLink.instrument_id)
             .where(SurveyLink.retired_at.is_(None), SurveyLink.poster_printed_at.is_(None),
                    Instrument.kind == QUESTIONNAIRE)
             .order_by(ServicePoint.district, ServicePoint.code))
    counts: dict[ServicePoint, int] = {}
    for point, _link in session.execute(query):
        counts[point] = counts.get(point, 0) + 1
    return list(counts.items())

def setup_checklist(session, today: dt.date) -> SetupChecklist:
    return SetupChecklist(points_without_instruments(session), questionnaires_not_collecting(session, today),
                          never_logged_in(session), unprinted_posters(session))
