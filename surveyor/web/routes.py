"""The home page (the instrument library by domain), each instrument's page, and the logo."""
from __future__ import annotations

from flask import abort, render_template, request, send_file
from flask_babel import force_locale
from sqlalchemy import select

from ..auth.permissions import roles_required
from ..branding import current_branding
from ..extensions import db
from ..forms.survey import survey_form_class
from ..i18n import current_language
from ..instruments.catalog import checklist_sections, instruments_by_domain
from ..models import ROLES, Instrument
from . import bp


@bp.route("/")
def home():
    return render_template("web/home.html", domains=instruments_by_domain())


@bp.route("/branding/logo")
def logo():
    """The logo that ``SURVEYOR_LOGO`` names, checked at start-up, served by the app itself (no
    CDN). An SVG opened on its own runs nothing: its answer forbids scripts and sandboxes it."""
    branding = current_branding()
    response = send_file(branding.logo, mimetype=branding.logo_type, max_age=86400, conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/instruments/<code>")
@roles_required(*ROLES)
def instrument(code: str):
    """An instrument as its respondent or inspector sees it, in any of its languages and versions."""
    found = db.session.scalar(select(Instrument).where(Instrument.code == code.upper())) or abort(404)
    number = request.args.get("version", type=int)
    version = next((v for v in found.versions if v.number == number), found.latest) if number else found.latest
    definition = version.definition
    shown_lang = request.args.get("show")
    if shown_lang not in definition["languages"]:
        shown_lang = current_language() if current_language() in definition["languages"] else "fa"
    context = {"instrument": found, "version": version, "definition": definition, "shown_lang": shown_lang}
    if found.kind == "questionnaire":
        with force_locale(shown_lang):
            form = survey_form_class(version.id, shown_lang)()
            preview = render_template("web/questionnaire_preview.html", form=form, items=definition["items"],
                                      **context)
    else:
        with force_locale(shown_lang):
            preview = render_template("web/checklist_preview.html", sections=checklist_sections(definition),
                                      **context)
    return render_template("web/instrument.html", preview=preview, **context)
