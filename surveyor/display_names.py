"""Names shown for the app's own codes (channels, item roles) and the template helpers that keep
one language per screen: code-like text marked as such, and date hints that are today's date."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from . import formatting

CHANNEL_NAMES = {
    "qr": _l("QR code"), "link": _l("Link"), "kiosk": _l("Kiosk"), "interview": _l("Interview"),
    "demo": _l("Demo data"),
}

ITEM_ROLE_NAMES = {
    "outcome": _l("overall outcome"), "driver": _l("driver of satisfaction"), "recommend": _l("recommendation"),
    "wait_time": _l("waiting time"), "respondent": _l("about the respondent"), "comment": _l("comment"),
    "check": _l("check"), "site": _l("about the site"),
}


def code(text) -> Markup:
    """``text`` marked as code: an instrument or item code, a username, a file or column name. It
    is kept left to right and out of translation, and the language scan of the tests skips it."""
    return Markup('<code class="code" dir="ltr" translate="no">{}</code>').format(text)


def date_hint(lang: str, days: int = 0) -> str:
    """Today's date (plus ``days``) in the Jalali calendar and ``lang``'s digits: the example a
    date field shows, so that it is never a date years old."""
    import datetime as dt
    today = formatting.local_today(current_app.config["DISPLAY_TIMEZONE"])
    return formatting.jalali_date(today + dt.timedelta(days=days), lang)


def with_numbers(message, **numbers):
    """``message`` (a lazy translation with ``%(name)s`` places) filled with ``numbers`` written
    in the language of the page it is shown on: «دست‌کم ۱۰ نویسه», not «دست‌کم 10 نویسه»."""
    from flask_babel import LazyString

    from .i18n import current_language

    def text():
        lang = current_language()
        return str(message) % {name: formatting.format_number(value, lang) for name, value in numbers.items()}
    return LazyString(text)


def person(user) -> Markup | str:
    """How a member of staff is named on a page: the display name, else the username as code."""
    if user is None:
        return ""
    return user.display_name or code(user.username)


class MarkedMessage:
    """A lazy translation filled with people's or files' own words (usernames, role codes): plain
    text where it is printed (``str``, the command line), and HTML with those words marked as code
    where a page shows it (``__html__``), so that they stay out of the language scan and left to
    right in a right-to-left sentence."""

    def __init__(self, message, **values):
        self.message, self.values = message, values

    def __str__(self) -> str:
        return str(self.message) % {name: str(value) for name, value in self.values.items()}

    def __html__(self) -> Markup:
        return Markup(escape(str(self.message))) % {name: code(value) for name, value in self.values.items()}


def as_html(message) -> Markup:
    """``message`` for a page: a :class:`MarkedMessage` with its words marked, anything else escaped."""
    return Markup(message.__html__()) if hasattr(message, "__html__") else Markup(escape(str(message)))
