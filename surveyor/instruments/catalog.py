"""Reading the loaded instruments back from the database, for pages and the command line."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Instrument

# The catalog's four domains in their display order, with translated names.
DOMAINS = {
    "transport": _l("Transport"),
    "urban services": _l("Urban services"),
    "cultural, social and sports": _l("Cultural, social and sports"),
    "civil works and urban development": _l("Civil works and urban development"),
}


def all_instruments() -> list[Instrument]:
    """Every instrument with its versions, ordered by code."""
    return list(db.session.scalars(
        select(Instrument).options(selectinload(Instrument.versions)).order_by(Instrument.code)))


# The two kinds, questionnaires first as in the catalog, with translated plural names.
KINDS = {"questionnaire": _l("Questionnaires"), "checklist": _l("Checklists")}


def instruments_by_domain() -> list[tuple[str, list[tuple[str, list[Instrument]]]]]:
    """(translated domain name, [(translated kind name, instruments)]) in catalog order, by code
    within a kind; empty domains and kinds left out."""
    instruments = all_instruments()
    groups = []
    for domain, name in DOMAINS.items():
        kinds = [(kind_name, members) for kind, kind_name in KINDS.items()
                 if (members := [i for i in instruments if i.domain == domain and i.kind == kind])]
        if kinds:
            groups.append((name, kinds))
    return groups


def checklist_sections(definition: dict) -> list[tuple[dict, list[dict]]]:
    """A checklist's sections (its dimensions) with their check items, in file order; the
    site items the inspector records come first under a section of their own (dimension None)."""
    site = [item for item in definition["items"] if item["role"] == "site"]
    sections = [({"code": None, "labels": None}, site)] if site else []
    for dimension in definition["dimensions"]:
        items = [item for item in definition["items"]
                 if item["role"] == "check" and item.get("dimension") == dimension["code"]]
        sections.append((dimension, items))
    return sections


def listing(instruments: list[Instrument]) -> list[dict]:
    """The shape ``surveyor instruments list --json`` prints; other tools rely on it."""
    rows = []
    for instrument in instruments:
        definition = instrument.latest.definition
        items = []
        for item in definition["items"]:
            row = {key: item.get(key) for key in ("code", "role", "type", "dimension", "labels")}
            if "options" in item:
                row["options"] = item["options"]
            if instrument.kind == "checklist":
                # Site facts (role ``site``: number of cubicles, ...) are recorded, not scored.
                row["weight"] = item["weight"] if item["role"] == "check" else 0
                row["critical"] = item["critical"] if item["role"] == "check" else False
            items.append(row)
        rows.append({"code": instrument.code, "kind": instrument.kind, "domain": instrument.domain,
                     "version": instrument.latest.number, "languages": definition["languages"],
                     "title": definition["title"], "items": items})
    return rows
