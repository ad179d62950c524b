"""Language of each request (fa, ar, en), text direction, and the Jinja filters for display."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, session, url_for
from flask_babel import get_locale, refresh

from . import formatting
from .extensions import babel

LANGUAGES = ("fa", "ar", "en")
LANGUAGE_NAMES = {"fa": "فارسی", "ar": "العربية", "en": "English"}


def select_language() -> str:
    """``?lang=`` switches and remembers the language; otherwise the remembered or default one."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return remembered
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def _switch_url(lang: str) -> str:
    """This page in language ``lang``: the same page and query, with only ``lang`` changed.

    The path is rebuilt from the matched route's own values and the query appended as it came:
    a query parameter is never passed to ``url_for``, where one named like its options
    (``_method``, ``endpoint``, ``_external``) or like a part of the path (``point_id``) made
    every page fail (penetration test, Low 1). A page that no route matched switches on the home
    page, so that a path such as ``//other.site/`` is never written into a link."""
    if request.url_rule is None or request.endpoint is None:
        path = url_for("web.home")
    else:
        path = url_for(request.endpoint, **(request.view_args or {}))
    query = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
    return f"{path}?{urlencode([*query, ('lang', lang)])}"


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_language)

    @app.before_request
    def choose_language_afresh():
        # Flask-Babel caches the locale on the app context, which a request may share with
        # an enclosing one (the CLI, tests); each request chooses its own language.
        refresh()
    tz = app.config["DISPLAY_TIMEZONE"]

    @app.context_processor
    def language_context():
        lang = current_language()
        return {"lang": lang, "dir": formatting.text_direction(lang), "languages": LANGUAGES,
                "language_names": LANGUAGE_NAMES, "switch_language_url": _switch_url}

    app.add_template_filter(lambda value: formatting.localize_digits(value, current_language()), "digits")
    app.add_template_filter(
        lambda value, decimals=0: formatting.format_number(value, current_language(), decimals), "number")
    app.add_template_filter(
        lambda value, decimals=0: formatting.format_percent(value, current_language(), decimals), "percent")
    app.add_template_filter(
        lambda value, style="numeric": formatting.jalali_date(value, current_language(), tz, style), "jdate")
    app.add_template_filter(
        lambda month, year: formatting.jalali_month_label(int(year), int(month), current_language()), "jmonth")
    app.add_template_filter(lambda value: formatting.jalali_datetime(value, current_language(), tz), "jdatetime")
    app.add_template_filter(lambda labels: localized(labels, current_language()), "localized")

    from .display_names import CHANNEL_NAMES, ITEM_ROLE_NAMES, code, date_hint, person
    app.add_template_global(code, "code")
    app.add_template_global(person, "person")
    app.add_template_global(lambda days=0: date_hint(current_language(), days), "date_hint")
    app.add_template_global(CHANNEL_NAMES, "channel_names")
    app.add_template_global(ITEM_ROLE_NAMES, "item_role_names")


def localized(labels: dict | None, lang: str) -> str:
    """The text of a labels object in ``lang``, falling back to Persian, then English."""
    if not labels:
        return ""
    return labels.get(lang) or labels.get("fa") or labels.get("en") or ""
