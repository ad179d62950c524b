"""Which rows an export holds, and the filters that chose them, as the file states them.

A download from a filtered results page holds the rows that the page's figures are computed
from (:func:`surveyor.results.selection.download_selection`), and says so: the CSV's first line,
the Excel workbook's ``filters`` sheet and the SPSS file's notes name each filter as
``name=value`` (``district=3; from=1403/07/01; flagged=excluded``), or ``none`` for every row.
"""
from __future__ import annotations

from dataclasses import dataclass

NO_FILTER = "none"


@dataclass(frozen=True)
class Selection:
    """``ids``: the response or inspection ids to write (None: every row); ``filters``: the
    ``(name, value)`` pairs that chose them, in the order a reader should see them."""

    ids: frozenset[int] | None = None
    filters: tuple[tuple[str, str], ...] = ()

    def keeps(self, row_id: int) -> bool:
        return self.ids is None or row_id in self.ids

    def describe(self) -> str:
        """``district=3; flagged=excluded``, or ``none``."""
        return "; ".join(f"{name}={value}" for name, value in self.filters) or NO_FILTER

    def preamble(self, code: str, kind: str) -> str:
        """The CSV's first line: what the file is and which filters made it."""
        return f"# Surveyor export of {code} ({kind}); filters: {self.describe()}"


EVERY_ROW = Selection()
