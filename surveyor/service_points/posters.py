"""Printable QR posters for survey links (the PDF itself is drawn by surveyor.reporting.posters)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..models import SurveyLink, utcnow

if TYPE_CHECKING:
    from ..reporting.posters import Poster

LANGUAGES = ("fa", "ar", "en")


def survey_url(token: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/s/{token}"


def _texts(message) -> dict[str, str]:
    """``message()`` (a gettext call) in each language."""
    texts = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            texts[lang] = message()
    return texts


def poster_for(link: SurveyLink) -> Poster:
    from ..reporting.posters import Poster  # qrcode and ReportLab load when a poster is made

    from ..branding import current_branding
    from ..i18n import current_language

    branding = current_branding()
    definition = link.instrument.latest.definition
    point = link.service_point
    return Poster(
        heading=_texts(lambda: _("%(office)s, %(city)s: citizen satisfaction survey",
                                 office=branding.office_name(current_language()),
                                 city=branding.city_name(current_language()))),
        logo=str(branding.logo),
        instrument_title=definition["title"],
        # Only the names the point really has: a missing one must not print the Persian twice.
        point_name={lang: getattr(point, f"name_{lang}") for lang in LANGUAGES if getattr(point, f"name_{lang}")},
        languages=tuple(definition["languages"]),
        district=point.district,
        url=survey_url(link.token),
        call_to_action=_texts(lambda: _("Scan this code and tell us what you think in one minute.")))


def posters_for(links: list[SurveyLink], size: str = "A4") -> bytes:
    """One PDF with a poster per link, in the order given. Each link is stamped as printed
    (``poster_printed_at``, for the administrator's setup checklist); the caller commits."""
    from ..reporting.posters import posters_pdf

    pdf = posters_pdf([poster_for(link) for link in links], size=size)
    now = utcnow()
    for link in links:
        link.poster_printed_at = now
    return pdf
