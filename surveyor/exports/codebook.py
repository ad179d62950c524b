"""The codebook of an export: what each column holds, in one language, shared by XLSX and SPSS.

A :class:`Variable` describes one column of the CSV header (``rows()`` of the responses or
inspections export): its label in the chosen language, the item's type, role and dimension,
its value labels, the codes that mean "not applicable", the instrument versions that have it,
and the name it takes in SPSS. Items are described by the latest version that has them, and
an item's value labels are the union of its options over all versions (latest wording wins).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from ..formatting import localize_digits
from ..i18n import localized
from ..models import Instrument
from .vocabulary import CODES, INSPECTION_COLUMNS, RESPONSE_COLUMNS, TEXTS

LANGUAGES = ("fa", "en", "ar")
# A not-applicable finding in a numeric checklist column: "na" in the CSV and XLSX, this
# user-missing code in SPSS (which pyreadstat, haven and SPSS itself read as missing).
NOT_APPLICABLE_CODE = -999999
SPSS_NAME_BYTES = 64
# Words SPSS reserves; they cannot be variable names (IBM SPSS Statistics, "Variable names").
SPSS_RESERVED = frozenset({"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"})
SECTION_PREFIX = "section:"
ITEM_PREFIX = "item:"  # an item whose code is also a record column (CUL-Q04's "language") is "item:language"


def item_column(code: str, fixed_columns) -> str:
    """The export column of the item ``code``: its code, or ``item:<code>`` when a record column
    (``language``, ``district``, ``grade``, ...) already has that name, so no header is repeated."""
    return f"{ITEM_PREFIX}{code}" if code in fixed_columns else code


@dataclass(frozen=True)
class Variable:
    """One column of an export, described in one language.

    ``storage`` is how SPSS keeps it (``numeric``, ``string`` or ``datetime``); ``measure`` its
    SPSS level (``nominal``, ``ordinal``, ``scale``); ``values`` the value labels;
    ``missing`` the codes meaning "not applicable" as ``(value in CSV/XLSX, value in SPSS,
    label)``; ``note`` says why the SPSS name differs from the column, if it does.
    """

    column: str
    spss_name: str
    label: str
    type: str
    role: str
    storage: str
    measure: str
    dimension: str = ""
    unit: str = ""
    values: tuple[tuple[object, str], ...] = ()
    missing: tuple[tuple[object, object, str], ...] = ()
    versions: tuple[int, ...] = ()
    note: str = ""
    missing_note: str = ""


def spss_names(columns: list[str]) -> list[str]:
    """Valid, unique SPSS variable names for ``columns``, the same for the same columns.

    A name keeps only ASCII letters, digits and ``_`` (others become ``_``); one that does not
    start with a letter, or is a reserved word, gets ``v_`` in front; one longer than 64 bytes
    is cut to 55 characters plus ``_`` and 8 hex digits of the column's SHA-1; a name already
    taken (SPSS ignores case) gets ``_2``, ``_3`` ... at the end.
    """
    taken: set[str] = set()
    names = []
    for column in columns:
        name = re.sub(r"[^A-Za-z0-9_]", "_", column)
        if not name[:1].isalpha() or name.lower() in SPSS_RESERVED:
            name = "v_" + name
        if len(name) > SPSS_NAME_BYTES:
            digest = hashlib.sha1(column.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
            name = f"{name[:SPSS_NAME_BYTES - 9]}_{digest}"
        base, counter = name, 1
        while name.lower() in taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[:SPSS_NAME_BYTES - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def _versions_with(instrument: Instrument) -> dict[str, list[tuple[int, dict]]]:
    """Item code -> [(version number, item definition)], oldest first."""
    found: dict[str, list[tuple[int, dict]]] = {}
    for version in instrument.versions:
        for item in version.definition["items"]:
            found.setdefault(item["code"], []).append((version.number, item))
    return found


def _option_labels(defs: list[tuple[int, dict]], lang: str) -> tuple[tuple[object, str], ...]:
    """Value labels of an item's options over all its versions; on 0-10 style ranges, whose
    labels are only the digits, just the anchors ("not at all likely" ... "extremely likely")."""
    labels: dict[object, str] = {}
    for _number, item in defs:
        for option in item.get("options") or ():
            value = option["value"]
            text = localized(option.get("anchor"), lang) or localized(option["labels"], lang)
            if text in (str(value), localize_digits(value, lang)):
                labels.setdefault(value, "")
                continue
            labels[value] = text
    return tuple((value, text) for value, text in labels.items() if text)


def _numeric_values(values) -> bool:
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


ITEM_KINDS = {  # item type -> (storage, measure); choices decide their own storage
    "rating": ("numeric", "ordinal"), "rating4": ("numeric", "ordinal"), "number": ("numeric", "scale"),
    "measurement": ("numeric", "scale"), "text": ("string", "nominal"), "pass_fail": ("string", "nominal"),
    "choice": ("string", "nominal"),
}


def _item_variable(code: str, defs: list[tuple[int, dict]], lang: str, checklist: bool) -> Variable:
    item = defs[-1][1]
    kind = item["type"]
    storage, measure = ITEM_KINDS.get(kind, ("string", "nominal"))
    values = _option_labels(defs, lang)
    if kind == "choice" and _numeric_values([option["value"] for _n, i in defs for option in i["options"]]):
        storage = "numeric"
    missing, missing_note = (), ""
    not_applicable = localized(TEXTS["not_applicable"], lang)
    applicable_or_not = checklist and any(i["role"] == "check" and i.get("not_applicable", True) for _n, i in defs)
    if kind == "pass_fail":
        values = tuple((code_, localized(labels, lang)) for code_, labels in CODES["pass_fail"].items())
    if applicable_or_not:
        missing = (("na", "na" if storage == "string" else NOT_APPLICABLE_CODE, not_applicable),)
    elif any(i.get("dont_know") for _n, i in defs):
        missing_note = localized(TEXTS["dont_know"], lang)
    return Variable(column=code, spss_name=code, label=localized(item["labels"], lang), type=kind,
                    role=item["role"], storage=storage, measure=measure, dimension=item.get("dimension") or "",
                    unit=localized(item.get("unit"), lang), values=values, missing=missing,
                    versions=tuple(number for number, _ in defs), missing_note=missing_note)


def _fixed_variable(column: str, spec: tuple, instrument: Instrument, lang: str, versions: tuple) -> Variable:
    storage, measure, labels = spec
    values: tuple = ()
    if column in CODES:
        values = tuple((code, localized(text, lang)) for code, text in CODES[column].items())
    elif column == "grade":
        grades = instrument.latest.definition.get("scoring", {}).get("grades", [])
        values = tuple((grade["code"], localized(grade.get("labels"), lang)) for grade in grades)
    kind = {"numeric": "number", "string": "text", "datetime": "datetime"}[storage]
    return Variable(column=column, spss_name=column, label=localized(labels, lang), type=kind, role="record",
                    storage=storage, measure=measure, values=values, versions=versions)


def _section_variable(column: str, dimensions: dict, lang: str, versions: tuple) -> Variable:
    code = column[len(SECTION_PREFIX):]
    name = localized(dimensions.get(code), lang) or code
    return Variable(column=column, spss_name=column, label=f"{name}: {localized(TEXTS['section_score'], lang)}",
                    type="section_score", role="section", storage="numeric", measure="scale", dimension=code,
                    unit="%", versions=versions)


def build_codebook(instrument: Instrument, header: list[str], lang: str = "fa") -> list[Variable]:
    """Describe every column of ``header`` (the first row of the CSV export's ``rows()``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown label language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    checklist = instrument.kind == "checklist"
    fixed = INSPECTION_COLUMNS if checklist else RESPONSE_COLUMNS
    items = _versions_with(instrument)
    all_versions = tuple(version.number for version in instrument.versions)
    dimensions: dict[str, dict] = {}
    section_versions: dict[str, list[int]] = {}
    for version in instrument.versions:
        for dimension in version.definition.get("dimensions", []):
            dimensions[dimension["code"]] = dimension["labels"]
            section_versions.setdefault(dimension["code"], []).append(version.number)
    variables = []
    for column in header:
        if column in fixed:
            variables.append(_fixed_variable(column, fixed[column], instrument, lang, all_versions))
        elif column.startswith(SECTION_PREFIX) and checklist:
            versions = tuple(section_versions.get(column[len(SECTION_PREFIX):], ()))
            variables.append(_section_variable(column, dimensions, lang, versions))
        elif column in items:
            variables.append(_item_variable(column, items[column], lang, checklist))
        elif column.startswith(ITEM_PREFIX) and column[len(ITEM_PREFIX):] in items:
            variable = _item_variable(column[len(ITEM_PREFIX):], items[column[len(ITEM_PREFIX):]], lang, checklist)
            variables.append(replace(variable, column=column, spss_name=column))
        else:
            raise ValueError(f"column {column!r} of the {instrument.code} export is neither a known column "
                             "nor an item of any version; add it to surveyor/exports/vocabulary.py")
    renamed = localized(TEXTS["renamed"], lang)
    result = []
    for variable, name in zip(variables, spss_names([v.column for v in variables])):
        note = f"{renamed}: {name}" if name != variable.column else ""
        result.append(replace(variable, spss_name=name, note=note))
    return result


def format_values(variable: Variable) -> str:
    """``value = label`` lines, as the codebook sheet shows them."""
    return "\n".join(f"{value} = {label}" for value, label in variable.values)


def format_missing(variable: Variable) -> str:
    lines = [f"{shown} = {label}" + (f" (SPSS: {spss})" if spss != shown else "")
             for shown, spss, label in variable.missing]
    return "\n".join(lines + ([variable.missing_note] if variable.missing_note else []))


def format_versions(versions: tuple[int, ...]) -> str:
    """``1-3, 5``: runs of consecutive version numbers joined."""
    runs: list[list[int]] = []
    for number in versions:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
