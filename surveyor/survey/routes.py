"""`/s/<token>`: the survey page a QR code opens, its submission and the thank-you page.

A submission that fits (the usual case) is read straight from the posted data by the version's
answer rules, checked against the link and the database in one query, and stored in one
transaction; no form object, session cookie or translation is touched on that path. The
WTForms form (the same rules) is built only to show the page, or the answers that need fixing.
"""
from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

from flask import abort, current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import csrf, db
from ..formatting import local_today
from ..forms.survey import HONEYPOT, UnfitAnswers, answer_rules, parse_answers, survey_form_class
from ..i18n import localized
from ..instruments.versions import latest_version_id, version_definition
from ..models import Answer, Response, SurveyLink
from ..responses import VersionRef
from ..service_points.links import is_in_use
from ..responses.store import AnswerError, check_answers, store_response, submission_connection
from . import bp, tokens
from .abuse import SurveyLimits, allow_invalid_post, allow_page, device_hash, judge_submission, quality_flags
from .lookup import LinkState, SubmissionState, link_state, submission_state

DEFAULT_LANGUAGE = "fa"
LANGUAGES = ("fa", "ar", "en")


def _today() -> dt.date:
    """Tehran's day (the display time zone), not the server's: collection windows are dates
    there, and the admin page shows a link open or closed by this day too."""
    return local_today(current_app.config["DISPLAY_TIMEZONE"])


def _device() -> str:
    """This request's device hash, computed once per request (the rate-limit key and the stored
    row); kept in the WSGI environ, which, unlike ``g``, never outlives the request. The hash
    turns over at midnight in the display time zone (Tehran), the day staff read "same device
    today" in, not at the server's (UTC) midnight, 3.5 hours later."""
    environ = request.environ
    device = environ.get("surveyor.device_hash")
    if device is None:
        device = environ["surveyor.device_hash"] = device_hash(
            current_app.config["SECRET_KEY"], _today(), request.remote_addr or "",
            request.headers.get("User-Agent", ""))
    return device


def _limits() -> SurveyLimits:
    return SurveyLimits.from_config(current_app.config)


def _address() -> str:
    return request.remote_addr or ""


def _language(languages=LANGUAGES) -> str:
    """The page's language among ``languages`` (the instrument's): the citizen's choice on the
    language switch (``?lang=``, carried by the form and the thank-you page) wins; otherwise the
    phone's languages (``Accept-Language``, by preference, ``ar-SA`` matching ``ar``); otherwise
    Persian (or the instrument's first language)."""
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    preferred = request.accept_languages.best_match(languages)
    if preferred:
        return preferred
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else languages[0]


def _message(status: int, title: str, text: str, lang: str):
    return render_template("survey/message.html", title=title, text=text, survey_lang=lang), status


def _latest(link: SurveyLink | LinkState) -> VersionRef:
    version_id = latest_version_id(link.instrument_id)
    return VersionRef(version_id, link.instrument_id, version_definition(version_id)[1])


def _for_citizens(version: VersionRef) -> bool:
    """Only questionnaires are answered by citizens: a link that older releases gave to a
    checklist is "not found", never a checklist's page (penetration test, Low 11)."""
    return version.definition["kind"] == "questionnaire"


def _signed_version(link: LinkState, signed: tokens.FormToken | None) -> VersionRef | None:
    """The version the page was rendered from, if its token is genuine and this link's."""
    found = version_definition(signed.version_id) if signed else None
    if found is None or signed.link_id != link.id or found[0] != link.instrument_id:
        return None
    return VersionRef(signed.version_id, found[0], found[1])


def _render_page(state: LinkState, version: VersionRef, form, form_token, lang, status=200, notice=None):
    definition = version.definition
    link = db.session.get(SurveyLink, state.id)
    return render_template(
        "survey/page.html", link=link, definition=definition, form=form, form_token=form_token,
        survey_lang=lang, point_name=link.service_point.name(lang), honeypot=HONEYPOT,
        items=definition["items"], notice=notice), status


def _not_found():
    lang = _language()
    with force_locale(lang):
        return _message(404, _("Survey not found"), _(
            "This survey link is not known. Please check the address, or scan the code on the poster again."),
            lang)


def _refusal(link: LinkState, lang: str):
    """The page explaining why this link takes no answers now, or None when it does."""
    if link.retired and not is_in_use(db.session, link.service_point_id, link.instrument_id):
        with force_locale(lang):
            return _message(410, _("This survey is no longer used here"), _(
                "This survey is no longer in use at this place, so it takes no answers. "
                "Thank you for wanting to help."), lang)
    if link.retired:
        with force_locale(lang):
            return _message(410, _("This link has been replaced"), _(
                "This survey link is no longer used. Please scan the code on the current poster at this place. "
                "Thank you for wanting to help."), lang)
    if not link.collecting:
        with force_locale(lang):
            return _message(403, _("This survey is not open now"), _(
                "This survey is not collecting answers at the moment. Thank you for your interest; "
                "please try again another time."), lang)
    return None


@bp.route("/s/<token>", methods=["GET", "POST"])
@csrf.exempt  # the page carries its own signed token; citizens get no session cookie
def take(token: str):
    return _post(token) if request.method == "POST" else _get(token)


def _get(token: str):
    link = link_state(db.session, token, _today())
    if link is None:
        return _not_found()
    shown = _latest(link)
    if not _for_citizens(shown):
        return _not_found()
    lang = _language(shown.definition["languages"])
    refusal = _refusal(link, lang)
    if refusal is not None:
        return refusal
    secret = current_app.config["SECRET_KEY"]
    with submission_connection(db.engine) as connection:
        if not allow_page(connection, secret, _limits(), _address(), time.time()):
            with force_locale(lang):
                return _message(429, _("Please try again later"), _(
                    "Very many survey pages have been opened from your network in the last hour. "
                    "Please try again in a while. Thank you for wanting to help."), lang)
    with force_locale(lang):
        form_token = tokens.issue(secret, shown.id, link.id)
        return _render_page(link, shown, survey_form_class(shown.id, lang)(), form_token, lang)


def _post(token: str):
    """A submission, checked in this order: the link; a page we made for it (not expired), else
    the questions again, within a per-address limit of such posts; a retry of a stored page is
    thanked at once (counted once); the answers; then the abuse model's counters decide whether
    it is refused (the answers stay on the page) and which burst flags it is stored with."""
    secret, now = current_app.config["SECRET_KEY"], time.time()
    signed = tokens.read(secret, request.form.get("form_token", ""))
    # One connection, no ORM session: read the link's state, count, then store the response.
    with submission_connection(db.engine) as connection:
        state = submission_state(connection, token, _today(), signed.client_id if signed else "", _device())
        if state is None:
            return _not_found()  # one read, nothing counted or kept
        version = _signed_version(state.link, signed)
        shown = version or _latest(state.link)
        if not _for_citizens(shown):
            return _not_found()
        lang = _language(shown.definition["languages"])
        refusal = _refusal(state.link, lang)
        if refusal is not None:
            return refusal
        if version is not None and state.stored:
            if _same_as_stored(connection, signed.client_id, version, request.form.to_dict()):
                return _thanks(state.link, lang)  # a retry or a double click: thanked, counted once
            return _already_received(lang)  # Back, changed answers, sent again: the first ones stay
        expired = version is not None and signed.expired(current_app.config["SURVEY_PAGE_HOURS"], now)
        if version is None or expired:
            if not allow_invalid_post(connection, secret, _limits(), _address(), now):
                # no new page token for posts over the limit, or junk would mint them without limit
                return _show_again(state.link, shown, lang, status=429, notice=_refused_notice,
                                   form_token=request.form.get("form_token", ""))
            return _show_again(state.link, shown, lang, notice=_expired_notice if expired else None)
        posted = request.form.to_dict()  # first values, in a dict: no exception per unanswered item
        try:
            answers = parse_answers(answer_rules(version.definition), posted)
        except UnfitAnswers:
            return _show_problems(state.link, version, lang)
        verdict = judge_submission(connection, secret, _limits(), state.link.id, _address(), now)
        if verdict.refused:
            return _show_refused(state.link, version, lang)
        _store(connection, state, signed, version, lang, answers, posted, verdict.flags)
    return _thanks(state.link, lang)


def _same_as_stored(connection, client_id: str, version: VersionRef, posted: dict) -> bool:
    """Whether ``posted`` are the answers already stored for this page (a retry of the same
    submission), rather than changed ones (the page sent again after Back)."""
    try:
        rows = check_answers(version.definition, parse_answers(answer_rules(version.definition), posted))
    except (UnfitAnswers, AnswerError):
        return False
    given = {tuple(row[name] for name in _STORED_COLUMNS) for row in rows}
    return given == set(connection.execute(_stored_answers(), {"client_id": client_id}).all())


_STORED_COLUMNS = ("item_code", "value_number", "value_text", "dont_know")


@lru_cache(maxsize=1)
def _stored_answers():
    answers, responses = Answer.__table__, Response.__table__
    return (select(*(answers.c[name] for name in _STORED_COLUMNS))
            .join(responses, responses.c.id == answers.c.response_id)
            .where(responses.c.client_id == bindparam("client_id")))


def _already_received(lang: str):
    """The page for answers sent again from a page already stored (after Back, changed or not
    complete): the first answers are kept, whatever was changed, and the page says so. Keeping
    the first is what stops one page from being sent again and again to move a result."""
    with force_locale(lang):
        return _message(409, _("Your answers were already received"), _(
            "This page's answers had already reached us, so we kept the answers you sent first and did not "
            "store the changed ones. Each survey page is counted once. Thank you for your time."), lang)


def _refused_notice() -> str:
    return _("Very many answers have come from your network through this survey in a short time, so yours "
             "could not be taken just now. Your answers are kept below: please send them again in a while.")


def _expired_notice() -> str:
    return _("This page was open for a long time, so it has to be sent once more. Your answers are kept "
             "below: please check them and send them again.")


def _thanks(link: LinkState, lang: str):
    """303 to the thank-you page, without the little HTML page ``redirect()`` adds as a body:
    browsers follow a 303 at once, and an empty body spares a write on every submission."""
    return current_app.response_class(status=303, headers={"Location": _thanks_url(request.script_root,
                                                                                    link.token, lang)})


@lru_cache(maxsize=4096)
def _thanks_url(script_root: str, token: str, lang: str) -> str:
    """The thank-you page's address; the same for every submission through a link and language,
    so it is built once (only links found in the database get here, so the cache stays small)."""
    return url_for("survey.thanks", token=token, lang=lang)


def _show_problems(link: LinkState, version: VersionRef, lang: str):
    """The page again, with each problem next to its question (WTForms, by the same rules)."""
    with force_locale(lang):
        form = survey_form_class(version.id, lang)(request.form)
        form.validate()
        return _render_page(link, version, form, request.form["form_token"], lang, status=400)


def _show_again(link: LinkState, shown: VersionRef, lang: str, status=400, notice=None, form_token=None):
    """A page we did not make (or another link's, or expired): the current questions again, with
    what was posted and a new token unless ``form_token`` is given; ``notice`` (a function, called
    in the page's language) says why."""
    with force_locale(lang):
        form = survey_form_class(shown.id, lang)(request.form)
        if form_token is None:
            form_token = tokens.issue(current_app.config["SECRET_KEY"], shown.id, link.id)
        return _render_page(link, shown, form, form_token, lang, status=status, notice=notice and notice())


def _show_refused(link: LinkState, version: VersionRef, lang: str):
    """A refused submission: the page again with the answers as sent and the same token (the
    same client id, so sending it again later is still counted once), and why, in its language."""
    with force_locale(lang):
        form = survey_form_class(version.id, lang)(request.form)
        return _render_page(link, version, form, request.form["form_token"], lang, status=429,
                            notice=_refused_notice())


def _store(connection, state: SubmissionState, signed: tokens.FormToken, version: VersionRef, lang: str,
           answers: dict, posted: dict, burst_flags=()) -> None:
    """Store the response with its quality and burst flags; committed (durable) when this returns."""
    flags = quality_flags(version.definition, answers, time.time() - signed.started, state.seen_today)
    flags.extend(burst_flags)
    if posted.get(HONEYPOT):
        flags.append("honeypot")
    link = state.link
    store_response(connection, version, answers, client_id=signed.client_id, channel="qr", language=lang,
                   service_point_id=link.service_point_id, link_id=link.id, device_hash=_device(),
                   started_at=dt.datetime.fromtimestamp(signed.started, dt.timezone.utc), quality_flags=flags)


@bp.route("/s/<token>/thanks")
def thanks(token: str):
    link = link_state(db.session, token, _today())
    if link is None:
        abort(404)
    latest = _latest(link)
    if not _for_citizens(latest):
        abort(404)
    definition = latest.definition
    lang = _language(definition["languages"])
    with force_locale(lang):
        text = localized(definition.get("thank_you"), lang) or _("Thank you for your answers.")
        return _message(200, _("Thank you"), text, lang)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A survey post over the anonymous pages' body limit (see surveyor/request_size.py), in the
    survey's language rather than the staff error page."""
    lang = _language()
    with force_locale(lang):
        return _message(413, _("Your answers are too long"), _(
            "What you sent is too large to be a survey page. Please shorten your comments and send again."), lang)


@bp.after_request
def vary_by_language(response):
    """A page without ``?lang=`` is in the phone's language: say so to any cache on the way."""
    if "lang" not in request.args:
        response.vary.add("Accept-Language")
    return response
