"""The one formatting layer: digits, numbers and Jalali dates for each display language.

Everything shown to a person goes through here, so that Persian pages show «۱۴۰۳/۰۸/۱۵» and
«۴٫۲», Arabic pages «٤٫٢», and English pages plain ASCII. Timestamps are stored in UTC and
converted to the display time zone here, never in templates.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jdatetime

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
_TO_ARABIC = str.maketrans("0123456789", ARABIC_INDIC_DIGITS)
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)

RTL_LANGUAGES = frozenset({"fa", "ar"})

# Decimal and thousands separators as each language writes them (Persian: «٫» and «٬»).
_SEPARATORS = {"fa": ("٫", "٬"), "ar": ("٫", "٬"), "en": (".", ",")}

JALALI_MONTHS = {
    "fa": ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
           "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    "ar": ["فروردين", "أرديبهشت", "خرداد", "تير", "مرداد", "شهريور",
           "مهر", "آبان", "آذر", "دي", "بهمن", "إسفند"],
    "en": ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
           "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand"],
}


def text_direction(lang: str) -> str:
    """``rtl`` for Persian and Arabic, ``ltr`` otherwise."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def localize_digits(text, lang: str) -> str:
    """Write the ASCII digits in ``text`` as the language writes them."""
    text = str(text)
    if lang == "fa":
        return text.translate(_TO_PERSIAN)
    if lang == "ar":
        return text.translate(_TO_ARABIC)
    return text


def ascii_digits(text: str) -> str:
    """Turn Persian and Arabic-Indic digits typed by a user into ASCII digits."""
    return str(text).translate(_TO_ASCII)


def format_number(value, lang: str, decimals: int = 0) -> str:
    """A number with the language's digits, decimal sign and thousands grouping.

    >>> format_number(12345.678, "fa", 1)
    '۱۲٬۳۴۵٫۷'
    """
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    decimal_sign, group_sign = _SEPARATORS.get(lang, _SEPARATORS["en"])
    text = text.replace(",", "\x00").replace(".", decimal_sign).replace("\x00", group_sign)
    if text.startswith("-") and lang in RTL_LANGUAGES:
        # A real minus sign, anchored left to right by LRM so that it stays before the digits
        # in right-to-left text («−۵۲٫۵», not «۵۲٫۵−»).
        text = "\u200e\u2212" + text[1:]
    return localize_digits(text, lang)


def format_percent(value, lang: str, decimals: int = 0) -> str:
    """A percentage with the language's percent sign: «۸۵٪», «85%»."""
    if value is None:
        return ""
    return format_number(value, lang, decimals) + ("٪" if lang in RTL_LANGUAGES else "%")


def local_today(timezone: str) -> dt.date:
    """Today's date in the display time zone (a server on UTC is three and a half hours
    behind Tehran: its own date is yesterday's for the first hours of each Iranian day)."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def to_local(moment: dt.datetime, timezone: str) -> dt.datetime:
    """Convert a stored UTC timestamp (naive means UTC) to the display time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(ZoneInfo(timezone))


def jalali_month_label(year: int, month: int, lang: str) -> str:
    """«آبان ۱۴۰۳», «Aban 1403»."""
    return f"{JALALI_MONTHS[lang][month - 1]} {localize_digits(year, lang)}"


def jalali_date(moment: dt.date | dt.datetime, lang: str, timezone: str = "Asia/Tehran",
                style: str = "numeric") -> str:
    """A date in the Solar Hijri calendar: «۱۴۰۳/۰۸/۱۵» (numeric) or «۱۵ آبان ۱۴۰۳» (long)."""
    if isinstance(moment, dt.datetime):
        moment = to_local(moment, timezone).date()
    jd = jdatetime.date.fromgregorian(date=moment)
    if style == "long":
        text = f"{jd.day} {JALALI_MONTHS[lang][jd.month - 1]} {jd.year}"
    elif style == "month":
        text = f"{JALALI_MONTHS[lang][jd.month - 1]} {jd.year}"
    else:
        text = f"{jd.year:04d}/{jd.month:02d}/{jd.day:02d}"
    return localize_digits(text, lang)


def jalali_datetime(moment: dt.datetime, lang: str, timezone: str = "Asia/Tehran") -> str:
    """Date and time of day in the display time zone: «۱۴۰۳/۰۸/۱۵ ۱۴:۰۵»."""
    local = to_local(moment, timezone)
    return f"{jalali_date(local.date(), lang)} {localize_digits(local.strftime('%H:%M'), lang)}"


def parse_jalali_date(text: str) -> dt.date:
    """Parse «1403/07/01» (any digits) into a Gregorian date; ValueError with the reason if invalid."""
    parts = ascii_digits(text).strip().replace("-", "/").split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a Jalali date as YYYY/MM/DD, got {text!r}")
    year, month, day = (int(p) for p in parts)
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid Jalali date: {exc}") from None
