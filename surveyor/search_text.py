"""Text folded for searching, the same in Python and in SQL: Arabic and Persian letter forms
alike, the zero-width non-joiner and the tatweel ignored, Latin letters in lower case, and
Persian digits read as ASCII ones.

A phone keyboard set to Arabic types «ي» and «ك» for the Persian «ی» and «ک»; people type or
leave out the zero-width non-joiner at will («می‌شود», «میشود»); a number may be typed with
Persian or Latin digits. :func:`search_key` folds what the user typed (Arabic-Indic digits
too), :func:`search_key_sql` folds a column the same way inside the query (nested
``replace()``, which SQLite and PostgreSQL both have), and :func:`matches_sql` compares them
with one ``LIKE``, so a search runs in the database and its matches can be counted and paged
there. Stored Arabic-Indic digits (٠-٩) are not folded in SQL: ten more nested ``replace()``
calls overflow SQLite's parser, and staff type Persian or Latin digits.
"""
from __future__ import annotations

from sqlalchemy import func

# What each character becomes ("": dropped). The letters are those of the comment search of the
# results pages (surveyor.results.questionnaire.searchable).
FOLDS: dict[str, str] = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": "", "\u0640": "",
                         **{chr(0x06F0 + d): str(d) for d in range(10)}}
_TABLE = str.maketrans({**{source: target or None for source, target in FOLDS.items()},
                        **{chr(0x0660 + d): str(d) for d in range(10)}})


def search_key(text: str) -> str:
    """``text`` folded for searching, digits as ASCII, runs of white space made single spaces.

    >>> search_key(" كتاب‌ها  ۱۲ ")
    'کتابها 12'
    """
    return " ".join(str(text).lower().translate(_TABLE).split())


def search_key_sql(column):
    """A SQL expression of ``column`` folded as :func:`search_key` folds text (a missing value
    reads as empty), its white space left as stored."""
    expression = func.lower(func.coalesce(column, ""))
    for source, target in FOLDS.items():
        expression = func.replace(expression, source, target)
    return expression


def matches_sql(column, text: str):
    """SQL for "``column`` holds ``text``", both folded (``%`` and ``_`` are letters here)."""
    return search_key_sql(column).contains(search_key(text), autoescape=True)
