"""Cells that a spreadsheet would run as formulas, made inert before they are written.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula, also from a CSV file (and a leading tab or carriage return is skipped before
they look). A citizen's comment such as ``=HYPERLINK("http://…?"&A2, "details")`` or
``+cmd|' /C calc'!A0`` would run on the researcher's computer when the export is opened.

Following OWASP's guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection), every text cell that starts with one
of ``= + - @``, tab or carriage return is written with a single quote in front, which
spreadsheets show as text and never evaluate. Numbers stay numbers: a value that is a number
(``-2``, ``3.5``, also given as text, ``"-2"``) is written as it is, while ``-2+3`` is text
and is neutralised.
"""
from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def inert(value):
    """``value`` as it may be written to a spreadsheet cell: a text starting like a formula gets
    :data:`INERT_PREFIX` in front; numbers, plain numeric texts and every other value are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return INERT_PREFIX + value
    return value


def inert_row(row) -> list:
    """:func:`inert` applied to every cell of ``row``."""
    return [inert(value) for value in row]
