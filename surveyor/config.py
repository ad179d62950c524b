"""Every setting Surveyor reads, documented where it is defined, from ``SURVEYOR_*`` variables.

The README's settings table is checked against :data:`SETTINGS` by the test suite, so a
setting cannot be added without being documented.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("production", "demo", "test")


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {text!r}")


@dataclass(frozen=True)
class Setting:
    env: str            # environment variable
    key: str            # Flask config key
    default: object     # None: no default (or computed, see doc)
    parse: Callable
    doc: str


SETTINGS = (
    Setting("SURVEYOR_ENV", "SURVEYOR_ENV", "production", str,
            "`production`, `demo` or `test`. Production refuses to start without a secret key and sends "
            "cookies only over HTTPS; `demo` (used by `make run`) and `test` generate what is missing."),
    Setting("SURVEYOR_SECRET_KEY", "SECRET_KEY", None, str,
            "Signs sessions and CSRF tokens. Required in production: a random string that could not be "
            "guessed in 2^128 tries, the same on every host (`surveyor new-secret-key` prints one). In "
            "demo mode one is generated once and kept in `instance/secret_key`."),
    Setting("SURVEYOR_DATABASE_URL", "SQLALCHEMY_DATABASE_URI", None, str,
            "SQLAlchemy URL of the database. Default: SQLite (WAL mode) at `instance/surveyor.sqlite3`. "
            "PostgreSQL: `postgresql+psycopg://user:password@host:5432/surveyor`."),
    Setting("SURVEYOR_INSTANCE_PATH", "INSTANCE_PATH", None, str,
            "Folder for the SQLite database, the demo secret key and uploaded files. Default: `instance/` "
            "in the project folder."),
    Setting("SURVEYOR_INSTRUMENTS_DIR", "INSTRUMENTS_DIR", str(PROJECT_ROOT), str,
            "Folder holding `questionnaires/` and `checklists/`, read by `surveyor instruments sync`."),
    Setting("SURVEYOR_DEFAULT_LANGUAGE", "BABEL_DEFAULT_LOCALE", "fa", str,
            "Language of a first visit: `fa`, `ar` or `en`. Visitors can switch on every page."),
    Setting("SURVEYOR_TIMEZONE", "DISPLAY_TIMEZONE", "Asia/Tehran", str,
            "Time zone in which stored UTC timestamps are shown (always with Jalali dates)."),
    Setting("SURVEYOR_SESSION_HOURS", "SESSION_HOURS", 24, int,
            "How long a staff login lasts, counted from the moment of logging in: using the app does not "
            "extend it (a day in the field). Logging out, a password change or reset and a deactivation end "
            "every session of the account before that."),
    Setting("SURVEYOR_LOGIN_ACCOUNT_LIMIT", "LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes", str,
            "Failed logins on one account from one client (a browser that has logged in to that account "
            "before, otherwise a network address) per period; that client is then refused for that account, "
            "whatever the password, until the period ends. Other clients are not affected."),
    Setting("SURVEYOR_LOGIN_ACCOUNT_CEILING", "LOGIN_ACCOUNT_CEILING", "100 per hour", str,
            "Failed logins on one account from all clients together per period; beyond it, only browsers "
            "that have logged in to that account before may try it until the period ends."),
    Setting("SURVEYOR_LOGIN_RATE_LIMIT", "LOGIN_RATE_LIMIT", "20 per 10 minutes", str,
            "Failed logins accepted from one network address per period, whichever accounts they try; "
            "further attempts get a 429 until the period ends. Successful logins do not count."),
    Setting("SURVEYOR_ONE_TIME_PASSWORD_HOURS", "ONE_TIME_PASSWORD_HOURS", 72, int,
            "How long a one-time password (from `users create` or `users reset-password`) can be used "
            "for a first login; after that the user asks an administrator for a new one."),
    Setting("SURVEYOR_SECURE_COOKIES", "SESSION_COOKIE_SECURE", None, _bool,
            "Send session cookies over HTTPS only. Default: on in production, off in demo and test."),
    Setting("SURVEYOR_PROXY_COUNT", "PROXY_COUNT", 0, int,
            "Number of reverse proxies in front of the app whose `X-Forwarded-*` headers are trusted "
            "(1 behind a single nginx)."),
    Setting("SURVEYOR_PUBLIC_URL", "PUBLIC_URL", None, str,
            "Address citizens reach the app at, used in survey links, QR codes and posters "
            "(for example `https://nazar.example.ir`). Unset outside production: the address `make run` "
            "last served the demo on (kept in `instance/public_url`), else `http://127.0.0.1:5000` "
            "(see surveyor/public_url.py)."),
    Setting("SURVEYOR_REDIS_URL", "REDIS_URL", None, str,
            "Redis for rate-limit counters shared by every worker and host (`redis://127.0.0.1:6379/0`). "
            "Without it each process counts on its own, which is fine for one host."),
    Setting("SURVEYOR_SURVEY_PAGE_HOURS", "SURVEY_PAGE_HOURS", 6, int,
            "How long a survey page can be sent after it was opened. A page sent later is shown again, "
            "with the answers kept, to be sent once more."),
    Setting("SURVEYOR_SURVEY_PAGE_LIMIT", "SURVEY_PAGE_LIMIT", "300 per hour", str,
            "Survey pages served to one network address (IPv6: one /64), all links together, per period; "
            "beyond it a page asks to try again later."),
    Setting("SURVEYOR_SURVEY_ADDRESS_LIMIT", "SURVEY_ADDRESS_LIMIT", "10 per hour; 30 per day", str,
            "Survey responses from one address through one link that are counted in results per period; "
            "further ones are stored but flagged `address_burst` (excluded from results unless included)."),
    Setting("SURVEYOR_SURVEY_NETWORK_LIMIT", "SURVEY_NETWORK_LIMIT", "30 per hour; 100 per day", str,
            "The same for one network (IPv4 /24, IPv6 /48) through one link; beyond it `network_burst`."),
    Setting("SURVEYOR_SURVEY_ADDRESS_CEILING", "SURVEY_ADDRESS_CEILING", "120 per hour; 500 per day", str,
            "Survey responses accepted from one address through one link per period; further ones are "
            "refused (429, the answers stay on the page). High on purpose: many people share one address "
            "on hotel, shrine and mobile networks, and they are flagged rather than refused."),
    Setting("SURVEYOR_LINK_BURST_LIMIT", "LINK_BURST_LIMIT", "300 per hour", str,
            "Survey responses through one link counted in results per period, whoever sends them; "
            "further ones are stored but flagged `link_burst`."),
    Setting("SURVEYOR_LINK_RATE_LIMIT", "LINK_RATE_LIMIT", "120 per minute", str,
            "Survey responses accepted through one link per period; further ones are refused (429, the "
            "answers stay on the page). Only posts of a genuine page of that link count."),
    Setting("SURVEYOR_SURVEY_INVALID_LIMIT", "SURVEY_INVALID_LIMIT", "60 per hour", str,
            "Survey posts without a genuine page (forged, expired, another link's, an unknown link) accepted "
            "from one address per period; further ones are refused with a 429."),
    Setting("SURVEYOR_MIN_INSPECTIONS", "MIN_INSPECTIONS", 5, int,
            "Fewest inspections of other teams a checklist figure is shown for to a supervisor (k-anonymity): "
            "a site, district, month, item or whole selection holding fewer is replaced by \"too few inspections "
            "to show (n = 2)\", so that no single inspection can be read through a filter. Inspections of the "
            "supervisor's own team do not count. At least 2 (see `surveyor/results/disclosure.py`)."),
    Setting("SURVEYOR_MIN_RESPONSES", "MIN_RESPONSES", 30, int,
            "Fewest responses a questionnaire figure is shown for: below it the overall mean, a district, a "
            "month, a test or a change reads \"too few responses (n = 2)\" instead of a number. 30 by default: "
            "at 30 answers with the usual spread (1 point) a 1-5 mean's 95% interval is already +-0.37, wider "
            "below, and the t interval leans on a normality that few answers on a short scale do not have. At least 2 (see "
            "`surveyor/results/minimum.py`)."),
    Setting("SURVEYOR_PHOTO_DIR", "PHOTO_DIR", None, str,
            "Folder for inspection photos (content-addressed JPEGs and thumbnails). Default: "
            "`instance/photos`. Share it between hosts (NFS) when there are several."),
    Setting("SURVEYOR_PHOTO_MAX_MB", "PHOTO_MAX_MB", 12, int,
            "Largest photo accepted from a tablet, in megabytes, before re-encoding. A whole request "
            "may carry 16 such photos; anything larger is refused with a 413."),
    Setting("SURVEYOR_MAX_PHOTO_PIXELS", "MAX_PHOTO_PIXELS", 25_000_000, int,
            "Most pixels (width × height) a photo may have, read from its header before it is decoded: "
            "decoding costs memory and time by pixels, not bytes, so a small file of 9999 × 9999 pixels "
            "is refused at once. 25 million pixels leaves room for any phone camera (a 108 MP sensor "
            "saves 12 MP by default) and bounds one photo to about 75 MB while decoding. Pillow's own "
            "decompression-bomb check refuses more than 50 million whatever this says."),
    Setting("SURVEYOR_LOG_LEVEL", "LOG_LEVEL", "INFO", str,
            "Logging level: `DEBUG`, `INFO`, `WARNING` or `ERROR`."),
    # Branding (surveyor/branding.py): shown in the page header, on posters and on report covers.
    Setting("SURVEYOR_CITY_NAME_FA", "CITY_NAME_FA", "شهر نمونه", str,
            "The city's name in Persian, in the page header, on posters and on report covers. The default "
            "«شهر نمونه» (Sample City) is the demo's, clearly no real city."),
    Setting("SURVEYOR_CITY_NAME_AR", "CITY_NAME_AR", None, str,
            "The city's name in Arabic. Default: the Persian name (the demo's «المدينة النموذجية» while the "
            "Persian one is the demo's)."),
    Setting("SURVEYOR_CITY_NAME_EN", "CITY_NAME_EN", None, str,
            "The city's name in English. Default: the Persian name (the demo's \"Sample City\" while the "
            "Persian one is the demo's)."),
    Setting("SURVEYOR_OFFICE_NAME_FA", "OFFICE_NAME_FA", "دفتر پژوهش و نوآوری شهرداری", str,
            "The name of the office that runs the surveys, in Persian, beside the city's name."),
    Setting("SURVEYOR_OFFICE_NAME_AR", "OFFICE_NAME_AR", None, str,
            "The office's name in Arabic. Default: the Persian name (the demo's while that is the demo's)."),
    Setting("SURVEYOR_OFFICE_NAME_EN", "OFFICE_NAME_EN", None, str,
            "The office's name in English. Default: the Persian name (the demo's while that is the demo's)."),
    Setting("SURVEYOR_LOGO", "LOGO", None, str,
            "Path of the logo: an SVG or PNG file of at most 2 MB, served by the app itself (`/branding/logo`) "
            "and drawn on posters and report covers. Checked at start-up: a missing or unreadable file, "
            "or one that is not SVG or PNG, stops the start with a message. Default: a neutral sample logo "
            "(`surveyor/static/branding/sample-logo.svg`)."),
)


class ConfigurationError(RuntimeError):
    """The app cannot start with the settings it was given; the message says which and why."""


def read_settings(environ=os.environ) -> dict:
    """Flask config values from the environment, parsed, with defaults filled in."""
    values = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw == "":
            values[setting.key] = setting.default
            continue
        try:
            values[setting.key] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{setting.env}: {exc}") from None
    if values["SURVEYOR_ENV"] not in ENVIRONMENTS:
        raise ConfigurationError(f"SURVEYOR_ENV must be one of {', '.join(ENVIRONMENTS)}, "
                                 f"got {values['SURVEYOR_ENV']!r}")
    return values


def finish_config(config: dict, instance_path: Path) -> None:
    """Fill the settings whose defaults depend on the environment and the instance folder."""
    env = config["SURVEYOR_ENV"]
    if not config.get("SECRET_KEY"):
        if env == "production":
            raise ConfigurationError(
                "SURVEYOR_SECRET_KEY is not set. Production needs a long random secret: the output of "
                "`surveyor new-secret-key`. "
                "For a local try-out run `make run` (demo mode) instead.")
        config["SECRET_KEY"] = _demo_secret(instance_path) if env == "demo" else secrets.token_urlsafe(32)
    elif env == "production":
        _check_secret_strength(config["SECRET_KEY"])
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'surveyor.sqlite3'}"
    if not config.get("PHOTO_DIR"):
        config["PHOTO_DIR"] = str(instance_path / "photos")
    from .public_url import resolve as resolve_public_url

    resolve_public_url(config, instance_path)
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = env == "production"
    if config["BABEL_DEFAULT_LOCALE"] not in ("fa", "ar", "en"):
        raise ConfigurationError("SURVEYOR_DEFAULT_LANGUAGE must be fa, ar or en")
    if config["MIN_INSPECTIONS"] < 2:
        raise ConfigurationError("SURVEYOR_MIN_INSPECTIONS must be at least 2: one inspection is one inspector's")
    if config["MIN_RESPONSES"] < 2:
        raise ConfigurationError("SURVEYOR_MIN_RESPONSES must be at least 2: one response has no interval")
    _check_limits(config)
    _finish_branding(config)


def _finish_branding(config: dict) -> None:
    """Arabic and English names default to the Persian ones (the demo's sample names while the
    Persian one is the demo's); the logo must be a readable SVG or PNG file."""
    from .branding import SAMPLE_CITY, SAMPLE_LOGO, SAMPLE_OFFICE, LogoError, check_logo

    for key, sample in (("CITY_NAME", SAMPLE_CITY), ("OFFICE_NAME", SAMPLE_OFFICE)):
        persian = (config.get(f"{key}_FA") or "").strip()
        if not persian:
            raise ConfigurationError(f"SURVEYOR_{key}_FA must not be empty: it is printed on every poster and report")
        for lang in ("AR", "EN"):
            if not config.get(f"{key}_{lang}"):
                config[f"{key}_{lang}"] = sample[lang.lower()] if persian == sample["fa"] else persian
    try:
        config["LOGO"] = str(check_logo(config.get("LOGO") or SAMPLE_LOGO))
    except LogoError as exc:
        raise ConfigurationError(f"SURVEYOR_LOGO: {exc}. Name an SVG or PNG file, or unset it for the "
                                 "sample logo.") from None


def _check_secret_strength(key: str) -> None:
    """Refuse a production secret that could be guessed (see :mod:`surveyor.secret_keys`).

    Anyone who knows the key can forge a staff session, so a placeholder such as ``change-me``,
    a phrase or a repeated piece must not start a production server.
    """
    from .secret_keys import MIN_SECRET_BITS, estimated_bits

    if estimated_bits(key) < MIN_SECRET_BITS:
        raise ConfigurationError(
            f"SURVEYOR_SECRET_KEY is too weak: it could be guessed in fewer than 2^{MIN_SECRET_BITS} tries "
            "(words, years, sequences and repeats are what guessing starts with). Use the output of "
            "`surveyor new-secret-key`.")


SURVEY_RATE_SETTINGS = ("SURVEY_PAGE_LIMIT", "SURVEY_ADDRESS_LIMIT", "SURVEY_NETWORK_LIMIT",
                        "SURVEY_ADDRESS_CEILING", "LINK_BURST_LIMIT", "LINK_RATE_LIMIT", "SURVEY_INVALID_LIMIT")


def _check_limits(config: dict) -> None:
    """A rate-limit setting that cannot be read names its variable at startup, not at the first login."""
    from limits import parse_many

    for setting in SETTINGS:
        if (setting.key.startswith("LOGIN_") or setting.key in SURVEY_RATE_SETTINGS) \
                and isinstance(config.get(setting.key), str):
            try:
                parse_many(config[setting.key])
            except ValueError:
                raise ConfigurationError(f"{setting.env}: expected a rate such as '5 per 15 minutes', "
                                         f"got {config[setting.key]!r}") from None


def _demo_secret(instance_path: Path) -> str:
    """A secret kept in the instance folder so demo sessions survive a restart."""
    path = instance_path / "secret_key"
    instance_path.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
