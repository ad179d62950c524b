"""Checklist scores against hand-worked examples of each rule (the arithmetic is in comments)."""
from __future__ import annotations

import pytest

from surveyor.inspect.scoring import Finding, score_inspection


def checklist(rule="cap", cap=50):
    grades = [{"code": "A", "min_percent": 90}, {"code": "B", "min_percent": 75},
              {"code": "C", "min_percent": 60}, {"code": "D", "min_percent": 0}]
    return {
        "dimensions": [{"code": "clean"}, {"code": "safety"}],
        "scoring": {"critical_rule": rule, "cap_percent": cap, "grades": grades},
        "items": [
            {"code": "site_name", "role": "site", "type": "text"},
            {"code": "floor", "role": "check", "type": "pass_fail", "dimension": "clean", "weight": 2},
            {"code": "odour", "role": "check", "type": "rating4", "dimension": "clean", "weight": 3},
            {"code": "lux", "role": "check", "type": "measurement", "dimension": "safety", "weight": 1,
             "acceptable": {"min": 150}},
            {"code": "exit", "role": "check", "type": "pass_fail", "dimension": "safety", "weight": 4,
             "critical": True},
        ],
    }


def test_weighted_compliance_per_section_and_overall():
    # floor pass (2·1), odour 3/4 (3·0.75), lux 200 ≥ 150 (1·1), exit pass (4·1)
    # clean = (2 + 2.25) / 5 = 85 %; safety = (1 + 4) / 5 = 100 %; overall = 9.25 / 10 = 92.5 % -> A
    score = score_inspection(checklist(), {"floor": Finding("pass"), "odour": Finding(rating=3),
                                           "lux": Finding(measured=200), "exit": Finding("pass")})
    assert score.sections == {"clean": pytest.approx(85.0), "safety": pytest.approx(100.0)}
    assert score.percent == pytest.approx(92.5) and score.grade == "A"
    assert not score.critical_failed and score.failed_items == ()


def test_not_applicable_items_leave_the_denominator():
    # odour n/a, lux n/a: clean = 2/2 = 100 %; safety = 4/4; overall = 6/6 = 100 %
    score = score_inspection(checklist(), {"floor": Finding("pass"), "odour": Finding("na"),
                                           "lux": Finding("na"), "exit": Finding("pass")})
    assert score.percent == pytest.approx(100.0) and score.sections["clean"] == pytest.approx(100.0)


def test_failures_and_a_low_rating():
    # floor fail (0), odour 1/4 (3·0.25 = 0.75; a rating of 1 is a failure), lux 100 < 150 (0), exit pass (4)
    # overall = (0 + 0.75 + 0 + 4) / 10 = 47.5 % -> D; failed: floor, odour, lux
    score = score_inspection(checklist(), {"floor": Finding("fail"), "odour": Finding(rating=1),
                                           "lux": Finding(measured=100), "exit": Finding("pass")})
    assert score.percent == pytest.approx(47.5) and score.grade == "D"
    assert score.failed_items == ("floor", "odour", "lux") and not score.critical_failed


def test_a_critical_failure_caps_the_score():
    # everything else perfect: (2 + 3 + 1 + 0) / 10 = 60 %, capped at 50 % -> D
    score = score_inspection(checklist("cap", 50), {"floor": Finding("pass"), "odour": Finding(rating=4),
                                                    "lux": Finding(measured=300), "exit": Finding("fail")})
    assert score.uncapped_percent == pytest.approx(60.0)
    assert score.percent == pytest.approx(50.0) and score.grade == "D" and score.critical_failed


def test_a_cap_above_the_score_changes_nothing():
    # floor fail, odour 2/4, lux ok, exit fail: (0 + 1.5 + 1 + 0) / 10 = 25 %, below the 50 % cap
    score = score_inspection(checklist("cap", 50), {"floor": Finding("fail"), "odour": Finding(rating=2),
                                                    "lux": Finding(measured=150), "exit": Finding("fail")})
    assert score.percent == pytest.approx(25.0)


def test_a_critical_failure_fails_the_site_under_the_fail_rule():
    score = score_inspection(checklist("fail"), {"floor": Finding("pass"), "odour": Finding(rating=4),
                                                 "lux": Finding(measured=300), "exit": Finding("fail")})
    assert score.percent == 0.0 and score.grade == "D" and score.critical_failed


def test_nothing_applicable_gives_no_score():
    score = score_inspection(checklist(), {code: Finding("na") for code in ("floor", "odour", "lux", "exit")})
    assert score.percent is None and score.grade is None


def test_every_shipped_checklist_scores_100_when_all_pass():
    from surveyor.config import PROJECT_ROOT
    from surveyor.instruments import load_all
    for entry in load_all(PROJECT_ROOT):
        definition = entry.definition
        if definition["kind"] != "checklist":
            continue
        findings = {}
        for item in definition["items"]:
            if item["type"] == "pass_fail":
                findings[item["code"]] = Finding("pass")
            elif item["type"] == "rating4":
                findings[item["code"]] = Finding(rating=4)
            elif item["type"] == "measurement":
                bounds = item["acceptable"]
                findings[item["code"]] = Finding(measured=bounds.get("min", bounds.get("max")))
        score = score_inspection(definition, findings)
        assert score.percent == pytest.approx(100.0), definition["code"]
        assert score.grade == definition["scoring"]["grades"][0]["code"]
