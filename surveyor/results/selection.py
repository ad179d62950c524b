"""The rows a results page's downloads hold: those its figures are computed from, chosen by the
same filters, and the filters named as the file states them (:mod:`surveyor.exports.selection`)."""
from __future__ import annotations

from ..exports.selection import Selection
from ..formatting import jalali_date
from ..models import Instrument, ServicePoint, User
from ..responses.columns import RESPONSE_ID
from .cache import ResponseTables
from .checklist import selected_inspections
from .data import Filters, load_responses, respondent_codes

EVERY_RESPONSE = Filters(include_flagged=True)  # no filter: the download is the command's file
EVERY_INSPECTION = Filters()


def unfiltered(instrument: Instrument) -> Filters:
    """The filters of an export of every row (``surveyor responses|inspections export``)."""
    return EVERY_INSPECTION if instrument.kind == "checklist" else EVERY_RESPONSE


def describe_filters(session, instrument: Instrument, filters: Filters) -> tuple[tuple[str, str], ...]:
    """The filters that apply to ``instrument`` as ``(name, value)`` pairs: dates in Jalali
    (``1403/07/01``), the district, the point's code; for a questionnaire also the language,
    channel and respondent group, and whether flagged responses are included."""
    pairs = []
    if filters.date_from:
        pairs.append(("from", jalali_date(filters.date_from, "en")))
    if filters.date_to:
        pairs.append(("to", jalali_date(filters.date_to, "en")))
    if filters.district:
        pairs.append(("district", str(filters.district)))
    if filters.service_point_id:
        point = session.get(ServicePoint, filters.service_point_id)
        pairs.append(("service_point", point.code if point else f"id {filters.service_point_id}"))
    if filters.inspector_id and instrument.kind == "checklist":
        inspector = session.get(User, filters.inspector_id)
        pairs.append(("inspector", inspector.username if inspector else f"id {filters.inspector_id}"))
    if instrument.kind == "questionnaire":
        for name in ("language", "channel"):
            if getattr(filters, name):
                pairs.append((name, getattr(filters, name)))
        if filters.respondent and filters.respondent[0] in respondent_codes(session, instrument.id):
            pairs.append(("respondent", f"{filters.respondent[0]}={filters.respondent[1]}"))
        pairs.append(("flagged", "included" if filters.include_flagged else "excluded"))
    return tuple(pairs)


def download_selection(session, instrument: Instrument, filters: Filters, *, timezone: str,
                       tables: ResponseTables | None = None) -> Selection:
    """What a download from the page filtered by ``filters`` holds: the responses or inspections
    the page counts (every one, like ``surveyor responses|inspections export``, when nothing is
    filtered), with the filters named."""
    described = describe_filters(session, instrument, filters)
    if instrument.kind == "checklist":
        if not (filters.date_from or filters.date_to or filters.district or filters.service_point_id
                or filters.inspector_id):
            return Selection(filters=described)  # the other filters are the questionnaires' own
        frame = selected_inspections(session, instrument, filters, timezone)
        return Selection(frozenset(int(i) for i in frame.get("id", [])), described)
    if filters == EVERY_RESPONSE:
        return Selection(filters=described)
    frame, _districts, _flagged = load_responses(session, instrument.id, filters, timezone, tables)
    return Selection(frozenset(int(i) for i in frame.get(RESPONSE_ID, [])), described)
