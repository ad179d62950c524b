"""`/results/<code>`: how a service is doing, why, where, and whether it is changing."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import charts
from ..auth.permissions import roles_required
from ..extensions import db
from ..formatting import format_number, jalali_month_label, local_today
from ..i18n import current_language, localized
from ..inspect.access import team_ids
from ..models import CorrectiveAction, Inspection, Instrument, PointInstrument, Response, ServicePoint, User
from ..results.checklist import OPEN_ACTIONS_SHOWN, checklist_figures
from ..results.data import load_responses
from ..results.questionnaire import MIN_GROUP, questionnaire_results
from . import bp
from .filters import PARAMETERS as FILTER_PARAMETERS
from .filters import filters_from

RESEARCH = ("researcher", "admin")
COMMENTS_PER_PAGE = 50


def _svg(figure) -> Markup:
    svg = charts.to_svg(figure)
    return Markup(svg[svg.index("<svg"):])  # drop the XML prolog; matplotlib escapes its text


def _labels(definition: dict, lang: str) -> dict[str, str]:
    return {item["code"]: localized(item["labels"], lang) for item in definition["items"]}


def _questionnaire_charts(results, definition, lang) -> dict:
    labels = _labels(definition, lang)
    shown = {}
    if results.drivers is not None:
        table = results.drivers
        shown["drivers"] = _svg(charts.bar_chart(
            [labels[d] for d in table["driver"]], list(table["shapley"]), lang, decimals=3,
            highlight={i for i, d in enumerate(table["driver"]) if d in results.fix_first},
            xlabel=_("Share of R² (Shapley)")))
        ipa = results.ipa
        names = quadrant_names()
        shown["ipa"] = _svg(charts.importance_performance_chart(
            [format_number(i + 1, lang) for i in range(len(ipa))], list(ipa["importance"]), list(ipa["performance"]),
            list(ipa["quadrant"]), float(ipa["importance_cut"].iloc[0]), float(ipa["performance_cut"].iloc[0]),
            lang, xlabel=_("Importance"), ylabel=_("Performance (mean score)"),
            legend=[(q, names[q]) for q in names if q in set(ipa["quadrant"])]))
    if results.trend is not None and results.trend["estimate"].notna().sum() >= 2:  # two months to join
        trend = results.trend
        months = [jalali_month_label(year, month, lang) for year, month in zip(trend["year"], trend["month"])]
        shown["trend"] = _svg(charts.trend_chart(months, list(trend["estimate"]), list(trend["ci_low"]),
                                                 list(trend["ci_high"]), lang, ylabel=_("Overall satisfaction")))
    return shown


def _respondent_items(definition: dict) -> list[dict]:
    """The respondent questions the respondents filter offers (those with options)."""
    return [item for item in definition["items"] if item["role"] == "respondent" and item.get("options")]


def _filter_points(instrument) -> list[ServicePoint]:
    """The service points the point filter offers: those linked to the instrument or holding
    its responses (inspections, for a checklist), by district."""
    rows = Inspection if instrument.kind == "checklist" else Response
    used = select(rows.service_point_id).where(rows.instrument_id == instrument.id).distinct()
    linked = select(PointInstrument.service_point_id).where(PointInstrument.instrument_id == instrument.id)
    return list(db.session.scalars(select(ServicePoint).where(ServicePoint.id.in_(used) | ServicePoint.id.in_(linked))
                                   .order_by(ServicePoint.district, ServicePoint.code)))


def quadrant_names() -> dict[str, str]:
    """The importance-performance quadrants as the page names them."""
    return {"concentrate here": _("Concentrate here: important, rated low"),
            "keep up the good work": _("Keep up the good work: important, rated well"),
            "low priority": _("Low priority: less important, rated low"),
            "possible overkill": _("Possible overkill: less important, rated well")}


def _action_inspectors() -> list[int] | None:
    """Whose corrective actions the user may see one by one: a supervisor, their team's; research
    staff, everyone's (None). Aggregates are for everyone who follows the checklist."""
    return team_ids(db.session, current_user) if current_user.role == "supervisor" else None


def _inspectors(instrument) -> list[User]:
    """Who inspected with this checklist: the choices of the inspector filter."""
    return list(db.session.scalars(select(User).where(User.id.in_(
        select(Inspection.inspector_id).where(Inspection.instrument_id == instrument.id))).order_by(User.username)))


def _checklist_page(instrument, filters, timezone: str, lang: str, context: dict):
    today = local_today(timezone)
    figures = checklist_figures(db.session, instrument, filters, timezone=timezone, today=today,
                                action_inspectors=_action_inspectors())
    shown = figures.open_action_ids[:OPEN_ACTIONS_SHOWN]
    found = {a.id: a for a in db.session.scalars(select(CorrectiveAction).where(CorrectiveAction.id.in_(shown)))}
    actions = [found[i] for i in shown]
    chart = None
    if figures.trend is not None and len(figures.trend) >= 2:
        trend = figures.trend
        months = [jalali_month_label(year, month, lang) for year, month in zip(trend["year"], trend["month"])]
        chart = _svg(charts.trend_chart(months, list(trend["estimate"]), list(trend["ci_low"]), list(trend["ci_high"]),
                                        lang, ylabel=_("Mean compliance")))
    return render_template("research/checklist.html", results=figures, actions=actions, today=today,
                           min_inspections=current_app.config["MIN_INSPECTIONS"], inspectors=_inspectors(instrument),
                           trend_chart=chart, **context)


@bp.route("/<code>")
@roles_required(*RESEARCH, "supervisor")
def results(code: str):
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper())) or abort(404)
    filters, problems = filters_from(request.args)
    lang = current_language()
    definition = instrument.latest.definition
    points = _filter_points(instrument)
    filter_args = {key: request.args[key] for key in FILTER_PARAMETERS if key in request.args}
    context = {"instrument": instrument, "definition": definition, "filters": filters, "problems": problems,
               "points": points, "args": request.args, "filter_args": filter_args, "labels": _labels(definition, lang)}
    timezone = current_app.config["DISPLAY_TIMEZONE"]
    if instrument.kind != "checklist" and current_user.role not in RESEARCH:
        abort(403)  # supervisors follow checklists; citizens' answers are for research staff
    if problems:  # figures for filters other than those asked for would mislead: none are shown
        choices = {"inspectors": _inspectors(instrument)} if instrument.kind == "checklist" else {
            "respondent_items": _respondent_items(definition)}
        return render_template("research/invalid_filters.html", **choices, **context), 400
    if instrument.kind == "checklist":
        return _checklist_page(instrument, filters, timezone, lang, context)
    frame, districts, flagged = load_responses(db.session, instrument.id, filters, timezone,
                                               current_app.extensions["response_tables"])
    query = (request.args.get("q") or "").strip()[:200]
    results = questionnaire_results(frame, definition, flagged_excluded=flagged, districts=districts,
                                    timezone=timezone, comment_query=query, comment_limit=COMMENTS_PER_PAGE,
                                    comment_page=request.args.get("page", 1, type=int))
    respondent_items = _respondent_items(definition)
    return render_template("research/questionnaire.html", results=results, charts=_questionnaire_charts(
        results, definition, lang), comments=results.comments, query=query, respondent_items=respondent_items,
        today=local_today(timezone), min_group=MIN_GROUP, quadrants=quadrant_names(), point_names={p.id: p.name(lang) for p in points},
        **context)


EXPORT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "sav": "application/x-spss-sav"}


@bp.route("/<code>/<any(responses, inspections):kind>.<any(csv, xlsx, sav):fmt>")
@roles_required(*RESEARCH)
def export(code: str, kind: str, fmt: str):
    """The rows the page's figures are computed from, for the filters on the page, as
    `surveyor responses|inspections export CODE --format FMT` writes them (labels in the page's
    language); the file names its filters. Without filters: the command's file."""
    import tempfile
    from pathlib import Path

    from flask import Response

    from ..exports import export_instrument
    from ..results.selection import download_selection
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper())) or abort(404)
    if (instrument.kind == "checklist") != (kind == "inspections"):
        abort(404)
    filters, problems = filters_from(request.args)
    if problems:
        abort(400)
    timezone = current_app.config["DISPLAY_TIMEZONE"]
    selection = download_selection(db.session, instrument, filters, timezone=timezone,
                                   tables=current_app.extensions["response_tables"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{instrument.code}-{kind}.{fmt}"
        export_instrument(db.session, instrument, path, fmt, current_language(), timezone, selection)
        data = path.read_bytes()
    return Response(data, mimetype=EXPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{path.name}"'})


@bp.route("/<code>/report.pdf")
@roles_required(*RESEARCH, "supervisor")
def report_pdf(code: str):
    """The same report as `surveyor report CODE ...`, for the filters on the page."""
    from flask import Response

    from ..reporting.report import build_report
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper())) or abort(404)
    if instrument.kind == "questionnaire" and current_user.role not in RESEARCH:
        abort(403)
    filters, problems = filters_from(request.args)
    if problems:
        abort(400)
    lang = request.args.get("report_lang") if request.args.get("report_lang") in ("fa", "en") else \
        ("en" if current_language() == "en" else "fa")
    pdf = build_report(db.session, instrument, filters, lang, timezone=current_app.config["DISPLAY_TIMEZONE"],
                       action_inspectors=_action_inspectors())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{instrument.code}-report-{lang}.pdf"'})
