"""Export: an instrument document (the YAML as written) as an XLSForm workbook."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from ...formatting import localize_digits
from ..rules import LANGUAGE_NAMES
from .layout import (CHOICES, DIMENSIONS, GRADES, INSTRUMENT, INSTRUMENT_ROWS, PASS_FAIL_LABELS, PASS_FAIL_LIST,
                     RATING4_LIST, SETTINGS, SURVEY, language_header)

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "surveyor_type", "role", "dimension", "dont_know",
                  "min", "max", "unit", "max_length", "weight", "critical", "not_applicable", "acceptable_min",
                  "acceptable_max", "photo_on_fail", "action_on_fail")
ALWAYS = {"type", "name", "label", "surveyor_type", "role", "list_name"}
TRANSLATED = {"label", "hint", "unit", "anchor"}
WIDE = {"label", "hint", "anchor", "value"}


def _yes_no(value):
    return None if value is None else ("yes" if value else "no")


def xlsform_type(item: dict) -> str:
    """The XLSForm type that shows the item in KoboToolbox or ODK."""
    kind = item["type"]
    if kind in ("rating", "choice"):
        return f"select_one {item['choices']}"
    if kind == "pass_fail":
        return f"select_one {PASS_FAIL_LIST}"
    if kind == "rating4":
        return f"select_one {RATING4_LIST}"
    if kind == "text":
        return "text"
    bounds = [item.get("min"), item.get("max")]
    if kind == "number" and any(b is not None for b in bounds) and \
            all(isinstance(b, int) for b in bounds if b is not None):
        return "integer"
    return "decimal"


def _survey_row(item: dict) -> dict:
    acceptable = item.get("acceptable", {})
    row = {"type": xlsform_type(item), "name": item["code"], "label": item["labels"], "hint": item.get("hint"),
           "surveyor_type": item["type"], "role": item["role"], "dimension": item.get("dimension"),
           "min": item.get("min"), "max": item.get("max"), "unit": item.get("unit"),
           "max_length": item.get("max_length"), "weight": item.get("weight"),
           "acceptable_min": acceptable.get("min"), "acceptable_max": acceptable.get("max")}
    for key in ("required", "dont_know", "critical", "not_applicable", "photo_on_fail", "action_on_fail"):
        row[key] = _yes_no(item.get(key))
    return row


def _choice_rows(doc: dict) -> list[dict]:
    rows, languages = [], doc["languages"]
    for name, spec in doc.get("choice_lists", {}).items():
        if isinstance(spec, list):
            rows.extend({"list_name": name, "name": option["value"], "label": option["labels"]} for option in spec)
            continue
        anchors = {int(key): labels for key, labels in spec["anchors"].items()}
        for value in range(spec["from"], spec["to"] + 1):
            rows.append({"list_name": name, "name": value, "range": "yes", "anchor": anchors.get(value),
                         "label": {lang: localize_digits(value, lang) for lang in languages}})
    types = {item["type"] for item in doc["items"]}
    if "pass_fail" in types:
        rows.extend({"list_name": PASS_FAIL_LIST, "name": value, "label": {lang: labels[lang] for lang in languages}}
                    for value, labels in PASS_FAIL_LABELS)
    if "rating4" in types:
        rows.extend({"list_name": RATING4_LIST, "name": value,
                     "label": {lang: localize_digits(value, lang) for lang in languages}} for value in range(5))
    return rows


def _instrument_rows(doc: dict) -> list[dict]:
    rows = []
    for name, kind in INSTRUMENT_ROWS.items():
        section, _, key = name.partition(".")
        value = doc.get(section)
        if key:
            value = (value or {}).get(key)
        if value is None:
            continue
        if name == "service_standard":
            rows.append({"name": name, "value": value["minutes"], "label": value["labels"]})
        elif name == "provenance.standards":
            rows.extend([{"name": name, "value": standard} for standard in value] or [{"name": name}])
        elif name == "provenance.dimensions":
            rows.append({"name": name, "value": " ".join(value)})
        else:
            rows.append({"name": name, "label" if kind == "labels" else "value": value})
    return rows


def _settings_rows(doc: dict) -> list[dict]:
    first = doc["languages"][0]
    return [{"form_id": doc["code"], "form_title": doc["title"].get(first),
             "default_language": f"{LANGUAGE_NAMES[first]} ({first})", "kind": doc["kind"], "domain": doc["domain"],
             "languages": " ".join(doc["languages"])}]


def _columns(order, rows: list[dict], languages: list[str]) -> list[tuple[str, str | None]]:
    """The columns that hold something, in layout order; a translated column once per language."""
    columns = []
    for name in order:
        if name not in ALWAYS and not any(row.get(name) is not None for row in rows):
            continue
        columns.extend([(name, lang) for lang in languages] if name in TRANSLATED else [(name, None)])
    return columns


def _write_sheet(workbook, title: str, order, rows: list[dict], languages: list[str]) -> None:
    sheet = workbook.create_sheet(title)
    columns = _columns(order, rows, languages)
    sheet.append([language_header(name, lang) if lang else name for name, lang in columns])
    for row in rows:
        sheet.append([(row.get(name) or {}).get(lang) if lang else row.get(name) for name, lang in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (name, _) in enumerate(columns, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = 50 if name in WIDE else 16
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"            # text, not a formula
    sheet.freeze_panes = "A2"


def build_workbook(doc: dict) -> openpyxl.Workbook:
    """The workbook for a valid instrument document (as read from its YAML file, before normalize)."""
    languages = doc["languages"]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _write_sheet(workbook, SURVEY, SURVEY_COLUMNS, [_survey_row(item) for item in doc["items"]], languages)
    _write_sheet(workbook, CHOICES, ("list_name", "name", "label", "range", "anchor"), _choice_rows(doc), languages)
    _write_sheet(workbook, SETTINGS, ("form_id", "form_title", "default_language", "kind", "domain", "languages"),
                 _settings_rows(doc), languages)
    _write_sheet(workbook, INSTRUMENT, ("name", "value", "label"), _instrument_rows(doc), languages)
    _write_sheet(workbook, DIMENSIONS, ("name", "label"),
                 [{"name": d["code"], "label": d["labels"]} for d in doc["dimensions"]], languages)
    if "scoring" in doc:
        _write_sheet(workbook, GRADES, ("name", "min_percent", "label"),
                     [{"name": g["code"], "min_percent": g["min_percent"], "label": g["labels"]}
                      for g in doc["scoring"]["grades"]], languages)
    return workbook


def write_xlsform(doc: dict, path: Path) -> None:
    """Save the workbook for ``doc`` at ``path``."""
    build_workbook(doc).save(path)
