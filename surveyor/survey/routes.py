"""`/s/<token>`: the survey page a QR code opens, its submission and the thank-you page."""
from __future__ import annotations

import datetime as dt
import time

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ..extensions import csrf, db, limiter
from ..forms.survey import HONEYPOT, answers_from, survey_form_class
from ..i18n import localized
from ..instruments.versions import latest_version_id, version_definition
from ..models import Response, SurveyLink
from ..responses import VersionRef, record_response
from . import bp, tokens
from .abuse import device_hash, quality_flags
from .lookup import LinkState, link_state

DEFAULT_LANGUAGE = "fa"
# One round trip: is this page already stored (a retry), and has this device answered here
# today (the device hash changes daily)? Built once; it runs on every submission.
_STORED_AND_SEEN = select(
    select(Response.id).where(Response.client_id == bindparam("client_id")).exists(),
    select(Response.id).where(Response.device_hash == bindparam("device"),
                              Response.link_id == bindparam("link_id")).exists())
LANGUAGES = ("fa", "ar", "en")


def _device() -> str:
    return device_hash(current_app.config["SECRET_KEY"], dt.date.today(), request.remote_addr or "",
                       request.headers.get("User-Agent", ""))


def _language(languages) -> str:
    asked = request.args.get("lang")
    return asked if asked in languages else DEFAULT_LANGUAGE


def _message(status: int, title: str, text: str, lang: str):
    return render_template("survey/message.html", title=title, text=text, survey_lang=lang), status


def _find_link(token: str) -> SurveyLink | None:
    return db.session.scalar(select(SurveyLink).where(SurveyLink.token == token))


def _latest(link: SurveyLink | LinkState) -> VersionRef:
    version_id = latest_version_id(link.instrument_id)
    return VersionRef(version_id, link.instrument_id, version_definition(version_id)[1])


def _signed_version(link: LinkState) -> tuple[tokens.FormToken | None, VersionRef | None]:
    """The page's token and the version it was rendered from, if both are genuine and this link's."""
    signed = tokens.read(current_app.config["SECRET_KEY"], request.form.get("form_token", ""))
    found = version_definition(signed.version_id) if signed else None
    if found is None or signed.link_id != link.id or found[0] != link.instrument_id:
        return None, None
    return signed, VersionRef(signed.version_id, found[0], found[1])


def _render_page(state: LinkState, version: VersionRef, form, form_token, lang, status=200):
    definition = version.definition
    link = db.session.get(SurveyLink, state.id)
    return render_template(
        "survey/page.html", link=link, definition=definition, form=form, form_token=form_token,
        survey_lang=lang, point_name=link.service_point.name(lang), honeypot=HONEYPOT,
        items=definition["items"]), status


@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt  # the page carries its own signed token; citizens get no session cookie
@limiter.limit(lambda: current_app.config["SURVEY_RATE_LIMIT"], key_func=lambda: "device:" + _device(),
               methods=["POST"])
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"],
               key_func=lambda: "link:" + (request.view_args or {}).get("token", ""), methods=["POST"])
def take(token: str):
    link = link_state(db.session, token, dt.date.today())
    if link is None:
        lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else DEFAULT_LANGUAGE
        with force_locale(lang):
            return _message(404, _("Survey not found"), _(
                "This survey link is not known. Please check the address, or scan the code on the poster again."),
                lang)
    signed, version = _signed_version(link) if request.method == "POST" else (None, None)
    shown = version or _latest(link)
    lang = _language(shown.definition["languages"])
    with force_locale(lang):
        if link.retired:
            return _message(410, _("This link has been replaced"), _(
                "This survey link is no longer used. Please scan the code on the current poster at this place. "
                "Thank you for wanting to help."), lang)
        if not link.collecting:
            return _message(403, _("This survey is not open now"), _(
                "This survey is not collecting answers at the moment. Thank you for your interest; "
                "please try again another time."), lang)
        if request.method == "GET":
            form_token = tokens.issue(current_app.config["SECRET_KEY"], shown.id, link.id)
            return _render_page(link, shown, survey_form_class(shown.id, lang)(), form_token, lang)
        if version is None:
            # A page we did not make (or another link's): show the current questions again.
            form = survey_form_class(shown.id, lang)(request.form)
            form_token = tokens.issue(current_app.config["SECRET_KEY"], shown.id, link.id)
            return _render_page(link, shown, form, form_token, lang, status=400)
        return _submit(link, signed, version, lang)


def _submit(link: LinkState, signed: tokens.FormToken, version: VersionRef, lang: str):
    thanks = redirect(url_for("survey.thanks", token=link.token, lang=lang), 303)
    device = _device()
    stored, seen_today = db.session.execute(
        _STORED_AND_SEEN, {"client_id": signed.client_id, "device": device, "link_id": link.id}).one()
    if stored:
        return thanks  # already stored: a retry or a double click
    form = survey_form_class(version.id, lang)(request.form)
    if not form.validate():
        return _render_page(link, version, form, request.form["form_token"], lang, status=400)
    answers = answers_from(form, version.definition)
    flags = quality_flags(version.definition, answers, time.time() - signed.started, seen_today)
    if form[HONEYPOT].data:
        flags.append("honeypot")
    record_response(db.session, version, answers, client_id=signed.client_id, channel="qr", language=lang,
                    service_point_id=link.service_point_id, link_id=link.id, device_hash=device,
                    started_at=dt.datetime.fromtimestamp(signed.started, dt.timezone.utc), quality_flags=flags,
                    load=False)
    return thanks


@bp.route("/s/<token>/thanks")
def thanks(token: str):
    link = _find_link(token)
    if link is None:
        abort(404)
    definition = _latest(link).definition
    lang = _language(definition["languages"])
    with force_locale(lang):
        text = localized(definition.get("thank_you"), lang) or _("Thank you for your answers.")
        return _message(200, _("Thank you"), text, lang)
