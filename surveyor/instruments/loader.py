"""Read instrument YAML files, validate them against the JSON Schema and the rules, normalize them."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .errors import InstrumentError, Problem
from .links import standard_link_problems
from .normalize import normalize
from .paths import describe_path
from .rules import catalog, check_rules, check_rules_despite_shape

INSTRUMENT_FOLDERS = ("questionnaires", "checklists")


@dataclass(frozen=True)
class LoadedFile:
    """A valid instrument file: where it was read from and its normalized definition."""

    path: str
    definition: dict


@lru_cache(maxsize=1)
def schema() -> dict:
    """The instrument JSON Schema shipped in the package."""
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def discover_files(root: Path) -> list[Path]:
    """Every instrument file under ``root``'s questionnaires/ and checklists/, sorted."""
    files: list[Path] = []
    for folder in INSTRUMENT_FOLDERS:
        files.extend(sorted((Path(root) / folder).glob("*.yaml")))
    return files


def _read_yaml(path: Path, shown: str) -> tuple[object, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, "", f"cannot be read: {exc}", "save it as UTF-8 text")]
    try:
        return yaml.safe_load(text), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(shown, where, f"is not valid YAML: {reason}",
                              "check the indentation and quoting near that line")]


def _schema_problems(doc, shown: str) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        if error.context:
            # "valid under none of the alternatives": report the deepest problem, which is the
            # one inside the alternative the author meant.
            error = max(error.context, key=lambda sub: len(sub.absolute_path))
        path = describe_path(doc, error.absolute_path)
        problems.append(Problem(shown, path, _schema_message(error), _schema_fix(error)))
    return problems


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown key(s) {', '.join(map(repr, extra))}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required but missing")
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    return error.message


def _schema_fix(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"remove it or use one of: {allowed}"
    if error.validator == "pattern":
        return f"use a value matching {error.validator_value}"
    if error.validator == "enum":
        return "use one of the listed values"
    if error.validator == "oneOf":
        return "give either a list of options (value and labels) or a range with from, to and anchors"
    return "see surveyor/instruments/schema.json for this field"


def load_file(path: Path, root: Path | None = None) -> dict:
    """Load, validate and normalize one instrument file.

    Raises :class:`InstrumentError` listing every problem found in the file.
    """
    path = Path(path)
    shown = _shown(path, root)
    doc, problems = _read_yaml(path, shown)
    if problems:
        raise InstrumentError(problems)
    if not isinstance(doc, dict):
        raise InstrumentError([Problem(shown, "", "must be a YAML mapping of keys to values",
                                       "start the file with 'code: ...' as in questionnaires/trn-q01.yaml")])
    problems = _schema_problems(doc, shown)
    if problems:
        # Report what the rules find as well, all at once; a rule that cannot run on the
        # refused shape is counted, and runs once the schema problems are fixed.
        found, skipped = check_rules_despite_shape(doc, path.name)
        seen = {(p.path, p.message) for p in problems}
        problems += [Problem(shown, where, message, fix) for where, message, fix in found
                     if (where, message) not in seen]
        if skipped:
            problems.append(Problem(shown, "", f"{skipped} further check(s) could not run on this file's shape",
                                    "fix the problems above and validate again"))
        raise InstrumentError(problems)
    problems = [Problem(shown, where, message, fix) for where, message, fix in check_rules(doc, path.name)]
    if problems:
        raise InstrumentError(problems)
    return normalize(doc)


def _shown(path: Path, root: Path | None) -> str:
    return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)


def validate_files(paths: list[Path], root: Path | None = None) -> tuple[list[LoadedFile], list[Problem]]:
    """Validate many files, returning the good ones and every problem of the bad ones, including
    links between them (a questionnaire's standard and the checklist item that measures it)."""
    loaded, problems = [], []
    codes: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            definition = load_file(path, root)
        except InstrumentError as exc:
            problems.extend(exc.problems)
            continue
        shown = _shown(path, root)
        if definition["code"] in codes:
            problems.append(Problem(shown, "code", f"{definition['code']} is also used by {codes[definition['code']]}",
                                    "give every instrument its own catalog code"))
            continue
        codes[definition["code"]] = shown
        loaded.append(LoadedFile(shown, definition))
    checklists = {entry.definition["code"]: entry.definition for entry in loaded
                  if entry.definition["kind"] == "checklist"}
    linked = {entry.path: standard_link_problems(entry.path, entry.definition, checklists) for entry in loaded}
    problems.extend(problem for found in linked.values() for problem in found)
    return [entry for entry in loaded if not linked[entry.path]], problems


def missing_catalog_files(root: Path, shown_from: Path | None = None) -> list[Problem]:
    """A problem for each catalog instrument that has no file where the catalog puts it
    (``questionnaires/`` or ``checklists/`` under ``root``, named after its code). Files are
    named relative to ``shown_from`` (default: ``root``)."""
    root = Path(root)
    problems = []
    for code, entry in catalog().items():
        folder, other = ("questionnaires", "checklists") if entry["kind"] == "questionnaire" \
            else ("checklists", "questionnaires")
        expected = root / folder / f"{code.lower()}.yaml"
        if expected.is_file():
            continue
        misplaced = root / other / expected.name
        if misplaced.is_file():
            problems.append(Problem(_shown(misplaced, shown_from or root), "",
                                    f"{code} is a {entry['kind']}, so its file belongs in {folder}/",
                                    f"move it to {_shown(expected, shown_from or root)}"))
        else:
            problems.append(Problem(_shown(expected, shown_from or root), "",
                                    f"{code} ({entry['title_en']}) is in the catalog but has no file",
                                    f"write {expected.name} in {folder}/ or restore it from version control; "
                                    f"all {len(catalog())} catalog instruments must have their file"))
    return problems


def load_all(root: Path) -> list[LoadedFile]:
    """Every instrument under ``root``; raises InstrumentError if any file has a problem."""
    definitions, problems = validate_files(discover_files(root), root)
    if problems:
        raise InstrumentError(problems)
    return definitions
