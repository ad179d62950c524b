"""Whose app this is: the city's and the office's names in each language and their logo, as the
settings name them (``SURVEYOR_CITY_NAME_FA`` ...), shown in the page header, on posters and on
report covers.

The logo is checked when the app starts, so that a missing or wrong file stops the start with a
message naming the setting, rather than breaking the first page or poster that shows it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

LANGUAGES = ("fa", "ar", "en")
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
LOGO_MAX_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SAMPLE_LOGO = Path(__file__).resolve().parent / "static" / "branding" / "sample-logo.svg"

# The demo's names: clearly no real city, so that nobody mistakes a demo poster for an official one.
SAMPLE_CITY = {"fa": "شهر نمونه", "ar": "المدينة النموذجية", "en": "Sample City"}
SAMPLE_OFFICE = {"fa": "دفتر پژوهش و نوآوری شهرداری", "ar": "مكتب البحث والابتكار في البلدية",
                 "en": "Municipal Research and Innovation Office"}


class LogoError(ValueError):
    """The logo file cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Branding:
    """The names per language (``fa`` always set; a missing language falls back to Persian) and
    the logo, an SVG or PNG file checked by :func:`check_logo`."""

    city: Mapping[str, str]
    office: Mapping[str, str]
    logo: Path = field(default=SAMPLE_LOGO)

    def __post_init__(self):
        for name in ("city", "office"):
            names = {lang: text.strip() for lang, text in dict(getattr(self, name)).items() if text and text.strip()}
            if "fa" not in names:
                raise ValueError(f"the {name}'s Persian name is required")
            object.__setattr__(self, name, MappingProxyType(names))

    def city_name(self, lang: str) -> str:
        return self.city.get(lang) or self.city["fa"]

    def office_name(self, lang: str) -> str:
        return self.office.get(lang) or self.office["fa"]

    @property
    def logo_type(self) -> str:
        return LOGO_TYPES[self.logo.suffix.lower()]


def check_logo(path: Path | str) -> Path:
    """``path`` as an absolute path if it is a readable SVG or PNG file of at most 2 MB;
    :class:`LogoError` with the reason otherwise."""
    path = Path(path).expanduser().resolve()
    if path.suffix.lower() not in LOGO_TYPES:
        raise LogoError(f"{path} is not an SVG or PNG file (its name must end in .svg or .png)")
    if not path.is_file():
        raise LogoError(f"{path} does not exist (or is not a file)")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise LogoError(f"{path} cannot be read: {exc.strerror}") from None
    if size > LOGO_MAX_BYTES:
        raise LogoError(f"{path} is {size:,} bytes; a logo may have at most {LOGO_MAX_BYTES:,}")
    if path.suffix.lower() == ".png":
        if not head.startswith(PNG_SIGNATURE):
            raise LogoError(f"{path} is named .png but is not a PNG image")
    elif not _is_svg(path):
        raise LogoError(f"{path} is named .svg but is not an SVG image (its first element must be <svg>)")
    return path


def _is_svg(path: Path) -> bool:
    """Whether the file's root element is ``<svg>``; entities and DTDs are refused unread."""
    import xml.etree.ElementTree as ElementTree

    text = path.read_bytes()
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        return False
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def branding_from_config(config: Mapping) -> Branding:
    """The branding the settings name (see :data:`surveyor.config.SETTINGS`)."""
    return Branding(city={lang: config.get(f"CITY_NAME_{lang.upper()}") for lang in LANGUAGES},
                    office={lang: config.get(f"OFFICE_NAME_{lang.upper()}") for lang in LANGUAGES},
                    logo=Path(config["LOGO"]))


def current_branding() -> Branding:
    """The running app's branding (made once at start-up by :func:`init_app`)."""
    from flask import current_app
    return current_app.extensions["branding"]


def init_app(app) -> None:
    app.extensions["branding"] = branding_from_config(app.config)

    @app.context_processor
    def branding_context():
        return {"branding": app.extensions["branding"]}
