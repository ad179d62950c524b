"""Stage 3 of an import: build the instrument document (the YAML as written) from the rows of
the settings, instrument, dimensions, grades and choices sheets and, through :mod:`.survey`,
the survey sheet.
"""
from __future__ import annotations

import re

from ...formatting import ascii_digits, localize_digits
from ..rules import catalog
from .cells import Builder, Built, Source, text, without_none
from .layout import (CHOICES, DIMENSIONS, DOCUMENT_KEYS, GRADES, INSTRUMENT, INSTRUMENT_ROWS, LANGUAGES,
                     PROVENANCE_KEYS, REPEATED_INSTRUMENT_ROWS, RESERVED_LISTS, SCORING_KEYS, SERVICE_STANDARD_KEYS,
                     SETTINGS, TEXT_COLUMNS, language_of)
from .reader import Column, Place, Row, Sheet
from .survey import build_items

_WHOLE_NUMBER = re.compile(r"^-?\d+$")


class _Builder(Builder):
    """Builds the instrument-level parts and the choice lists, one sheet per method."""

    def settings(self) -> dict:
        rows = self.rows(SETTINGS)
        row = rows[0] if rows else None
        doc: dict = {}
        code = row.text("form_id") if row else None
        if code:
            doc["code"] = code.upper() if re.fullmatch(r"[a-z]{3}-[qc]\d\d", code) else code
            self.sources["code"] = Source(row.place(), "form_id")
        entry = catalog().get(doc.get("code"), {})
        kind = row.text("kind") if row else None
        if kind is None and re.fullmatch(r"[A-Z]{3}-[QC]\d\d", doc.get("code", "")):
            kind = "questionnaire" if doc["code"][4] == "Q" else "checklist"
        domain = (row.text("domain") if row else None) or entry.get("domain")
        for key, value in (("kind", kind), ("domain", domain)):
            if value is not None:
                doc[key] = value
                self.sources[key] = Source(row.place() if row else Place(SETTINGS), key)
        listed = row.text("languages") if row else None
        doc["languages"] = re.split(r"[\s,;]+", listed.strip()) if listed else self.languages_used()
        self.sources["languages"] = Source(row.place() if row else Place(SETTINGS), "languages")
        return doc

    def languages_used(self) -> list[str]:
        used = {column.key[1] for sheet in self.sheets.values() for column in sheet.columns}
        return [lang for lang in LANGUAGES if lang in used]

    def instrument(self, doc: dict) -> None:
        seen: dict[str, Row] = {}
        for row in self.rows(INSTRUMENT):
            name = row.text("name")
            kind = INSTRUMENT_ROWS.get(name or "")
            if kind is None:
                self.note(row, "name", f"unknown row name {name!r}" if name else "the row has no name",
                          "use one of: " + ", ".join(INSTRUMENT_ROWS), name)
                continue
            if name in seen and name not in REPEATED_INSTRUMENT_ROWS:
                self.note(row, "name", f"{name} is also given in row {seen[name].number}", "keep one of the rows", name)
                continue
            seen[name] = row
            self.instrument_row(doc, name, kind, row)
        self.fallback_title(doc, seen.get("title"))

    def instrument_row(self, doc: dict, name: str, kind: str, row: Row) -> None:
        labels, value = self.labels(row), row.get("value")
        if kind == "labels" and value is not None:
            self.note(row, "value", f"{name} takes its text in the label:: columns", "move the text there", name)
        if kind == "value" and labels:
            self.note(row, "label", f"{name} is not translated; its text goes in the value column",
                      "move the text to the value column", name)
        source = Source(row.place(name), "value" if kind != "labels" else None)
        if kind == "value" and value is None:
            if name in REPEATED_INSTRUMENT_ROWS:            # a row without value: an empty list
                doc.setdefault("provenance", {}).setdefault(name.partition(".")[2], [])
            return                                          # an empty optional row: nothing to keep
        if name == "service_standard":
            standard = {}
            if value is not None:
                standard["minutes"] = self.number(row, "value", name)
            doc.setdefault(name, {}).update({**standard, "labels": labels})
        elif kind == "labels" and not name.startswith("scoring."):
            doc[name] = labels
        else:
            section, key = name.split(".")
            target = doc.setdefault(section, {})
            if key == "standards":
                index = len(target.setdefault(key, []))
                target[key].append(text(value))
                self.sources[f"{name}[{index}]"] = source
                return
            if key == "dimensions":
                target[key] = re.split(r"[\s,;]+", text(value).strip())
            elif key == "cap_percent":
                target[key] = self.number(row, "value", name)
            else:
                target[key] = labels if kind == "labels" else text(value)
        self.sources[name] = source

    def fallback_title(self, doc: dict, title_row: Row | None) -> None:
        rows = self.rows(SETTINGS)
        form_title = rows[0].get("form_title") if rows else None
        if form_title is None or not doc["languages"]:
            return
        first = doc["languages"][0]
        if title_row is None:
            doc["title"] = {first: text(form_title)}
            self.sources["title"] = Source(rows[0].place(), "form_title")
        elif doc.get("title", {}).get(first) not in (None, text(form_title)):
            self.note(rows[0], "form_title", "form_title differs from the title row of the instrument sheet",
                      "make them the same, or clear form_title")

    def dimensions(self) -> list[dict]:
        dimensions = []
        for row in self.rows(DIMENSIONS):
            dimension = without_none({"code": row.text("name"), "labels": self.labels(row)})
            self.sources[f"dimensions[{len(dimensions)}]"] = Source(row.place(row.text("name")), "name")
            dimensions.append(dimension)
        return dimensions

    def grades(self) -> list[dict]:
        grades = []
        for row in self.rows(GRADES):
            grade = without_none({"code": row.text("name"), "min_percent": self.number(row, "min_percent"),
                                  "labels": self.labels(row)})
            self.sources[f"scoring.grades[{len(grades)}]"] = Source(row.place(row.text("name")), "name")
            grades.append(grade)
        return grades

    def choice_lists(self) -> dict:
        by_name: dict[str, list[Row]] = {}
        for row in self.rows(CHOICES):
            name = row.text("list_name")
            if not name:
                self.note(row, "list_name", "the option has no list_name", "write the name of its choice list")
            elif name not in RESERVED_LISTS:
                by_name.setdefault(name, []).append(row)
        lists = {}
        for name, rows in by_name.items():
            self.sources[f"choice_lists.{name}"] = Source(rows[0].place(name), "list_name")
            ranged = [self.boolean(row, "range") is True for row in rows]
            lists[name] = self.range_list(name, rows, ranged) if any(ranged) else self.option_list(name, rows)
        return lists

    def option_list(self, name: str, rows: list[Row]) -> list[dict]:
        options = []
        for index, row in enumerate(rows):
            value = _value(row.get("name"))
            self.sources[f"choice_lists.{name}[{index}]"] = Source(row.place(f"{name} {value}"), "name")
            for lang in LANGUAGES:
                if row.get("anchor", lang) is not None:
                    self.note(row, f"anchor::{lang}", "anchors label the ends of a range list only",
                              "mark every option of the list with range: yes, or move the text to the label columns")
            options.append(without_none({"value": value, "labels": self.labels(row)}))
        return options

    def range_list(self, name: str, rows: list[Row], ranged: list[bool]) -> dict:
        values, anchors = [], {}
        for row, is_range in zip(rows, ranged):
            value = _value(row.get("name"))
            if not is_range:
                self.note(row, "range", "every option of a range list needs range: yes",
                          "write yes, or clear range on all options of the list", f"{name} {value}")
            if not isinstance(value, int) or (values and value != values[-1] + 1):
                self.note(row, "name", f"{value!r} does not continue the range",
                          "number the options of a range list with consecutive whole numbers", f"{name} {value}")
                continue
            values.append(value)
            for lang, label in self.labels(row).items():
                if ascii_digits(label).strip() != str(value):
                    self.note(row, f"label::{lang}", f"the label of range point {value} must be its number "
                              f"({localize_digits(value, lang)})", "move the text to the anchor:: columns",
                              f"{name} {value}")
            if labels := self.labels(row, "anchor"):
                anchors[value] = labels
                source = Source(row.place(f"{name} {value}"), None, "anchor")
                self.sources[f"choice_lists.{name}.anchors.{value}"] = source
        return {"from": values[0], "to": values[-1], "anchors": anchors} if values else {"anchors": anchors}


def _value(value):
    """An option's value: whole numbers as int, text as stripped text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value).lower()
    return value


def _whole_numbers_in_rating_lists(doc: dict) -> None:
    """Rating scales typed as text in Excel ("1", "2" ...) are numbers."""
    used = {item.get("choices") for item in doc.get("items", []) if item.get("type") == "rating"}
    for name, spec in doc.get("choice_lists", {}).items():
        if name in used and isinstance(spec, list):
            for option in spec:
                value = option.get("value")
                if isinstance(value, str) and _WHOLE_NUMBER.match(ascii_digits(value)):
                    option["value"] = int(ascii_digits(value))


def build_document(sheets: dict[str, Sheet]) -> Built:
    """The instrument document the workbook describes, with the source of each part."""
    builder = _Builder(sheets)
    doc = builder.settings()
    builder.instrument(doc)
    dimensions = builder.dimensions()
    lists = builder.choice_lists()
    items = build_items(builder, dimensions)
    grades = builder.grades()
    if dimensions or DIMENSIONS in sheets:
        doc["dimensions"] = dimensions
    if lists:
        doc["choice_lists"] = lists
    doc["items"] = items
    if grades or any(key in doc.get("scoring", {}) for key in SCORING_KEYS):
        doc["scoring"] = {**doc.get("scoring", {}), "grades": grades}
    _whole_numbers_in_rating_lists(doc)
    doc = _ordered(doc)
    return Built(doc, builder.sources, builder.findings)


def _ordered(doc: dict) -> dict:
    ordered = {key: doc[key] for key in DOCUMENT_KEYS if key in doc}
    if "provenance" in ordered:
        ordered["provenance"] = {k: doc["provenance"][k] for k in PROVENANCE_KEYS if k in doc["provenance"]}
    if "scoring" in ordered:
        ordered["scoring"] = {k: doc["scoring"][k] for k in SCORING_KEYS if k in doc["scoring"]}
    if "service_standard" in ordered:
        ordered["service_standard"] = {k: doc["service_standard"][k] for k in SERVICE_STANDARD_KEYS
                                       if k in doc["service_standard"]}
    return ordered


def language_for_plain_columns(sheets: dict[str, Sheet]) -> str | None:
    """The language of ``label`` and ``hint`` columns that do not name one: settings' default_language."""
    rows = sheets[SETTINGS].rows if SETTINGS in sheets else []
    written = rows[0].text("default_language") if rows else None
    return language_of(written) if written else None


def apply_default_language(sheets: dict[str, Sheet], lang: str) -> None:
    """Read ``label`` as ``label::<lang>`` (ODK's default-language columns), unless both are given."""
    for sheet in sheets.values():
        for base in TEXT_COLUMNS.get(sheet.name, ()):
            keys = {column.key for column in sheet.columns}
            if (base, None) in keys and (base, lang) not in keys:
                sheet.columns = [Column(c.header, (base, lang)) if c.key == (base, None) else c for c in sheet.columns]
                for row in sheet.rows:
                    if (base, None) in row.cells:
                        row.cells[(base, lang)] = row.cells.pop((base, None))
