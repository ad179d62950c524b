"""`surveyor points import FILE.csv`: all rows or none, bad rows reported by line number.

Each problem names its line and keeps its message and values apart, so that the command line
prints it in English and the admin page in the page's language, with the line numbers in the
page's digits and the file's own words (column names, codes, values) marked as code.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from ..models import DISTRICTS, Instrument, PointInstrument, ServicePoint, audit
from .links import ensure_links

COLUMNS = ("code", "name_fa", "name_en", "name_ar", "district", "lat", "lon", "instruments")


@dataclass(frozen=True)
class Problem:
    """One problem of one line: ``message`` (a lazy translation with ``%(name)s`` places) and
    its ``values``; text values are the file's own words, numbers are counts and limits."""

    line: int
    message: object = field(repr=False)  # read in a language, not when the problem is made
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        """In English, for the command line: ``line 4: district must be ...``."""
        values = {name: f"{value:,}" if isinstance(value, int) else value for name, value in self.values.items()}
        with force_locale("en"):
            return f"line {self.line}: {str(self.message) % values}"

    def html(self, lang: str) -> Markup:
        """In the current page's language, numbers in its digits, the file's words as code."""
        from ..display_names import code
        from ..formatting import format_number

        values = {name: format_number(value, lang) if isinstance(value, (int, float)) else code(value)
                  for name, value in self.values.items()}
        return Markup(escape(_("line %(line)s: %(problem)s"))) % {
            "line": format_number(self.line, lang), "problem": Markup(escape(str(self.message))) % values}


class ImportError_(ValueError):
    """Every problem of a file, one per line: ``line N: what is wrong``."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_issued: int = 0


class _OutOfRange(ValueError):
    pass


def _number(text: str, low: int, high: int, message):
    if not text.strip():
        return None
    value = float(text)  # ValueError carries to the caller
    if not low <= value <= high:
        raise _OutOfRange(Problem(0, message, {"value": text, "low": low, "high": high}))
    return value


def parse_points(text: str, known_instruments: set[str]) -> tuple[list[dict], list[Problem]]:
    """Rows as dicts and the problems found, each naming its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(name.strip() for name in (reader.fieldnames or ()))
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [Problem(1, _l("missing column(s) %(columns)s; the header must be %(header)s"),
                            {"columns": ", ".join(missing), "header": ",".join(COLUMNS)})]
    rows, problems, seen = [], [], {}
    records, last_line = [], reader.line_num
    try:
        for record in reader:
            records.append(record)
            last_line = reader.line_num
    except csv.Error:
        # Python's csv reader holds at most 131,072 characters in a field; a longer one is
        # nearly always a quote that is never closed, swallowing the lines after it.
        return [], [Problem(last_line + 1, _l("a field is longer than %(limit)s characters; check that every "
                                              "opening quote (\") is closed on the same line"),
                            {"limit": csv.field_size_limit()})]
    for line, raw in enumerate(records, start=2):
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        here = []
        code = row["code"]
        if not code or len(code) > 32:
            here.append((_l("%(column)s is required (at most %(limit)s characters)"), {"column": "code", "limit": 32}))
        elif code in seen:
            here.append((_l("code %(code)s is also on line %(other)s"), {"code": code, "other": seen[code]}))
        seen.setdefault(code, line)
        if not row["name_fa"]:
            here.append((_l("%(column)s (the Persian name) is required"), {"column": "name_fa"}))
        try:
            district = int(row["district"])
            if district not in DISTRICTS:
                raise ValueError
        except ValueError:
            here.append((_l("district must be a number from %(low)s to %(high)s, got %(value)s"),
                         {"low": min(DISTRICTS), "high": max(DISTRICTS), "value": repr(row["district"])}))
            district = None
        try:
            lat = _number(row["lat"], -90, 90, _l("latitude %(value)s is outside %(low)s..%(high)s"))
            lon = _number(row["lon"], -180, 180, _l("longitude %(value)s is outside %(low)s..%(high)s"))
            if (lat is None) != (lon is None):
                here.append((_l("give both %(lat)s and %(lon)s, or neither"), {"lat": "lat", "lon": "lon"}))
        except _OutOfRange as exc:
            (problem,) = exc.args
            here.append((problem.message, problem.values))
            lat = lon = None
        except ValueError:
            here.append((_l("%(lat)s and %(lon)s must be decimal numbers"), {"lat": "lat", "lon": "lon"}))
            lat = lon = None
        codes = [c.strip().upper() for c in row["instruments"].split(";") if c.strip()]
        unknown = [c for c in codes if c not in known_instruments]
        if unknown:
            here.append((_l("unknown instrument code(s) %(codes)s; use the codes of the instrument catalogue "
                            "(the home page)"), {"codes": ", ".join(unknown)}))
        problems.extend(Problem(line, message, values) for message, values in here)
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
