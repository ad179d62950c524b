"""An export as an SPSS ``.sav`` file (pyreadstat): the CSV's rows and columns with the codebook's
variable names, variable labels, value labels, "not applicable" codes declared user-missing,
and measurement levels. Timestamps in UTC become SPSS date-times; texts stay strings.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyreadstat

from .codebook import Variable

VARIABLE_LABEL_BYTES = 256   # what SPSS keeps of a variable label
VALUE_LABEL_BYTES = 120      # ... of a value label
FILE_LABEL_BYTES = 64        # ... of the file label
NOTE_LINE_BYTES = 80         # ... of one line of the file's notes (documents)
WHOLE_NUMBER_TYPES = {"rating", "rating4", "choice"}


def fit_bytes(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes on a character boundary, with "…" if it was cut
    (readstat would cut mid-character, leaving a broken letter at the end)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[:limit - 3].decode("utf-8", errors="ignore")
    return cut.rstrip() + "…"


def _pieces(word: str, limit: int) -> list[str]:
    pieces = []
    while len(word.encode("utf-8")) > limit:
        head = word.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
        pieces.append(head)
        word = word[len(head):]
    return [*pieces, word]


def note_lines(text: str, limit: int = NOTE_LINE_BYTES) -> list[str]:
    """``text`` broken between words into lines of at most ``limit`` UTF-8 bytes, as SPSS keeps
    its notes (readstat refuses a longer line); a word longer than a line is split."""
    lines = [""]
    for piece in (p for word in text.split() for p in _pieces(word, limit)):
        candidate = f"{lines[-1]} {piece}" if lines[-1] else piece
        if len(candidate.encode("utf-8")) <= limit:
            lines[-1] = candidate
        else:
            lines.append(piece)
    return [line for line in lines if line]


def _numeric(values: pd.Series, variable: Variable) -> pd.Series:
    # "na" where the codebook declares no code (an item that cannot be "not applicable") is missing
    codes = {"na": np.nan, **{shown: spss for shown, spss, _label in variable.missing}}
    cleaned = values.map(lambda v: np.nan if v is None or v == "" else codes.get(v, v) if isinstance(v, str) else v)
    numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = numbers.isna() & cleaned.notna()
    if bad.any():
        example = cleaned[bad].iloc[0]
        raise ValueError(f"column {variable.column!r} should hold numbers but has {example!r}; "
                         "fix the value or describe the column as text in surveyor/exports/codebook.py")
    return numbers


def _column(values: pd.Series, variable: Variable) -> pd.Series:
    if variable.storage == "numeric":
        return _numeric(values, variable)
    if variable.storage == "datetime":
        stamps = pd.to_datetime(values.replace("", None), format="ISO8601", utc=True)
        return stamps.dt.tz_localize(None)
    return values.map(lambda v: "" if v is None else str(v)).astype(object)


def sav_frame(rows: Iterable[list], codebook: list[Variable]) -> pd.DataFrame:
    """The rows (header first) as the DataFrame pyreadstat writes, columns renamed for SPSS."""
    rows = iter(rows)
    header = next(rows)
    if list(header) != [variable.column for variable in codebook]:
        raise ValueError("the codebook does not describe the rows' columns; build it from the same header")
    raw = pd.DataFrame(list(rows), columns=header, dtype=object)
    return pd.DataFrame({variable.spss_name: _column(raw[variable.column], variable) for variable in codebook})


def _key(value, variable: Variable):
    return float(value) if variable.storage == "numeric" else str(value)


def _value_labels(variable: Variable) -> dict:
    pairs = [*variable.values, *((spss, label) for _shown, spss, label in variable.missing)]
    return {_key(value, variable): fit_bytes(label, VALUE_LABEL_BYTES) for value, label in pairs}


def _variable_label(variable: Variable) -> str:
    label = f"{variable.label} ({variable.unit})" if variable.unit and variable.unit != "%" else variable.label
    return fit_bytes(label or variable.column, VARIABLE_LABEL_BYTES)


def write_sav(rows: Iterable[list], codebook: list[Variable], path, file_label: str = "",
              note: str | None = None) -> int:
    """Write ``rows`` (header first) as an SPSS file described by ``codebook``, with ``note`` in
    the file's notes (in lines of at most 80 bytes); returns the row count."""
    frame = sav_frame(rows, codebook)
    value_labels = {v.spss_name: _value_labels(v) for v in codebook if v.values or v.missing}
    missing = {v.spss_name: [spss for _shown, spss, _label in v.missing] for v in codebook if v.missing}
    formats = {v.spss_name: "F12.0" for v in codebook
               if v.storage == "numeric" and (v.type in WHOLE_NUMBER_TYPES or v.measure == "nominal")}
    pyreadstat.write_sav(
        frame, str(path), file_label=fit_bytes(file_label, FILE_LABEL_BYTES), note=note_lines(note) if note else None,
        column_labels={v.spss_name: _variable_label(v) for v in codebook},
        variable_value_labels=value_labels, missing_ranges=missing,
        variable_measure={v.spss_name: v.measure for v in codebook}, variable_format=formats)
    return len(frame)
