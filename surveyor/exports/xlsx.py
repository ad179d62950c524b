"""An export as an Excel workbook: a ``data`` sheet with the CSV's columns and values (numbers
as numbers), a ``codebook`` sheet describing each column and a ``filters`` sheet naming the
filters that chose the rows, written row by row (openpyxl's
write-only mode), so a large export never sits in memory as cells.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from ..formatting import RTL_LANGUAGES
from .codebook import Variable, format_missing, format_values, format_versions
from .formulas import inert
from .selection import NO_FILTER

CODEBOOK_HEADER = ("column", "spss_variable", "label", "type", "role", "dimension", "unit", "values",
                   "not_applicable_or_missing", "versions", "note")
FILTERS_HEADER = ("filter", "value")
MAX_CELL_CHARS = 32767  # Excel's limit for one cell


def _number(value):
    """A numeric-looking text as a number (site values are stored as text); otherwise unchanged."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        if not math.isfinite(number):
            return value
        return int(number) if number.is_integer() else number
    return value


def _cell(sheet, value, bold: bool = False, wrap: bool = False):
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        # a comment such as "=HYPERLINK(...)" gets a quote in front, as in the CSV: text, never a formula
        value = inert(ILLEGAL_CHARACTERS_RE.sub("", value))[:MAX_CELL_CHARS]
    if not (bold or wrap):
        return value
    cell = WriteOnlyCell(sheet, value)
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _codebook_row(variable: Variable) -> list:
    return [variable.column, variable.spss_name, variable.label, variable.type, variable.role,
            variable.dimension, variable.unit, format_values(variable), format_missing(variable),
            format_versions(variable.versions), variable.note]


def write_xlsx(rows: Iterable[list], codebook: list[Variable], path, lang: str = "fa",
               title: str = "", filters: Sequence[tuple[str, str]] = ()) -> int:
    """Write ``rows`` (header first, as ``rows()`` yields them), the codebook, and the
    ``filters`` that chose the rows (a ``filters`` sheet, "none" for every row); returns the
    number of data rows."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = title or None
    data = workbook.create_sheet("data")
    book = workbook.create_sheet("codebook")
    chosen = workbook.create_sheet("filters")
    for sheet in (data, book, chosen):
        sheet.sheet_view.rightToLeft = lang in RTL_LANGUAGES
        sheet.freeze_panes = "A2"
    rows = iter(rows)
    header = next(rows)
    data.append([_cell(data, name, bold=True) for name in header])
    numeric = [variable.storage == "numeric" for variable in codebook]
    count = 0
    for count, row in enumerate(_converted(rows, numeric), start=1):
        data.append([_cell(data, value) for value in row])
    book.append([_cell(book, name, bold=True) for name in CODEBOOK_HEADER])
    for variable in codebook:
        book.append([_cell(book, value, wrap=True) for value in _codebook_row(variable)])
    chosen.append([_cell(chosen, name, bold=True) for name in FILTERS_HEADER])
    for pair in filters or [(NO_FILTER, "")]:
        chosen.append([_cell(chosen, value) for value in pair])
    workbook.save(path)
    return count


def _converted(rows: Iterator[list], numeric: list[bool]) -> Iterator[list]:
    for row in rows:
        yield [_number(value) if is_numeric and value != "na" else value
               for value, is_numeric in zip(row, numeric)]
