"""Report definitions (``reports/<kind>.yaml``): the sections a report has, in order, and its
fixed texts.

A definition is read in stages, as instrument files are: the YAML is read, then checked by
small validators that each add every problem they find (naming the file, the section and the
text), then built into a :class:`ReportDefinition`. Nothing is built until all checks pass.

The file holds ``kind``, ``languages``, ``page`` and ``common`` (texts used on every page
and by several sections) and ``sections``: a list of ``{id, texts}``. A text maps each
language to a string; ``{name}`` placeholders are filled by the builder and must be the same
in every language of a text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Formatter
from types import MappingProxyType
from typing import Iterable, Mapping

import yaml

from ...config import PROJECT_ROOT

REPORTS_DIR = PROJECT_ROOT / "reports"
SHARED_BLOCKS = ("page", "common")
REQUIRED_LANGUAGES = ("fa", "en")


class ReportDefinitionError(ValueError):
    """A report definition file cannot be used; the message lists every problem found."""


@dataclass(frozen=True)
class ReportDefinition:
    kind: str
    path: Path
    languages: tuple[str, ...]
    sections: tuple[str, ...]
    texts: Mapping[str, Mapping[str, Mapping[str, str]]]  # block -> key -> language -> text

    def text(self, block: str, key: str, lang: str, /, **values) -> str:
        """Text ``key`` of ``block`` (a section id, ``page`` or ``common``) in ``lang``,
        with its placeholders filled from ``values``."""
        if lang not in self.languages:
            raise ValueError(
                f"{self.path.name} has no texts in {lang!r}; it has " f"{', '.join(self.languages)}"
            )
        try:
            template = self.texts[block][key][lang]
        except KeyError:
            raise ValueError(
                f"{self.path}: block {block!r} has no text {key!r}; add it with "
                f"a version in each of {', '.join(self.languages)}"
            ) from None
        try:
            return template.format_map(values)
        except KeyError as exc:
            raise ValueError(
                f"{self.path}: text {key!r} of {block!r} uses the placeholder "
                f"{{{exc.args[0]}}}, which the report does not fill; it fills: "
                f"{', '.join(sorted(values)) or 'none'}"
            ) from None

    def has_text(self, block: str, key: str) -> bool:
        return key in self.texts.get(block, {})

    def bound(self, block: str, lang: str) -> "BoundTexts":
        return BoundTexts(self, block, lang)


@dataclass(frozen=True)
class BoundTexts:
    """The texts of one block in one language: ``texts("key", name=value)``."""

    definition: ReportDefinition
    block: str
    lang: str

    def __call__(self, key: str, **values) -> str:
        return self.definition.text(self.block, key, self.lang, **values)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def _check_header(data: dict, kind: str, where: str, errors: list[str]) -> None:
    if data.get("kind") != kind:
        errors.append(f"{where}: 'kind' must be {kind!r}, found {data.get('kind')!r}")
    languages = data.get("languages")
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        errors.append(f"{where}: 'languages' must be a list of language codes such as [fa, en]")
        return
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in languages]
    if missing:
        errors.append(f"{where}: 'languages' must include {', '.join(missing)}")


def _check_sections(data: dict, known: Iterable[str], where: str, errors: list[str]) -> None:
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.append(f"{where}: 'sections' must be a non-empty list of {{id, texts}}")
        return
    known, seen = set(known), set()
    for number, section in enumerate(sections, 1):
        if not isinstance(section, dict) or not isinstance(section.get("id"), str):
            errors.append(f"{where}: section {number} must be a mapping with an 'id'")
            continue
        section_id = section["id"]
        if section_id not in known:
            errors.append(
                f"{where}: section {number} has id {section_id!r}, which this report "
                f"cannot draw; use one of: {', '.join(sorted(known))}"
            )
        if section_id in seen:
            errors.append(f"{where}: section {section_id!r} appears twice; keep one")
        seen.add(section_id)
        if section_id in SHARED_BLOCKS:
            errors.append(f"{where}: {section_id!r} is a shared block, not a section id")


def _text_blocks(data: dict) -> dict[str, object]:
    blocks = {name: data.get(name) for name in SHARED_BLOCKS}
    for section in data.get("sections") or []:
        if isinstance(section, dict) and isinstance(section.get("id"), str):
            blocks.setdefault(
                section["id"], section.get("texts", {})
            )  # a repeat is reported, not read
    return blocks


def _check_texts(data: dict, where: str, errors: list[str]) -> None:
    languages = [lang for lang in data.get("languages") or [] if isinstance(lang, str)]
    for block, texts in _text_blocks(data).items():
        if texts is None and block in SHARED_BLOCKS:
            errors.append(f"{where}: the '{block}' block is missing")
            continue
        if not isinstance(texts, dict):
            errors.append(f"{where}: the texts of {block!r} must be a mapping of key to texts")
            continue
        for key, text in texts.items():
            at = f"{where}, {block!r}, text {key!r}"
            if not isinstance(text, dict):
                errors.append(f"{at}: must map each language to a text, e.g. {{fa: ..., en: ...}}")
                continue
            for lang in languages:
                if not isinstance(text.get(lang), str) or not text[lang].strip():
                    errors.append(f"{at}: no {lang!r} text; add one")
            extra = sorted(set(text) - set(languages))
            if extra:
                errors.append(
                    f"{at}: languages {', '.join(map(str, extra))} are not listed in "
                    f"'languages'"
                )
            _check_placeholders(text, languages, at, errors)


def _check_placeholders(text: dict, languages: list[str], at: str, errors: list[str]) -> None:
    found = {}
    for lang in languages:
        if isinstance(text.get(lang), str):
            try:
                found[lang] = _placeholders(text[lang])
            except ValueError as exc:
                errors.append(f"{at} [{lang}]: {exc}; write a literal brace as {{{{ or }}}}")
    if len({frozenset(names) for names in found.values()}) > 1:
        listed = "; ".join(f"{lang}: {{{'}, {'.join(sorted(n))}}}" for lang, n in found.items())
        errors.append(
            f"{at}: the languages use different placeholders ({listed}); " f"use the same in each"
        )


def _build(data: dict, kind: str, path: Path) -> ReportDefinition:
    texts = {
        block: MappingProxyType(
            {key: MappingProxyType(dict(value)) for key, value in (block_texts or {}).items()}
        )
        for block, block_texts in _text_blocks(data).items()
    }
    return ReportDefinition(
        kind=kind,
        path=path,
        languages=tuple(data["languages"]),
        sections=tuple(s["id"] for s in data["sections"]),
        texts=MappingProxyType(texts),
    )


def read_definition(path: Path, kind: str, known_sections: Iterable[str]) -> ReportDefinition:
    """Read, check and build the definition in ``path``; raises ReportDefinitionError listing
    every problem."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportDefinitionError(f"{where}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ReportDefinitionError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ReportDefinitionError(
            f"{where}: must be a mapping with kind, languages, page, " f"common and sections"
        )
    errors: list[str] = []
    _check_header(data, kind, where, errors)
    _check_sections(data, known_sections, where, errors)
    _check_texts(data, where, errors)
    if errors:
        raise ReportDefinitionError("\n".join(errors))
    return _build(data, kind, path)


@lru_cache(maxsize=16)
def _cached(path: str, _mtime_ns: int, kind: str, known: tuple[str, ...]) -> ReportDefinition:
    return read_definition(Path(path), kind, known)


def report_definition(
    kind: str, known_sections: Iterable[str], directory: str | os.PathLike | None = None
) -> ReportDefinition:
    """The definition of the ``kind`` report (``questionnaire`` or ``checklist``) from
    ``directory`` (default: the project's ``reports/``), read again when the file changes."""
    path = Path(directory or REPORTS_DIR) / f"{kind}.yaml"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise ReportDefinitionError(f"{path}: no such report definition") from None
    return _cached(str(path), mtime, kind, tuple(sorted(known_sections)))
