"""`surveyor points import FILE.csv`: all rows or none, bad rows reported by line number."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from ..models import DISTRICTS, Instrument, PointInstrument, ServicePoint, audit
from .links import ensure_links

COLUMNS = ("code", "name_fa", "name_en", "name_ar", "district", "lat", "lon", "instruments")


class ImportError_(ValueError):
    """Every problem of a file, one per line: ``line N: what is wrong``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_issued: int = 0


def _number(text: str, low: float, high: float, what: str):
    if not text.strip():
        return None
    value = float(text)  # ValueError carries to the caller
    if not low <= value <= high:
        raise ValueError(f"{what} {text} is outside {low}..{high}")
    return value


def parse_points(text: str, known_instruments: set[str]) -> tuple[list[dict], list[str]]:
    """Rows as dicts and the problems found, each naming its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [f"line 1: missing column(s) {', '.join(missing)}; the header must be {','.join(COLUMNS)}"]
    rows, problems, seen = [], [], {}
    records, last_line = [], reader.line_num
    try:
        for record in reader:
            records.append(record)
            last_line = reader.line_num
    except csv.Error:
        # Python's csv reader holds at most 131,072 characters in a field; a longer one is
        # nearly always a quote that is never closed, swallowing the lines after it.
        return [], [f"line {last_line + 1}: a field is longer than {csv.field_size_limit():,} characters; "
                    "check that every opening quote (\") is closed on the same line"]
    for line, raw in enumerate(records, start=2):
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        here = []
        code = row["code"]
        if not code or len(code) > 32:
            here.append("code is required (at most 32 characters)")
        elif code in seen:
            here.append(f"code {code} is also on line {seen[code]}")
        seen.setdefault(code, line)
        if not row["name_fa"]:
            here.append("name_fa (the Persian name) is required")
        try:
            district = int(row["district"])
            if district not in DISTRICTS:
                raise ValueError
        except ValueError:
            here.append(f"district must be a number from 1 to 13, got {row['district']!r}")
            district = None
        try:
            lat = _number(row["lat"], -90, 90, "latitude")
            lon = _number(row["lon"], -180, 180, "longitude")
            if (lat is None) != (lon is None):
                here.append("give both lat and lon, or neither")
        except ValueError as exc:
            here.append(str(exc) if "outside" in str(exc) else "lat and lon must be decimal numbers")
            lat = lon = None
        codes = [c.strip().upper() for c in row["instruments"].split(";") if c.strip()]
        unknown = [c for c in codes if c not in known_instruments]
        if unknown:
            here.append(f"unknown instrument code(s) {', '.join(unknown)}; load them with `surveyor instruments sync`")
        problems.extend(f"line {line}: {problem}" for problem in here)
        rows.append({"code": code, "name_fa": row["name_fa"], "name_en": row["name_en"] or None,
                     "name_ar": row["name_ar"] or None, "district": district, "latitude": lat, "longitude": lon,
                     "instruments": codes})
    return rows, problems


def import_points(session, text: str) -> ImportReport:
    """Create or update service points and their instruments from CSV text; idempotent.

    Nothing is written unless every row is valid. The caller commits.
    """
    instruments = {i.code: i for i in session.scalars(select(Instrument))}
    rows, problems = parse_points(text, set(instruments))
    if problems:
        raise ImportError_(problems)
    existing = {p.code: p for p in session.scalars(select(ServicePoint))}
    assigned = {(a.service_point_id, a.instrument_id) for a in session.scalars(select(PointInstrument))}
    report = ImportReport()
    for row in rows:
        codes = row.pop("instruments")
        point = existing.get(row["code"])
        if point is None:
            point = ServicePoint(**row)
            session.add(point)
            session.flush()
            report.created += 1
        elif any(getattr(point, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(point, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
        for code in codes:
            if (point.id, instruments[code].id) not in assigned:
                session.add(PointInstrument(service_point_id=point.id, instrument_id=instruments[code].id))
                assigned.add((point.id, instruments[code].id))
    session.flush()
    report.links_issued = ensure_links(session)
    audit(session, "points.import", None, created=report.created, updated=report.updated)
    return report
