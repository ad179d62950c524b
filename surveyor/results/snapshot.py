"""Answers-table snapshots on disk in a data-only format: numpy arrays and JSON in an ``.npz`` file.

A snapshot folder may be shared between hosts (an NFS mount, README step 3). Snapshots used to
be pickles, and reading a pickle runs whatever code it names: write access to the folder was
code execution on every host that read it (penetration test, Low 14). Here nothing read from a
snapshot can run code:

- the file is read with ``numpy.load(..., allow_pickle=False)``, which refuses a pickle and any
  array of Python objects inside an ``.npz`` (ValueError) instead of unpickling it;
- numbers, booleans and timestamps are stored as plain numpy arrays (timestamps as
  ``datetime64`` in UTC, with their time zone in the description);
- every other column (texts, mixed answers) is stored factorized: its distinct values as one JSON
  array (UTF-8 bytes; JSON holds strings, numbers, booleans and nulls only) and an integer array
  of codes into it, negative codes marking the kind of missing value (None, NaN, NA, NaT);
- the description (columns, their dtypes and encodings, the last response's client id) is JSON.

A cell JSON cannot hold makes :func:`write` raise TypeError; the caller then keeps the table in
memory only (a snapshot only saves time).
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd

FORMAT = 1
SUFFIX = ".npz"


def _json_bytes(value) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8"), dtype=np.uint8)


def _from_json_bytes(array: np.ndarray):
    if array.dtype != np.uint8:
        raise ValueError("not a snapshot: a text part is not bytes")
    return json.loads(array.tobytes().decode("utf-8"))


# Codes of missing values, by the kind pandas tells apart.
MISSING = {"None": -1, "NaN": -2, "NA": -3, "NaT": -4}
MISSING_VALUES = {-1: None, -2: float("nan"), -3: pd.NA, -4: pd.NaT}


def _missing_code(value) -> int:
    if value is None:
        return MISSING["None"]
    if value is pd.NA:
        return MISSING["NA"]
    if value is pd.NaT:
        return MISSING["NaT"]
    return MISSING["NaN"]


def _cell(value):
    """A distinct value as JSON holds it."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"a {type(value).__name__} cell cannot be kept in a snapshot")


def _encode(column: pd.Series) -> tuple[str, dict[str, np.ndarray]]:
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetime", {"": column.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()}
    if isinstance(dtype, np.dtype) and dtype.kind in "biufM":
        return "array", {"": column.to_numpy()}
    values = column.to_numpy(dtype=object)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    for index in np.flatnonzero(codes < 0):
        codes[index] = _missing_code(values[index])
    return "factorized", {"": codes, "values": _json_bytes([_cell(value) for value in distinct])}


def _decode(encoding: str, dtype: str, tz: str | None, arrays: dict[str, np.ndarray]) -> pd.Series:
    if encoding == "datetime":
        return pd.Series(arrays[""]).dt.tz_localize("UTC").dt.tz_convert(tz)
    if encoding == "array":
        return pd.Series(arrays[""])
    codes = arrays[""]
    distinct = _from_json_bytes(arrays["values"])
    table = np.empty(len(distinct) + len(MISSING_VALUES), dtype=object)  # negative codes index from the end
    table[:len(distinct)] = distinct if distinct else []
    for code, value in MISSING_VALUES.items():
        table[code] = value
    values = table[codes]
    if dtype == "object":
        return pd.Series(values, dtype=object)
    return pd.Series(values).astype(dtype)


def write(path: Path, frame: pd.DataFrame, ids: np.ndarray, last_client_id: str | None) -> None:
    """Write a snapshot atomically: a reader sees the old file or the new one, never a part."""
    arrays, columns = {"ids": np.asarray(ids, dtype=np.int64)}, []
    for number, name in enumerate(frame.columns):
        column = frame[name]
        encoding, parts = _encode(column)
        tz = str(column.dtype.tz) if isinstance(column.dtype, pd.DatetimeTZDtype) else None
        columns.append({"name": name, "dtype": str(column.dtype), "encoding": encoding, "tz": tz})
        arrays.update({f"c{number}{'.' + part if part else ''}": array for part, array in parts.items()})
    arrays["description"] = _json_bytes({"format": FORMAT, "columns": columns, "last_client_id": last_client_id,
                                         "rows": len(frame)})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    with open(partial, "wb") as handle:
        np.savez(handle, **arrays)
    os.replace(partial, path)


def read(path: Path) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    """``(frame, ids, last_client_id)`` from a snapshot; ValueError (or OSError) for anything that
    is not a snapshot of this format, a pickle included, which is refused unread."""
    with np.load(path, allow_pickle=False) as stored:
        description = _from_json_bytes(stored["description"])
        if description.get("format") != FORMAT:
            raise ValueError(f"{path.name} is not a snapshot of format {FORMAT}")
        ids = stored["ids"]
        data = {}
        for number, column in enumerate(description["columns"]):
            parts = {"": stored[f"c{number}"]}
            if column["encoding"] == "factorized":
                parts["values"] = stored[f"c{number}.values"]
            data[column["name"]] = _decode(column["encoding"], column["dtype"], column["tz"], parts)
    frame = pd.DataFrame(data, columns=[column["name"] for column in description["columns"]])
    if len(frame) != description["rows"]:
        raise ValueError(f"{path.name} is damaged")
    return frame, ids, description["last_client_id"]
