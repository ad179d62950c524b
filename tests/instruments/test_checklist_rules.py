"""Checklist rules: weights, critical items, scoring, measured ranges."""
from __future__ import annotations

import copy

import pytest
import yaml

from surveyor.config import PROJECT_ROOT
from surveyor.instruments import InstrumentError, load_file

EXEMPLAR = PROJECT_ROOT / "checklists" / "trn-c01.yaml"


def original() -> dict:
    return yaml.safe_load(EXEMPLAR.read_text(encoding="utf-8"))


def checks(doc):
    return [i for i in doc["items"] if i["role"] == "check"]


def first(doc, type_):
    return next(i for i in checks(doc) if i["type"] == type_)


CASES = [
    ("zero weight", lambda d: checks(d)[0].update(weight=0), "weight must be positive"),
    ("missing weight", lambda d: checks(d)[0].pop("weight"), "every checklist item needs a weight"),
    ("no critical item", lambda d: [i.update(critical=False) for i in checks(d)], "at least one critical item"),
    ("no scoring", lambda d: d.pop("scoring"), "must state how it is scored"),
    ("no photo on failure", lambda d: [i.pop("photo_on_fail", None) for i in checks(d)],
     "items: no item says its failure needs a photo. Fix: mark the items"),
    ("no corrective action", lambda d: [i.update(action_on_fail=False) for i in checks(d)],
     "items: no item says its failure needs a corrective-action note"),
    ("cap without percent", lambda d: d["scoring"].update(critical_rule="cap") or d["scoring"].pop("cap_percent", None),
     "needs cap_percent"),
    ("grades out of order", lambda d: d["scoring"]["grades"].reverse(), "grades must go from the best down"),
    ("measurement without range", lambda d: first(d, "measurement").pop("acceptable"), "needs its acceptable range"),
    ("measurement without unit", lambda d: first(d, "measurement").pop("unit"), "needs a unit"),
    ("questionnaire role", lambda d: checks(d)[0].update(role="driver"), "is not used in a checklist"),
    ("check without section", lambda d: checks(d)[0].pop("dimension"), "a check item needs a dimension"),
    ("pass/fail with a weight on a site item",
     lambda d: next(i for i in d["items"] if i["role"] == "site").update(weight=2), "scored checklist items"),
]


@pytest.mark.parametrize("name, change, expected", CASES, ids=[c[0] for c in CASES])
def test_each_checklist_rule_reports_its_problem(tmp_path, name, change, expected):
    doc = copy.deepcopy(original())
    change(doc)
    path = tmp_path / "trn-c01.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems


def test_normalized_checks_carry_their_scoring_attributes():
    definition = load_file(EXEMPLAR)
    for item in definition["items"]:
        if item["role"] == "check":
            assert item["weight"] > 0
            assert {"critical", "not_applicable", "photo_on_fail", "action_on_fail"} <= set(item)
    assert any(item["critical"] for item in definition["items"] if item["role"] == "check")
