"""Survey links: one live short link per (service point, questionnaire) assignment; retiring
a link, and detaching an instrument from a point (which retires its link).

Only questionnaires have citizen links: a checklist assigned to a point is filled there by
inspectors, and gets no link, QR code or poster (penetration test, Low 11; the model refuses
such a link too, :class:`~surveyor.models.ChecklistNotForCitizens`).
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from ..models import ChecklistNotForCitizens, Instrument, PointInstrument, SurveyLink, audit, utcnow

TOKEN_BYTES = 9  # 72 random bits, 12 URL-safe characters: short to type, infeasible to guess


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


QUESTIONNAIRE = "questionnaire"


def live_links(session) -> list[SurveyLink]:
    """Every live citizen link (links older releases gave to checklists are left out)."""
    return list(session.scalars(select(SurveyLink).join(Instrument).where(
        SurveyLink.retired_at.is_(None), Instrument.kind == QUESTIONNAIRE).order_by(SurveyLink.id)))


def ensure_links(session) -> int:
    """Issue a link for every questionnaire assignment that has no live one; returns how many were issued."""
    live = {(link.service_point_id, link.instrument_id) for link in live_links(session)}
    issued = 0
    for pair in session.execute(select(PointInstrument.service_point_id, PointInstrument.instrument_id)
                                .join(Instrument).where(Instrument.kind == QUESTIONNAIRE)):
        if tuple(pair) not in live:
            session.add(SurveyLink(token=new_token(), service_point_id=pair[0], instrument_id=pair[1]))
            issued += 1
    session.flush()
    return issued


def reissue_link(session, link: SurveyLink, user_id: int | None = None) -> SurveyLink:
    """Retire ``link`` and issue a new one for the same pair. Answers given through the old
    link stay attached to it; the old URL then shows a polite "this link has been replaced" page.
    A link older releases gave to a checklist is not reissued (:class:`ChecklistNotForCitizens`)."""
    if link.instrument.kind != QUESTIONNAIRE:
        raise ChecklistNotForCitizens(link.instrument.code)
    link.retired_at = utcnow()
    replacement = SurveyLink(token=new_token(), service_point_id=link.service_point_id,
                             instrument_id=link.instrument_id)
    session.add(replacement)
    session.flush()
    audit(session, "link.reissue", f"link:{link.id}", user_id=user_id, replacement=replacement.id)
    return replacement


def is_in_use(session, service_point_id: int, instrument_id: int) -> bool:
    """Whether the instrument is still used at the point (a retired link then has a successor)."""
    return session.get(PointInstrument, (service_point_id, instrument_id)) is not None


def detach_instrument(session, service_point_id: int, instrument_id: int, user_id: int | None = None) -> int:
    """Stop using an instrument at a point: the assignment goes and its live link retires (its
    old URL then says the survey is no longer used here). Nothing else is deleted: responses
    and inspections keep their point and link, so results still count them, and assignments
    already given can still be completed. Attaching it again later issues a new link. Returns
    how many links were retired (0 for a checklist, which has none)."""
    pair = session.get(PointInstrument, (service_point_id, instrument_id))
    if pair is None:
        return 0
    session.delete(pair)
    retired = 0
    # Links older releases gave to checklists are never served, and the model refuses to write them.
    for link in session.scalars(select(SurveyLink).join(Instrument).where(
            SurveyLink.service_point_id == service_point_id, SurveyLink.instrument_id == instrument_id,
            SurveyLink.retired_at.is_(None), Instrument.kind == QUESTIONNAIRE)):
        link.retired_at = utcnow()
        retired += 1
    session.flush()
    audit(session, "point.detach", f"point:{service_point_id}", user_id=user_id, instrument_id=instrument_id,
          links_retired=retired)
    return retired
