"""Turn a validated instrument document into the normalized definition the app stores.

The normalized form is explicit: every item has all its keys, choice lists are expanded
into each item's ``options``, and numeric ranges are labelled with each language's digits.
It is what ``instruments list --json`` prints and what an instrument version keeps.
"""
from __future__ import annotations

import copy
import hashlib
import json

from ..formatting import localize_digits

ITEM_DEFAULTS = {"dimension": None, "required": False, "dont_know": False}
CHECK_DEFAULTS = {"critical": False, "not_applicable": True, "photo_on_fail": False, "action_on_fail": False}


def expand_choice_list(spec, languages: list[str]) -> list[dict]:
    """A choice list as options ``{value, labels[, anchor]}``; ranges get numeric labels."""
    if isinstance(spec, list):
        return [{"value": option["value"], "labels": dict(option["labels"])} for option in spec]
    anchors = {int(key): labels for key, labels in spec["anchors"].items()}
    options = []
    for value in range(spec["from"], spec["to"] + 1):
        option = {"value": value, "labels": {lang: localize_digits(value, lang) for lang in languages}}
        if value in anchors:
            option["anchor"] = dict(anchors[value])
        options.append(option)
    return options


def normalize(doc: dict) -> dict:
    """Return the normalized definition of a schema- and rule-valid document."""
    doc = copy.deepcopy(doc)
    lists = {name: expand_choice_list(spec, doc["languages"]) for name, spec in doc.pop("choice_lists", {}).items()}
    items = []
    for raw in doc["items"]:
        item = {**ITEM_DEFAULTS, **raw}
        if raw["role"] == "check":
            item = {**item, **CHECK_DEFAULTS, **raw}
        if "choices" in item:
            item["options"] = copy.deepcopy(lists[item["choices"]])
        items.append(item)
    doc["items"] = items
    return doc


def definition_hash(definition: dict) -> str:
    """A stable fingerprint of a normalized definition: same content, same hash."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
