"""Text folded for searching, the same in Python and in SQL: Arabic and Persian letter forms
alike, the zero-width non-joiner and the tatweel ignored, Latin letters in lower case, and any
digits (Persian, Arabic-Indic or ASCII) matching each other.

A phone keyboard set to Arabic types «ي» and «ك» for the Persian «ی» and «ک»; people type or
leave out the zero-width non-joiner at will («می‌شود», «میشود»); a number may be typed with
either digits. :func:`search_key` folds what the user typed, :func:`search_key_sql` folds a
column the same way inside the query (nested ``replace()``, which SQLite and PostgreSQL both
have), and :func:`matches_sql` compares them with one ``LIKE`` per way of writing the digits,
so a search runs in the database and its matches can be counted and paged there. (The digits
are not folded in SQL: twenty more nested ``replace()`` calls overflow SQLite's parser.)
"""
from __future__ import annotations

from sqlalchemy import func, or_

# What each letter becomes ("": dropped). The same table as the comment search of the results
# pages (surveyor.results.questionnaire.searchable).
LETTER_FOLDS: dict[str, str] = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": "", "\u0640": ""}
_LETTERS = str.maketrans({source: target or None for source, target in LETTER_FOLDS.items()})
ASCII_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)


def search_key(text: str) -> str:
    """``text`` folded for searching, digits as ASCII, runs of white space made single spaces.

    >>> search_key(" كتاب‌ها  ۱۲ ")
    'کتابها 12'
    """
    return " ".join(str(text).lower().translate(_LETTERS).translate(_TO_ASCII).split())


def search_key_sql(column):
    """A SQL expression of ``column`` with its letters folded as :func:`search_key` folds them
    (a missing value reads as empty); its digits and white space are left as stored."""
    expression = func.lower(func.coalesce(column, ""))
    for source, target in LETTER_FOLDS.items():
        expression = func.replace(expression, source, target)
    return expression


def matches_sql(column, text: str):
    """SQL for "``column`` holds ``text``", both folded, whichever digits either is written in."""
    key = search_key(text)
    folded = search_key_sql(column)
    ways = dict.fromkeys([key, key.translate(str.maketrans(ASCII_DIGITS, PERSIAN_DIGITS)),
                          key.translate(str.maketrans(ASCII_DIGITS, ARABIC_DIGITS))])
    return or_(*(folded.contains(way, autoescape=True) for way in ways))
