"""Stage 3 of an import, shared part: turning cells into document values and recording where
each part of the document came from, so that validation problems can name sheet and row.

A cell that cannot be converted (a weight of "heavy") is reported here and kept as written,
so that the schema reports nothing else about it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...formatting import ascii_digits
from .layout import LANGUAGES, NO_WORDS, YES_WORDS
from .reader import Place, Row, Sheet
from .unsupported import Finding


@dataclass(frozen=True)
class Source:
    """Where a part of the document came from: its row, the column a problem about the whole
    part points to, and the base of the language columns a bare language code points to."""

    place: Place
    column: str | None = None
    text: str = "label"


@dataclass
class Built:
    """The document a workbook describes, the source of each of its parts (by path, such as
    ``items[3]`` or ``choice_lists.gender[1]``) and the problems found while building it."""

    document: dict
    sources: dict[str, Source] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class Builder:
    """What every sheet's builder needs: the rows, cell conversion, and a place to note problems."""

    def __init__(self, sheets: dict[str, Sheet]):
        self.sheets = sheets
        self.sources: dict[str, Source] = {}
        self.findings: list[Finding] = []

    def note(self, row: Row, column: str, message: str, fix: str, name: str | None = None) -> None:
        self.findings.append((row.place(name), column, message, fix))

    def rows(self, sheet: str) -> list[Row]:
        return self.sheets[sheet].rows if sheet in self.sheets else []

    def labels(self, row: Row, base: str = "label") -> dict:
        """``{lang: text}`` from the row's ``base::Language (lang)`` cells, as written."""
        return {lang: text(value) for lang in LANGUAGES if (value := row.get(base, lang)) is not None}

    def number(self, row: Row, column: str, name: str | None = None):
        value = row.get(column)
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        digits = ascii_digits(str(value)).strip().replace("٫", ".")
        for parse in (int, float):
            try:
                return parse(digits)
            except ValueError:
                pass
        self.note(row, column, f"{column} must be a number, got {value!r}", "write a number such as 3 or 2.5", name)
        return value

    def boolean(self, row: Row, column: str, name: str | None = None):
        value = row.get(column)
        if value is None or isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in YES_WORDS or word in NO_WORDS:
            return word in YES_WORDS
        self.note(row, column, f"{column} must be yes or no, got {value!r}",
                  "write yes or no; conditions (XPath expressions) are not supported", name)
        return value


def text(value) -> str:
    return value if isinstance(value, str) else str(value)


def without_none(mapping: dict) -> dict:
    return {key: value for key, value in mapping.items() if value is not None}
