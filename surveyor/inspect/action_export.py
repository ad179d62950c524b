"""The corrective actions list as a file (CSV or Excel): the rows of
:func:`~surveyor.inspect.action_list.corrective_actions_query` for the filters on the page, one
row per action, with headers, status and item text in the page's language.

Columns (in this order): action id, status, overdue (1/0), item code, item text, corrective
action, who puts it right, due date (Jalali, ASCII digits, and ISO), site code, site name,
district, checklist code, inspection id, inspected on (Jalali), done on, what was done, verified
on. Dates are written with ASCII digits so that a spreadsheet sorts them; texts that a
spreadsheet would run as formulas are neutralised (:mod:`surveyor.exports.formulas`).
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from flask_babel import gettext as _

from ..exports.codebook import Variable
from ..formatting import jalali_date, localize_digits
from ..models import CorrectiveAction
from ..responses.export import write_csv_rows
from .action_list import ActionFilters, download_rows, item_text, query_args
from .actions import is_overdue

NUMERIC = ("action_id", "overdue", "district", "inspection_id")


def columns() -> list[tuple[str, str]]:
    """(key, header in the current language) of each column."""
    return [("action_id", _("Action number")), ("status", _("Status")), ("overdue", _("Overdue (1 = yes)")),
            ("item_code", _("Item code")), ("item", _("Item")), ("action", _("Corrective action")),
            ("who", _("Who")), ("due_jalali", _("Due (Jalali)")), ("due_iso", _("Due (Gregorian)")),
            ("site_code", _("Site code")), ("site", _("Service point")), ("district", _("District")),
            ("checklist", _("Checklist")), ("inspection_id", _("Inspection number")),
            ("inspected", _("Inspected on (Jalali)")), ("done", _("Done on (Jalali)")),
            ("done_note", _("What was done")), ("verified", _("Verified on (Jalali)"))]


def status_text(action: CorrectiveAction) -> str:
    """The status as the pages word it (see templates/inspect/_actions.html)."""
    if action.status == "open":
        return _("Open")
    if action.status == "in_progress":
        return _("In progress")
    if action.status == "done":
        return _("Done, awaiting verification")
    return _("Verified by a re-inspection") if action.verified_by_inspection_id else _("Verified")


def _day(moment, timezone: str) -> str:
    return jalali_date(moment, "en", timezone) if moment else ""


def _row(action: CorrectiveAction, lang: str, timezone: str, today: dt.date) -> list:
    inspection = action.inspection
    point = inspection.service_point
    who = action.assignee or _("District %(n)s municipality", n=localize_digits(point.district, lang))
    return [action.id, status_text(action), int(is_overdue(action, today)), action.item_code,
            item_text(action, lang), action.description, who, _day(action.due_on, timezone),
            action.due_on.isoformat() if action.due_on else "", point.code, point.name(lang), point.district,
            inspection.instrument.code, inspection.id, _day(inspection.submitted_at or inspection.started_at, timezone),
            _day(action.done_at, timezone), action.done_note or "", _day(action.verified_at, timezone)]


def table(session, query, lang: str, timezone: str, today: dt.date) -> Iterator[list]:
    """The header, then one row per action of ``query``."""
    yield [header for _key, header in columns()]
    for action in download_rows(session, query):
        yield _row(action, lang, timezone, today)


def _preamble(filters: ActionFilters) -> str:
    chosen = "; ".join(f"{name}={value}" for name, value in query_args(filters).items()) or "none"
    return f"# Surveyor export of corrective actions; filters: {chosen}"


def csv_bytes(session, query, filters: ActionFilters, lang: str, timezone: str, today: dt.date) -> tuple[bytes, int]:
    """The list as CSV (UTF-8 with BOM, a first line naming the filters) and its number of rows."""
    stream = io.StringIO()
    count = write_csv_rows(table(session, query, lang, timezone, today), stream, _preamble(filters))
    return stream.getvalue().encode("utf-8"), count


def xlsx_bytes(session, query, filters: ActionFilters, lang: str, timezone: str, today: dt.date) -> tuple[bytes, int]:
    """The list as an Excel workbook (``data``, ``codebook`` and ``filters`` sheets) and its number of rows."""
    codebook = [Variable(column=header, spss_name=key, label=header, type="number" if key in NUMERIC else "text",
                         role="action", storage="numeric" if key in NUMERIC else "string",
                         measure="scale" if key in NUMERIC else "nominal") for key, header in columns()]
    stream = io.BytesIO()
    from ..exports.xlsx import write_xlsx  # openpyxl loads with the first download, not with the app

    count = write_xlsx(table(session, query, lang, timezone, today), codebook, stream, lang=lang,
                       title=_("Corrective actions"), filters=list(query_args(filters).items()))
    return stream.getvalue(), count
