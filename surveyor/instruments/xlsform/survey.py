"""Stage 3 of an import, survey sheet: the items, in order, with begin_group/end_group read as
the dimension of the driver and check items inside a group."""
from __future__ import annotations

from .cells import Builder, Source, without_none
from .layout import BOOLEAN_COLUMNS, ITEM_KEYS, NUMBER_COLUMNS, RESERVED_LISTS, SURVEY
from .reader import Row
from .unsupported import QUESTION_TYPES, parse_type

RATING_ROLES = {"outcome", "driver", "recommend"}
ROLES_WITH_DIMENSION = {"driver", "check"}
XLSFORM_TYPES = {"rating": "select_one LIST", "choice": "select_one LIST", "number": "integer or decimal",
                 "text": "text", "pass_fail": "select_one surveyor-pass-fail",
                 "rating4": "select_one surveyor-rating4", "measurement": "decimal or integer"}


def build_items(builder: Builder, dimensions: list[dict]) -> list[dict]:
    """The items of the survey sheet; dimensions declared by groups are added to ``dimensions``."""
    items, group, declared = [], None, {d.get("code") for d in dimensions}
    for row in builder.rows(SURVEY):
        keyword, list_name, _ = parse_type(row.text("type"))
        if keyword == "begin_group":
            if group is not None:
                builder.note(row, "type", "groups inside groups are not supported", "close the outer group first")
            group = {"row": row, "code": row.text("name"), "labels": builder.labels(row), "used": False}
        elif keyword == "end_group":
            if group is None:
                builder.note(row, "type", "end_group without begin_group", "delete the row or add its begin_group")
            else:
                _close_group(builder, group, dimensions, declared)
            group = None
        elif keyword in QUESTION_TYPES and (keyword != "select_one" or list_name):
            builder.sources[f"items[{len(items)}]"] = Source(row.place(row.text("name")))
            items.append(_item(builder, row, keyword, list_name, group))
    if group is not None:
        builder.note(group["row"], "type", "begin_group without end_group", "add an end_group row after the group")
    return items


def _close_group(builder: Builder, group: dict, dimensions: list[dict], declared: set) -> None:
    """A group is read as the dimension of the driver and check items inside it."""
    row = group["row"]
    if not group["used"]:
        builder.note(row, "type", "a group is read as a dimension, but no driver or check item in it lacks one",
                     "delete the begin_group and end_group rows, or give them driver or check items")
    elif group["code"] not in declared:
        builder.sources[f"dimensions[{len(dimensions)}]"] = Source(row.place(group["code"]), "name")
        dimensions.append(without_none({"code": group["code"], "labels": group["labels"]}))
        declared.add(group["code"])


def _item(builder: Builder, row: Row, keyword: str, list_name: str | None, group: dict | None) -> dict:
    """One item, its keys in the exemplars' order; empty cells leave their key out."""
    code = row.text("name")
    role = row.text("role")
    item = {"code": code, "role": role, "dimension": row.text("dimension")}
    if item["dimension"] is None and group and group["code"] and role in ROLES_WITH_DIMENSION:
        item["dimension"], group["used"] = group["code"], True
    item["type"] = _item_type(builder, row, keyword, list_name, role)
    if item["type"] in ("rating", "choice"):
        item["choices"] = list_name
    for column in BOOLEAN_COLUMNS:
        item[column] = builder.boolean(row, column, code)
    for column in NUMBER_COLUMNS:
        item[column] = builder.number(row, column, code)
    item["max_length"] = builder.number(row, "max_length", code)
    acceptable = without_none({"min": item.pop("acceptable_min"), "max": item.pop("acceptable_max")})
    item["acceptable"] = acceptable or None
    for base, key in (("unit", "unit"), ("label", "labels"), ("hint", "hint")):
        item[key] = builder.labels(row, base) or ({} if key == "labels" else None)
    return {key: item[key] for key in ITEM_KEYS if item.get(key) is not None}


def _item_type(builder: Builder, row: Row, keyword: str, list_name: str | None, role: str | None) -> str:
    """The surveyor_type column if given (checked against the XLSForm type), else what type and role imply."""
    declared = row.text("surveyor_type")
    reserved = RESERVED_LISTS.get(list_name or "")
    if declared is None:
        if reserved:
            return reserved
        if keyword == "select_one":
            return "rating" if role in RATING_ROLES else "choice"
        if keyword in ("integer", "decimal"):
            return "measurement" if role == "check" else "number"
        return "text"
    listed = keyword == "select_one" and not reserved
    numeric = keyword in ("integer", "decimal")
    fits = {"rating": listed, "choice": listed, "number": numeric, "measurement": numeric, "text": keyword == "text",
            "pass_fail": reserved == "pass_fail", "rating4": reserved == "rating4"}
    if declared in fits and not fits[declared]:
        builder.note(row, "type", f"type {row.text('type')!r} does not fit surveyor_type {declared}",
                     f"write type {XLSFORM_TYPES[declared]}", row.text("name"))
    return declared
