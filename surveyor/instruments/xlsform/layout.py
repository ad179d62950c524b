"""The workbook layout shared by the reader and the writer: sheet names, columns, the words
for yes and no, the language headers (``label::Persian (fa)``) and the key order of the YAML.
"""
from __future__ import annotations

import re

from ..rules import LANGUAGE_NAMES

LANGUAGES = tuple(LANGUAGE_NAMES)                       # fa, en, ar: the order languages are listed in
LANGUAGE_ALIASES = {"farsi": "fa", **{name.lower(): code for code, name in LANGUAGE_NAMES.items()}}

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
INSTRUMENT, DIMENSIONS, GRADES = "instrument", "dimensions", "grades"
SHEETS = (SURVEY, CHOICES, SETTINGS, INSTRUMENT, DIMENSIONS, GRADES)

# Columns holding one text per language, written ``base::Language (code)``.
TEXT_COLUMNS = {
    SURVEY: ("label", "hint", "unit"),
    CHOICES: ("label", "anchor"),
    SETTINGS: (),
    INSTRUMENT: ("label",),
    DIMENSIONS: ("label",),
    GRADES: ("label",),
}
# Every other column each sheet reads, in the order the writer puts them.
PLAIN_COLUMNS = {
    SURVEY: ("type", "name", "required", "surveyor_type", "role", "dimension", "dont_know", "min", "max",
             "max_length", "weight", "critical", "not_applicable", "acceptable_min", "acceptable_max",
             "photo_on_fail", "action_on_fail"),
    CHOICES: ("list_name", "name", "range"),
    SETTINGS: ("form_id", "form_title", "default_language", "kind", "domain", "languages"),
    INSTRUMENT: ("name", "value"),
    DIMENSIONS: ("name",),
    GRADES: ("name", "min_percent"),
}
# Older XLSForm spellings and KoboToolbox's, read as the column named on the right.
COLUMN_ALIASES = {"list name": "list_name", "id_string": "form_id"}
# Read and deliberately not used: Surveyor stores a new version each time a file changes.
IGNORED_COLUMNS = {SETTINGS: {"version"}}

BOOLEAN_COLUMNS = ("required", "dont_know", "critical", "not_applicable", "photo_on_fail", "action_on_fail")
NUMBER_COLUMNS = ("min", "max", "weight", "acceptable_min", "acceptable_max")

YES_WORDS = {"yes", "true", "true()", "1"}
NO_WORDS = {"no", "false", "false()", "0"}

# Choice lists the writer adds so that KoboToolbox can show checklist items; the reader skips
# them. A hyphen keeps them apart from instrument list codes, which are lower_snake_case.
PASS_FAIL_LIST, RATING4_LIST = "surveyor-pass-fail", "surveyor-rating4"
RESERVED_LISTS = {PASS_FAIL_LIST: "pass_fail", RATING4_LIST: "rating4"}
PASS_FAIL_LABELS = [
    (1, {"fa": "قبول", "en": "Pass", "ar": "مقبول"}),
    (0, {"fa": "مردود", "en": "Fail", "ar": "مرفوض"}),
]

# Rows of the instrument sheet: name -> the labels it holds ("labels"), a value ("value") or both.
INSTRUMENT_ROWS = {
    "title": "labels", "respondents": "labels", "introduction": "labels", "thank_you": "labels",
    "dont_know": "labels", "service_standard": "both", "service_standard.measured_by": "value",
    "provenance.model": "value",
    "provenance.standards": "value", "provenance.dimensions": "value", "provenance.notes": "value",
    "scoring.critical_rule": "value", "scoring.cap_percent": "value", "scoring.rule_text": "labels",
}
REPEATED_INSTRUMENT_ROWS = {"provenance.standards"}

# Key order of the YAML files, as in questionnaires/trn-q01.yaml and checklists/trn-c01.yaml.
DOCUMENT_KEYS = ("code", "kind", "domain", "languages", "title", "respondents", "introduction", "thank_you",
                 "dont_know", "provenance", "service_standard", "dimensions", "choice_lists", "items", "scoring")
PROVENANCE_KEYS = ("model", "standards", "dimensions", "notes")
SERVICE_STANDARD_KEYS = ("minutes", "measured_by", "labels")
SCORING_KEYS = ("critical_rule", "cap_percent", "grades", "rule_text")
ITEM_KEYS = ("code", "role", "dimension", "type", "choices", "required", "dont_know", "min", "max", "max_length",
             "unit", "acceptable", "weight", "critical", "not_applicable", "photo_on_fail", "action_on_fail",
             "labels", "hint")

_LANGUAGE_HEADER = re.compile(r"^\s*([A-Za-z_]+)\s*::\s*(.+?)\s*$")
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z-]+)\s*\)\s*$")


def language_header(base: str, lang: str) -> str:
    """``label::Persian (fa)``: the header of one language's column."""
    return f"{base}::{LANGUAGE_NAMES[lang]} ({lang})"


def language_of(text: str) -> str | None:
    """``fa`` for "Persian (fa)", "Persian", "Farsi" or "fa"; None for a language we do not support."""
    text = text.strip()
    match = _LANGUAGE_CODE.search(text)
    if match:
        code = match.group(1).lower()
        return code if code in LANGUAGES else None
    lowered = text.lower()
    return lowered if lowered in LANGUAGES else LANGUAGE_ALIASES.get(lowered)


def parse_header(text: str) -> tuple[str, str | None]:
    """A header as ``(base, language)``: ``("label", "fa")``, ``("list_name", None)``.

    A language Surveyor does not support is kept as written (``"French (fr)"``), so it is
    never one of :data:`LANGUAGES`.
    """
    match = _LANGUAGE_HEADER.match(text)
    if match:
        return match.group(1).lower(), language_of(match.group(2)) or match.group(2)
    base = " ".join(text.split()).lower()
    return COLUMN_ALIASES.get(base, base.replace(" ", "_")), None
