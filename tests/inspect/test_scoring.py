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


def ranges_checklist():
    """Measurements bounded above only and on both sides, and a critical rating item."""
    grades = [{"code": "A", "min_percent": 90}, {"code": "B", "min_percent": 75},
              {"code": "C", "min_percent": 60}, {"code": "D", "min_percent": 0}]
    return {
        "dimensions": [{"code": "env"}, {"code": "service"}],
        "scoring": {"critical_rule": "cap", "cap_percent": 50, "grades": grades},
        "items": [
            {"code": "noise", "role": "check", "type": "measurement", "dimension": "env", "weight": 2,
             "acceptable": {"max": 55}},
            {"code": "temp", "role": "check", "type": "measurement", "dimension": "env", "weight": 1,
             "acceptable": {"min": 18, "max": 26}},
            {"code": "staff", "role": "check", "type": "rating4", "dimension": "service", "weight": 3,
             "critical": True},
            {"code": "sign", "role": "check", "type": "pass_fail", "dimension": "service", "weight": 2},
        ],
    }


def findings(noise=40, temp=20, staff=4, sign="pass"):
    return {"noise": Finding(measured=noise), "temp": Finding(measured=temp), "staff": Finding(rating=staff),
            "sign": Finding(sign)}


def test_a_maximum_only_range_includes_its_bound():
    # noise 55 ≤ 55 (2·1), temp 18 on its lower bound (1·1), staff 4/4 (3·1), sign pass (2·1): 8/8 = 100 % -> A
    at_bound = score_inspection(ranges_checklist(), findings(noise=55, temp=18))
    assert at_bound.percent == pytest.approx(100.0) and at_bound.grade == "A" and at_bound.failed_items == ()
    # noise 55.1 > 55 (2·0), temp 26 on its upper bound (1·1), staff (3), sign (2)
    # env = (0 + 1) / 3 = 33.33 %; service = 5/5 = 100 %; overall = 6/8 = 75 % -> B; failed: noise
    over = score_inspection(ranges_checklist(), findings(noise=55.1, temp=26))
    assert over.sections == {"env": pytest.approx(100 / 3), "service": pytest.approx(100.0)}
    assert over.percent == pytest.approx(75.0) and over.grade == "B" and over.failed_items == ("noise",)
    # no lower bound: a reading of 0 is inside the range
    assert score_inspection(ranges_checklist(), findings(noise=0)).percent == pytest.approx(100.0)


@pytest.mark.parametrize("temp", [17.9, 26.1])
def test_a_two_sided_range_fails_below_and_above(temp):
    # noise 40 (2·1), temp outside 18-26 (1·0), staff (3), sign (2): 7/8 = 87.5 % -> B; env = 2/3 = 66.67 %
    score = score_inspection(ranges_checklist(), findings(temp=temp))
    assert score.percent == pytest.approx(87.5) and score.grade == "B"
    assert score.sections["env"] == pytest.approx(200 / 3) and score.failed_items == ("temp",)


def test_a_rating_of_2_scores_half_and_is_not_a_failure():
    # staff 2/4 = 0.5 (3·0.5 = 1.5), the rest perfect: (2 + 1 + 1.5 + 2) / 8 = 81.25 % -> B
    # service = (1.5 + 2) / 5 = 70 %; a rating of 2 is above the failure line (0 or 1): nothing failed, no cap
    score = score_inspection(ranges_checklist(), findings(staff=2))
    assert score.percent == pytest.approx(81.25) and score.grade == "B"
    assert score.sections["service"] == pytest.approx(70.0)
    assert score.failed_items == () and not score.critical_failed


@pytest.mark.parametrize(("rating", "uncapped"), [(1, 71.875), (0, 62.5)])
def test_a_critical_rating_item_rated_1_or_0_caps_the_score(rating, uncapped):
    # staff 1/4: (2 + 1 + 3·0.25 + 2) / 8 = 5.75/8 = 71.875 %; staff 0: (2 + 1 + 0 + 2) / 8 = 62.5 %
    # staff is critical and failed: capped at 50 % -> D
    score = score_inspection(ranges_checklist(), findings(staff=rating))
    assert score.uncapped_percent == pytest.approx(uncapped)
    assert score.percent == pytest.approx(50.0) and score.grade == "D"
    assert score.critical_failed and score.failed_items == ("staff",)
