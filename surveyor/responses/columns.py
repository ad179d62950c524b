"""The names of the response columns in an analysis frame, apart from its items' columns.

An analysis frame (:func:`surveyor.responses.answers_frame`) holds one column per item, named
by the item's code, beside the columns that describe each response. Item codes start with a
letter (``instruments/schema.json``); these names start with ``_``. The two sets of names can
therefore never meet, whatever an instrument calls its items: the pilgrims' questionnaire
(CUL-Q04) has an item coded ``language``, which lives beside the response's ``_language``.
"""
from __future__ import annotations

RESPONSE_ID = "_response_id"
VERSION_ID = "_instrument_version_id"
SERVICE_POINT_ID = "_service_point_id"
SUBMITTED_AT = "_submitted_at"
LANGUAGE = "_language"
CHANNEL = "_channel"
DURATION_SECONDS = "_duration_seconds"
IS_FLAGGED = "_is_flagged"

RESPONSE_COLUMNS = (RESPONSE_ID, VERSION_ID, SERVICE_POINT_ID, SUBMITTED_AT, LANGUAGE, CHANNEL,
                    DURATION_SECONDS, IS_FLAGGED)


def is_response_column(name) -> bool:
    """Whether ``name`` is one of the response columns rather than an item's answers."""
    return name in RESPONSE_COLUMNS
