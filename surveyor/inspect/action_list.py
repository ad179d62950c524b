"""The list of corrective actions: its filters, the one query behind it, and the counts, pages and
download rows taken from that query, so that the total shown, the counts by status, the pages and
the downloaded file always agree.

Other pages that show corrective actions of a team or of the whole city (a supervisor's home, a
results page) call :func:`corrective_actions_query` and :func:`count_corrective_actions` with
their own :class:`ActionFilters`, and so count what the list would list; they link to that list
with ``url_for("inspect.actions", **query_args(filters))``. For example, a supervisor's overdue
actions::

    filters = ActionFilters(overdue=True)
    query = corrective_actions_query(db.session, current_user, filters, today)
    counts = count_corrective_actions(db.session, query, today)       # counts.total, counts.overdue
    first = action_page(db.session, query, 1, counts.total, per_page=10).actions
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql import Select

from ..formatting import ascii_digits, jalali_date, parse_jalali_date
from ..i18n import localized
from ..instruments.versions import version_definition
from ..models import DISTRICTS, CorrectiveAction, Inspection, Instrument, InstrumentVersion, ServicePoint, User
from ..models.inspection import OPEN_ACTION_STATUSES
from ..search_text import matches_sql, search_key
from .access import READ_ALL, team_ids
from .actions import ActionCounts

PER_PAGE = 50
SEARCH_MAX = 100   # characters of a search
CODE_MAX = 32      # characters of a site or checklist code (as ServicePoint.code)
# The status filter: "not_verified" (the default: what is still being followed), one status, or "all".
STATUS_CHOICES = ("not_verified", "open", "in_progress", "done", "verified", "all")


@dataclass(frozen=True)
class ActionFilters:
    """What narrows the list; the defaults keep every action not yet verified.

    ``site`` and ``checklist`` are codes as stored, ``due_from``/``due_to`` bound the due date
    (both included), ``overdue`` keeps only actions not done and past their due date on the day
    the list is made, ``text`` is the search (see :func:`corrective_actions_query`)."""

    text: str = ""
    district: int | None = None
    site: str | None = None
    checklist: str | None = None
    status: str = "not_verified"
    overdue: bool = False
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def parse_action_filters(args: Mapping[str, str], session) -> tuple[ActionFilters, dict[str, str]]:
    """The filters written in a query string, and the problems found: parameter -> message code
    (``district_invalid``, ``site_unknown``, ``checklist_unknown``, ``status_unknown``,
    ``overdue_invalid``, ``date_invalid``, ``date_order``, ``text_too_long``). Digits may be
    Persian, Arabic-Indic or ASCII; an empty parameter is no filter. Every problem is collected
    before returning; the filters returned then hold only the values that were valid."""
    errors: dict[str, str] = {}
    values: dict = {}
    text = " ".join((args.get("q") or "").split())
    if len(text) > SEARCH_MAX:
        errors["q"] = "text_too_long"
    else:
        values["text"] = text
    district = ascii_digits(args.get("district") or "").strip()
    if district:
        if district.isdecimal() and len(district) <= 2 and int(district) in DISTRICTS:
            values["district"] = int(district)
        else:
            errors["district"] = "district_invalid"
    for name in ("site", "checklist"):
        code = ascii_digits(args.get(name) or "").strip()
        if not code:
            continue
        known = _known_code(session, name, code) if len(code) <= CODE_MAX else None
        if known is None:
            errors[name] = f"{name}_unknown"
        else:
            values[name] = known
    status = (args.get("status") or "not_verified").strip()
    if status in STATUS_CHOICES:
        values["status"] = status
    else:
        errors["status"] = "status_unknown"
    overdue = (args.get("overdue") or "").strip().lower()
    if overdue in ("1", "on", "yes", "true"):
        values["overdue"] = True
    elif overdue not in ("", "0", "off", "no", "false"):
        errors["overdue"] = "overdue_invalid"
    for name in ("due_from", "due_to"):
        if (args.get(name) or "").strip():
            try:
                values[name] = parse_jalali_date(args[name])
            except ValueError:
                errors[name] = "date_invalid"
    if values.get("due_from") and values.get("due_to") and values["due_from"] > values["due_to"]:
        errors["due_to"] = "date_order"
        del values["due_to"]
    return ActionFilters(**values), errors


def _known_code(session, name: str, code: str) -> str | None:
    """The code as stored of the site (any letter case) or checklist that ``code`` names, or None."""
    if name == "site":
        return session.scalar(select(ServicePoint.code).where(func.upper(ServicePoint.code) == code.upper()))
    return session.scalar(select(Instrument.code).where(Instrument.code == code.upper(),
                                                        Instrument.kind == "checklist"))


def query_args(filters: ActionFilters) -> dict[str, str]:
    """The filters as query-string parameters (the defaults left out), for page links and the
    download link: Jalali dates and ASCII digits, as the form reads them back."""
    args = {}
    for name, value in asdict(filters).items():
        key = "q" if name == "text" else name
        if value in (None, "", False) or (name == "status" and value == "not_verified"):
            continue
        if isinstance(value, dt.date):
            value = jalali_date(value, "en")
        args[key] = "1" if value is True else str(value)
    return args


def overdue_condition(status, due_on, today: dt.date):
    """SQL for "not done and past its due date on ``today``", as
    :func:`surveyor.inspect.actions.is_overdue` says it in Python."""
    return and_(status.in_(OPEN_ACTION_STATUSES), due_on.is_not(None), due_on < today)


def visible_inspector_ids(session, user: User) -> list[int] | None:
    """Whose inspections' actions ``user`` sees: None for everyone's (research staff and
    administrators), a supervisor's team, an inspector's own (see :mod:`.access`)."""
    if user.role in READ_ALL:
        return None
    if user.role == "supervisor":
        return team_ids(session, user)
    return [user.id]


def corrective_actions_query(session, user: User, filters: ActionFilters, today: dt.date | None = None) -> Select:
    """The one query of the corrective actions list: the actions ``user`` may see (a supervisor,
    their team's; research staff and administrators, everyone's) that ``filters`` keep, soonest
    due first (those without a due date last), then oldest first.

    The list's page, its total and counts by status (:func:`count_corrective_actions`), its pages
    (:func:`action_page`) and its download (:func:`download_rows`) are all read from this query,
    and so agree. The search (``filters.text``) finds the words, folded by
    :func:`surveyor.search_text.search_key` (Arabic «ي»/«ك» as Persian «ی»/«ک», the zero-width
    non-joiner ignored, any digits), in the action's description or assignee, the site's code or
    name in any language, or the failed item's code or text in any language, as the inspection's
    checklist version words it. ``today`` (in the display time zone) is needed by the overdue
    filter only."""
    if filters.overdue and today is None:
        raise ValueError("the overdue filter needs today's date")
    query = (select(CorrectiveAction)
             .join(Inspection, Inspection.id == CorrectiveAction.inspection_id)
             .join(ServicePoint, ServicePoint.id == Inspection.service_point_id))
    inspectors = visible_inspector_ids(session, user)
    if inspectors is not None:
        query = query.where(Inspection.inspector_id.in_(inspectors))
    if filters.district is not None:
        query = query.where(ServicePoint.district == filters.district)
    if filters.site:
        query = query.where(ServicePoint.code == filters.site)
    if filters.checklist:
        query = query.where(Inspection.instrument_id.in_(
            select(Instrument.id).where(Instrument.code == filters.checklist, Instrument.kind == "checklist")))
    if filters.status == "not_verified":
        query = query.where(CorrectiveAction.status != "verified")
    elif filters.status != "all":
        query = query.where(CorrectiveAction.status == filters.status)
    if filters.overdue:
        query = query.where(overdue_condition(CorrectiveAction.status, CorrectiveAction.due_on, today))
    if filters.due_from:
        query = query.where(CorrectiveAction.due_on >= filters.due_from)
    if filters.due_to:
        query = query.where(CorrectiveAction.due_on <= filters.due_to)
    if filters.text:
        query = query.where(_search(session, filters.text))
    return query.order_by(case((CorrectiveAction.due_on.is_(None), 1), else_=0), CorrectiveAction.due_on,
                          CorrectiveAction.id)


def _search(session, text: str):
    """Actions whose description or assignee holds ``text``, at a site whose code or name does,
    or of an item whose code or text does. Sites and item texts are few and are matched apart
    (sites in their own table, items in Python), so each action row is folded only once."""
    key = search_key(text)
    own = func.coalesce(CorrectiveAction.description, "").concat("\n").concat(
        func.coalesce(CorrectiveAction.assignee, ""))  # a search never holds a line break
    sites = aliased(ServicePoint)  # not the listed action's own site: the subquery runs once
    site = func.coalesce(sites.code, "")
    for column in (sites.name_fa, sites.name_en, sites.name_ar):
        site = site.concat("\n").concat(func.coalesce(column, ""))
    found = [matches_sql(own, text), Inspection.service_point_id.in_(select(sites.id).where(matches_sql(site, text)))]
    found += [and_(Inspection.instrument_version_id == version_id, CorrectiveAction.item_code.in_(codes))
              for version_id, codes in _items_worded(session, key).items()]
    return or_(*found)


def _items_worded(session, key: str) -> dict[int, list[str]]:
    """Checklist version id -> the codes of its items whose code or text, in some language, holds ``key``."""
    versions = session.scalars(select(InstrumentVersion.id).join(Instrument, Instrument.id ==
                                                                 InstrumentVersion.instrument_id)
                               .where(Instrument.kind == "checklist"))
    found = {}
    for version_id in versions:
        definition = version_definition(version_id)[1]
        codes = [item["code"] for item in definition["items"]
                 if any(key in search_key(label) for label in (item["code"], *(item.get("labels") or {}).values()))]
        if codes:
            found[version_id] = codes
    return found


def count_corrective_actions(session, query: Select, today: dt.date) -> ActionCounts:
    """The counts by status (and overdue on ``today``) of what ``query`` (from
    :func:`corrective_actions_query`) lists; their ``total`` is the number of rows it lists."""
    listed = query.order_by(None).subquery()
    overdue = case((overdue_condition(listed.c.status, listed.c.due_on, today), 1), else_=0)
    counts = {(status, bool(late)): n for status, late, n in session.execute(
        select(listed.c.status, overdue, func.count()).group_by(listed.c.status, overdue))}
    by_status = {status: sum(n for (s, _late), n in counts.items() if s == status)
                 for status in ("open", "in_progress", "done", "verified")}
    return ActionCounts(open=by_status["open"] + by_status["in_progress"], in_progress=by_status["in_progress"],
                        overdue=sum(n for (_s, late), n in counts.items() if late), done=by_status["done"],
                        verified=by_status["verified"])


@dataclass(frozen=True)
class ActionPage:
    """One page of the list: its actions, its number (from 1), how many pages and actions in all."""

    actions: list[CorrectiveAction]
    number: int
    pages: int
    total: int


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    """How many pages ``total`` actions take; an empty list still has its one (empty) page."""
    return max(1, math.ceil(total / per_page))


def action_page(session, query: Select, number: int, total: int, per_page: int = PER_PAGE) -> ActionPage:
    """Page ``number`` (from 1, at most :func:`page_count`) of ``query``'s actions, with what
    their rows show (inspection, site, checklist) loaded in a few queries."""
    rows = session.scalars(_with_rows(query).limit(per_page).offset((number - 1) * per_page))
    return ActionPage(actions=list(rows), number=number, pages=page_count(total, per_page), total=total)


def _with_rows(query: Select) -> Select:
    return query.options(selectinload(CorrectiveAction.inspection).selectinload(Inspection.service_point),
                         selectinload(CorrectiveAction.inspection).selectinload(Inspection.instrument))


def item_labels(action: CorrectiveAction) -> dict:
    """The failed item's text per language, as the inspection's checklist version words it (empty
    when the version has no such item)."""
    found = version_definition(action.inspection.instrument_version_id)
    for item in (found[1]["items"] if found else ()):
        if item["code"] == action.item_code:
            return item.get("labels") or {}
    return {}


def item_text(action: CorrectiveAction, lang: str) -> str:
    """The failed item's text in ``lang`` (falling back to Persian, then English), or its code."""
    return localized(item_labels(action), lang) or action.item_code


def download_rows(session, query: Select, batch: int = 500) -> Iterator[CorrectiveAction]:
    """Every action of ``query``, in its order, read ``batch`` at a time."""
    yield from session.scalars(_with_rows(query).execution_options(yield_per=batch))
