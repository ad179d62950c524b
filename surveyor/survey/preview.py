"""Preview as a citizen: the live survey page of a link, for staff, in a mode that stores nothing.

An administrator opens ``/s/<token>/preview?p=<preview token>&lang=<code>`` from the service
point's page. The page is the citizen's own (the same template, questions and checks), with a
banner; it works while collection is closed, and sending it checks the answers and says whether
they would have been accepted, writing nothing: no response, no rate counter, no device record.

Two locks, so that a citizen can neither turn a real link into a preview nor a preview into a
stored answer: the route is for logged-in administrators only, and the preview token is signed
for one link and one administrator, and expires after :data:`PREVIEW_HOURS`. A preview page
carries no survey form token, so its form posted to the real ``/s/<token>`` stores nothing
either (it is treated as a page the server did not make).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..auth.permissions import roles_required
from ..extensions import db
from ..forms.survey import HONEYPOT, survey_form_class
from ..models import SurveyLink
from . import bp
from .lookup import link_state
from .routes import _language, _latest, _message, _not_found, _refusal, _today  # the citizen page's own parts

SALT = "surveyor.survey-preview"
PREVIEW_HOURS = 4  # a point's page left open for a morning still previews; a pasted old link does not
CLOCK_SKEW_SECONDS = 60  # issued on another host whose clock runs ahead (and rounded up to 0.1 s)
PREVIEW_ROLES = ("admin",)  # the roles whose pages offer it (the service point's page)


@dataclass(frozen=True)
class PreviewToken:
    link_id: int
    user_id: int
    issued: float  # Unix time


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(link_id: int, user_id: int, issued: float | None = None) -> str:
    """A preview token for one link and one member of staff."""
    return _serializer().dumps({"l": link_id, "u": user_id,
                                "t": round(issued if issued is not None else time.time(), 1)})


def read(token: str) -> PreviewToken | None:
    """The token's contents, or None when this server did not sign it."""
    try:
        data = _serializer().loads(token or "")
        return PreviewToken(int(data["l"]), int(data["u"]), float(data["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def preview_url(link: SurveyLink, user_id: int, lang: str) -> str:
    return url_for("survey.preview", token=link.token, lang=lang, p=issue(link.id, user_id))


def _valid(token: PreviewToken | None, link_id: int) -> bool:
    return (token is not None and token.link_id == link_id and token.user_id == current_user.id
            and -CLOCK_SKEW_SECONDS <= time.time() - token.issued <= PREVIEW_HOURS * 3600)


@bp.route("/s/<token>/preview", methods=["GET", "POST"])
@roles_required(*PREVIEW_ROLES)
def preview(token: str):
    state = link_state(db.session, token, _today())
    if state is None:
        return _not_found()
    shown = _latest(state)
    if shown.definition["kind"] != "questionnaire":
        return _not_found()
    lang = _language(shown.definition["languages"])
    signed = request.args.get("p", "")
    if not _valid(read(signed), state.id):
        with force_locale(lang):
            return _message(403, _("This preview link cannot be used"), _(
                "Preview links work for the administrator who opened them, for a few hours. Open the preview "
                "again from the service point's page."), lang)
    if state.retired:
        return _refusal(state, lang)  # an old link: the preview shows what its visitors see
    link = db.session.get(SurveyLink, state.id)
    definition = shown.definition
    with force_locale(lang):
        form = survey_form_class(shown.id, lang)(request.form if request.method == "POST" else None)
        status, accepted = 200, False
        if request.method == "POST":
            accepted = form.validate()
            status = 200 if accepted else 400
        return render_template(
            "survey/page.html", link=link, definition=definition, form=form, form_token="", survey_lang=lang,
            point_name=link.service_point.name(lang), honeypot=HONEYPOT, items=definition["items"], notice=None,
            preview=True, preview_accepted=accepted, collecting=state.collecting,
            page_url=lambda code: url_for("survey.preview", token=link.token, lang=code, p=signed)), status
