"""Import: read the workbook -> report unsupported features -> build the document -> run the
normal validation (schema, then rules), with every problem named by sheet, row and column."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..errors import InstrumentError, Problem
from ..loader import load_file
from .builder import Built, Source, apply_default_language, build_document, language_for_plain_columns
from .layout import CHOICES, DIMENSIONS, GRADES, INSTRUMENT, LANGUAGES, SETTINGS, SHEETS, SURVEY, parse_header
from .reader import Place, Sheet, WorkbookUnreadable, read_workbook
from .unsupported import unsupported_features
from .yaml_text import dump_yaml

# Document keys -> the workbook column that holds them, where the names differ.
COLUMN_OF_KEY = {"code": "name", "value": "name", "choices": "type", "minutes": "value", "from": "name",
                 "to": "name", "anchors": "anchor"}
SETTINGS_COLUMNS = {"code": "form_id", "kind": "kind", "domain": "domain", "languages": "languages"}
SHEET_OF_KEY = {**{key: SETTINGS for key in SETTINGS_COLUMNS}, "items": SURVEY, "choice_lists": CHOICES,
                "dimensions": DIMENSIONS, "scoring.grades": GRADES}
# How to add a part the workbook lacks, by the missing key.
REQUIRED_FIXES = {
    "code": "fill form_id in the settings sheet (the catalog code, e.g. TRN-Q01) or the name column",
    "kind": "fill kind in the settings sheet: questionnaire or checklist",
    "domain": "fill domain in the settings sheet, spelled as in the catalog",
    "title": "add a row named title to the instrument sheet, with its text in the label:: columns",
    "introduction": "add a row named introduction to the instrument sheet, with its text in the label:: columns",
    "provenance": "add rows provenance.model and provenance.dimensions to the instrument sheet",
    "model": "add a row provenance.model to the instrument sheet, naming the model in the value column",
    "dimensions": "add a dimensions sheet (name and label:: columns), or group the questions with begin_group",
    "items": "add the questions to the survey sheet",
    "labels": "write the text in the label:: columns",
    "role": "fill the role column",
    "type": "fill the type column",
    "minutes": "write the standard time in minutes in the value column",
    "grades": "add a grades sheet with name, min_percent and label:: columns",
    "critical_rule": "add a row scoring.critical_rule (fail or cap) to the instrument sheet",
    "rule_text": "add a row scoring.rule_text to the instrument sheet, with its text in the label:: columns",
    "min_percent": "fill the min_percent column",
}
_CODE_NOTE = re.compile(r"\] \([^)]*\)")
_REQUIRED = re.compile(r"^'(\w+)' is required but missing")


def import_xlsform(path: Path, *, file_name: str | None = None) -> dict:
    """The instrument document (as its YAML file holds it) a workbook describes.

    ``file_name`` is the name the YAML file will have (default: the code in lower case, e.g.
    ``trn-q01.yaml``). Raises :class:`InstrumentError` listing every problem in the workbook.
    """
    document, problems = check_workbook(path, file_name=file_name)
    if problems:
        raise InstrumentError(problems)
    return document


def check_workbook(path: Path, *, file_name: str | None = None) -> tuple[dict | None, list[Problem]]:
    """The document a workbook describes and every problem in it (none if it is a valid instrument)."""
    path = Path(path)
    shown = path.name
    try:
        sheets, findings = read_workbook(path)
    except WorkbookUnreadable as exc:
        return None, [Problem(shown, "", str(exc), "save it from Excel, LibreOffice or KoboToolbox as .xlsx")]
    default_language = language_for_plain_columns(sheets)
    if default_language:
        apply_default_language(sheets, default_language)
    built = build_document(sheets)
    findings += unsupported_features(sheets, built.document.get("kind"), default_language)
    findings += built.findings
    found = [(place, _header(sheets, place, column), message, fix) for place, column, message, fix in findings]
    already = {(place, column) for place, column, _, _ in found}
    for problem in _validate(built.document, file_name):
        place, column, fix = _locate(problem, built, sheets)
        if (place, column) not in already:
            found.append((place, column, problem.message, fix))
    found.sort(key=_reading_order)
    return built.document, [Problem(shown, place.describe(column), message, fix)
                            for place, column, message, fix in found]


def _reading_order(finding) -> tuple:
    """Sheet by sheet in the layout's order, then row by row."""
    place = finding[0]
    sheet = SHEETS.index(place.sheet) if place.sheet in SHEETS else len(SHEETS)
    return sheet, place.row or 0


def _validate(document: dict, file_name: str | None) -> list[Problem]:
    """The normal validation, run on the very YAML text the import would write."""
    code = document.get("code")
    file_name = file_name or (f"{code.lower()}.yaml" if isinstance(code, str) else "instrument.yaml")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / file_name
        target.write_text(dump_yaml(document), encoding="utf-8")
        try:
            load_file(target)
        except InstrumentError as exc:
            return exc.problems
    return []


def _header(sheets: dict[str, Sheet], place: Place, column: str | None) -> str | None:
    """A column as its header is written in the workbook (``list name``, ``label::Persian (fa)``)."""
    if not column:
        return None
    sheet = sheets.get(place.sheet)
    return sheet.header(parse_header(column)) if sheet else column


def _locate(problem: Problem, built: Built, sheets: dict[str, Sheet]) -> tuple[Place, str | None, str]:
    """Where in the workbook a validation problem (``items[3] (headway).labels.ar``) lies, and its fix."""
    path, fix = _CODE_NOTE.sub("]", problem.path), problem.fix
    missing = _REQUIRED.match(problem.message)
    if missing:
        path = f"{path}.{missing.group(1)}" if path else missing.group(1)
        fix = REQUIRED_FIXES.get(missing.group(1), fix)
    prefix = max((key for key in built.sources if path == key or path.startswith((key + ".", key + "["))),
                 key=len, default=None)
    if prefix is None:
        sheet = next((SHEET_OF_KEY[key] for key in (path.split("[")[0], path.split(".")[0]) if key in SHEET_OF_KEY),
                     INSTRUMENT)
        place = Place(sheet, 2) if sheet == SETTINGS and sheets.get(SETTINGS, Sheet("", "")).rows else Place(sheet)
        column = SETTINGS_COLUMNS.get(path) if sheet == SETTINGS else None
        return place, _header(sheets, place, column), fix
    source = built.sources[prefix]
    column = _column(path[len(prefix):], source, sheets)
    return source.place, _header(sheets, source.place, column), fix


def _column(rest: str, source: Source, sheets: dict[str, Sheet]) -> str | None:
    parts = [part for part in re.split(r"\.|\[\d+\]", rest) if part]
    if not parts:
        return source.column
    head = parts[0]
    if head in LANGUAGES:
        return f"{source.text}::{head}"
    if head in ("labels", "hint", "unit"):
        base = "label" if head == "labels" else head
        return f"{base}::{parts[1]}" if len(parts) > 1 else base
    if head == "acceptable":
        return f"acceptable_{parts[1]}" if len(parts) > 1 else "acceptable_min"
    if head == "type":
        return "surveyor_type" if SURVEY in sheets and sheets[SURVEY].has("surveyor_type") else "type"
    return COLUMN_OF_KEY.get(head, head)
