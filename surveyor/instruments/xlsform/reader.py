"""Stage 1 of an import: read the workbook's sheets into rows of non-empty cells, each row
knowing its sheet and row number so that every later problem can name them.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .layout import language_header, parse_header

ColumnKey = tuple[str, "str | None"]      # ("label", "fa"), ("name", None)


@dataclass(frozen=True)
class Place:
    """Where something is in the workbook: a sheet, optionally a row and the row's name."""

    sheet: str
    row: int | None = None
    name: str | None = None

    def describe(self, column: str | None = None) -> str:
        text = f"{self.sheet} sheet"
        if self.row is not None:
            text += f", row {self.row}"
            if self.name:
                text += f" ({self.name})"
        return f"{text}, column {column}" if column else text


@dataclass(frozen=True)
class Column:
    header: str             # as written in the workbook
    key: ColumnKey


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict[ColumnKey, object]

    def get(self, base: str, lang: str | None = None):
        return self.cells.get((base, lang))

    def text(self, base: str) -> str | None:
        """A cell as stripped text, e.g. a name or a type; numbers become their digits."""
        value = self.cells.get((base, None))
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())

    def place(self, name: str | None = None) -> Place:
        return Place(self.sheet, self.number, name)


@dataclass
class Sheet:
    name: str               # lower case: survey, choices, ...
    title: str              # as written in the workbook
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def header(self, key: ColumnKey) -> str:
        """The header of a column as written, or as the writer would write it."""
        for column in self.columns:
            if column.key == key:
                return column.header
        base, lang = key
        return language_header(base, lang) if lang else base

    def has(self, base: str) -> bool:
        return any(column.key[0] == base for column in self.columns)


class WorkbookUnreadable(ValueError):
    """The file is not an .xlsx workbook; the message says why."""


# What reading a sheet's XML raises when the XML is broken or refused: openpyxl reads a sheet
# only as its rows are asked for, after the workbook opened (penetration test, Low 13). expat's
# ParseError is a SyntaxError; its limit on entity expansion (billion laughs) is one too.
SHEET_XML_ERRORS = (SyntaxError, ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile)
DAMAGED_XML = "the XML of {sheet} sheet is damaged or uses a feature a workbook does not need (entities)"


def _cell(value):
    """Empty strings are no value; text keeps its inner spacing (labels are kept as written)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _read_sheet(worksheet) -> tuple[Sheet, list[tuple[Place, str, str, str]]]:
    sheet = Sheet(worksheet.title.strip().lower(), worksheet.title)
    findings = []
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[int, Column] = {}
    for index, raw in enumerate(header):
        if raw is None or not str(raw).strip():
            continue
        column = Column(str(raw).strip(), parse_header(str(raw)))
        if any(other.key == column.key for other in positions.values()):
            findings.append((Place(sheet.name, 1), column.header, "this column appears twice",
                             "keep one column per name and language"))
            continue
        positions[index] = column
        sheet.columns.append(column)
    for number, values in enumerate(rows, start=2):
        cells = {}
        for index, value in enumerate(values):
            value = _cell(value)
            if value is None:
                continue
            if index not in positions:
                findings.append((Place(sheet.name, number), _letter(index), "a cell under a column without a header",
                                 "give the column a header or clear the cell"))
                continue
            cells[positions[index].key] = value
        if cells:
            sheet.rows.append(Row(sheet.name, number, cells))
    return sheet, findings


def _letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


def read_workbook(path: Path) -> tuple[dict[str, Sheet], list[tuple[Place, str, str, str]]]:
    """Every sheet of the workbook by lower-case name, and what was wrong with its layout as
    ``(place, column, message, fix)``.

    Raises :class:`WorkbookUnreadable` if the file is not an .xlsx workbook.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except SyntaxError as exc:  # the XML of a sheet, read as the workbook opens
        raise WorkbookUnreadable(f"cannot be read: {DAMAGED_XML.format(sheet='a')}") from exc
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as exc:
        raise WorkbookUnreadable(f"cannot be read as an .xlsx workbook ({exc})") from exc
    try:
        sheets, findings = {}, []
        for worksheet in workbook.worksheets:
            try:
                sheet, found = _read_sheet(worksheet)
            except SHEET_XML_ERRORS as exc:
                raise WorkbookUnreadable(
                    f"cannot be read: {DAMAGED_XML.format(sheet=f'its {worksheet.title}')}") from exc
            findings.extend(found)
            if sheet.name in sheets:
                findings.append((Place(sheet.name), "", "two sheets have this name",
                                 "rename or remove one of them"))
                continue
            sheets[sheet.name] = sheet
        return sheets, findings
    finally:
        workbook.close()
