"""PDF reports of an instrument's results: :func:`build_report` reads the data and calls the
builder.

The results pages' download button and ``surveyor report`` both call :func:`build_report`, so
they produce the same file. The builders themselves (:func:`questionnaire_report`,
:func:`checklist_report`) take figures and return bytes, without a database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
from sqlalchemy import select

from ..formatting import local_today
from ..models import Instrument, ServicePoint
from ..responses import columns
from ..results.checklist import checklist_figures
from ..results.data import Filters, load_responses
from ..results.questionnaire import questionnaire_results
from .checklist import ChecklistData, checklist_report
from .layout.writer import ReportScope
from .questionnaire import QuestionnaireData, comment_summary, questionnaire_report

REPORT_LANGUAGES = ("fa", "en")
DEFAULT_TIMEZONE = "Asia/Tehran"


def _display_timezone() -> str:
    from flask import current_app, has_app_context

    return (
        current_app.config.get("DISPLAY_TIMEZONE", DEFAULT_TIMEZONE)
        if has_app_context()
        else DEFAULT_TIMEZONE
    )


def _branding():
    """The office's and city's names and the logo of the running app (none outside one)."""
    from flask import current_app, has_app_context

    if not has_app_context() or "branding" not in current_app.extensions:
        return None, None, None
    branding = current_app.extensions["branding"]
    return dict(branding.office), dict(branding.city), str(branding.logo)


def _response_tables():
    """The app's cached answers tables (:mod:`surveyor.results.cache`), when there is an app."""
    from flask import current_app, has_app_context

    return current_app.extensions.get("response_tables") if has_app_context() else None


def _local_days(moments: pd.Series, timezone: str) -> pd.Series:
    return pd.to_datetime(moments, utc=True).dt.tz_convert(timezone).dt.date


def _scope(
    session, instrument: Instrument, filters: Filters, days: pd.Series, today: dt.date
) -> ReportScope:
    version = instrument.latest
    point_names = respondent = None
    if filters.service_point_id:
        point = session.get(ServicePoint, filters.service_point_id)
        if point is not None:
            point_names = {
                "fa": point.name_fa,
                "en": point.name_en or point.name_fa,
                "ar": point.name_ar or point.name_fa,
            }
    if filters.respondent:
        item = version.item(filters.respondent[0])
        option = next(
            (
                o
                for o in (item or {}).get("options", [])
                if str(o["value"]) == filters.respondent[1]
            ),
            None,
        )
        if item and option:
            respondent = (item["labels"], option["labels"])
    start = filters.date_from or (min(days) if len(days) else None)
    end = filters.date_to or (max(days) if len(days) else None)
    office, city, logo = _branding()
    return ReportScope(
        office=office,
        city=city,
        logo=logo,
        code=instrument.code,
        title=version.definition["title"],
        version=version.number,
        filters=filters,
        start=start,
        end=end,
        generated_on=today,
        point_names=point_names,
        respondent=respondent,
    )


def questionnaire_data(
    session, instrument: Instrument, filters: Filters, *, timezone: str, today: dt.date
) -> QuestionnaireData:
    """The figures of a questionnaire report, with the same numbers as the results page."""
    definition = instrument.latest.definition
    frame, districts, flagged = load_responses(session, instrument.id, filters, timezone, _response_tables())
    results = questionnaire_results(
        frame, definition, flagged_excluded=flagged, districts=districts, timezone=timezone
    )
    days = (
        _local_days(frame[columns.SUBMITTED_AT], timezone) if not frame.empty else pd.Series(dtype=object)
    )
    outcome = next(i["code"] for i in definition["items"] if i["role"] == "outcome")
    counts = frame[outcome].value_counts().to_dict() if outcome in frame else {}
    return QuestionnaireData(
        results=results,
        definition=definition,
        scope=_scope(session, instrument, filters, days, today),
        points=int(frame[columns.SERVICE_POINT_ID].nunique()) if not frame.empty else 0,
        districts=int(districts.nunique()) if not frame.empty else 0,
        languages=Counter(frame[columns.LANGUAGE]) if not frame.empty else Counter(),
        flagged_included=(
            int(frame[columns.IS_FLAGGED].astype(bool).sum())
            if filters.include_flagged and not frame.empty
            else 0
        ),
        outcome_counts={int(k): int(v) for k, v in counts.items()},
        comments=comment_summary(frame, definition),
    )


def checklist_data(
    session, instrument: Instrument, filters: Filters, *, timezone: str, today: dt.date,
    action_inspectors: list[int] | None = None,
) -> ChecklistData:
    """The figures of a checklist report, from the scores stored with each inspection. The
    period, district and service point filters apply; the others concern respondents.
    ``action_inspectors`` limits the actions listed one by one (see ``checklist_figures``)."""
    figures = checklist_figures(session, instrument, filters, timezone=timezone, today=today,
                                action_inspectors=action_inspectors)
    return ChecklistData(
        figures=figures,
        definition=instrument.latest.definition,
        scope=_scope(session, instrument, filters, pd.Series(figures.days, dtype=object), today),
    )


def build_report(
    session,
    instrument: Instrument,
    filters: Filters,
    lang: str,
    *,
    timezone: str | None = None,
    today: dt.date | None = None,
    action_inspectors: list[int] | None = None,
) -> bytes:
    """The PDF report of ``instrument`` (a questionnaire or a checklist) for ``filters``, in
    ``lang`` (``fa`` or ``en``). ``timezone`` defaults to the app's display time zone and
    ``today`` (the date printed as prepared on) to today there."""
    if lang not in REPORT_LANGUAGES:
        raise ValueError(f"reports are written in {' or '.join(REPORT_LANGUAGES)}, not {lang!r}")
    timezone = timezone or _display_timezone()
    today = today or local_today(timezone)
    if instrument.kind == "checklist":
        return checklist_report(
            checklist_data(session, instrument, filters, timezone=timezone, today=today,
                           action_inspectors=action_inspectors), lang
        )
    return questionnaire_report(
        questionnaire_data(session, instrument, filters, timezone=timezone, today=today), lang
    )


def find_instrument(session, code: str) -> Instrument:
    """The instrument with ``code`` (any case); ValueError naming it when there is none."""
    instrument = session.scalar(select(Instrument).where(Instrument.code == code.strip().upper()))
    if instrument is None:
        raise ValueError(f"no instrument {code!r}; `surveyor instruments list` shows the codes")
    return instrument
