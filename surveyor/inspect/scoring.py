"""Checklist scores, computed from the checklist definition alone (pure; no Flask, no database).

The same function scores for the inspector's page, the reports and the exports.

Rules (stated in each checklist's ``scoring.rule_text``):

* an item's score is 1 for pass and 0 for fail (``pass_fail``); rating / 4 (``rating4``);
  1 inside the acceptable range and 0 outside it (``measurement``);
* items marked not applicable are left out, of the numerator and the denominator;
* a section's compliance is ``100 · Σ wᵢ sᵢ / Σ wᵢ`` over its applicable items, the overall
  compliance the same over all applicable items (weights from the checklist);
* an item has failed when it is a fail, a rating of 0 or 1, or a measurement out of range;
* a failed critical item applies the checklist's ``critical_rule``: ``fail`` sets the overall
  score to 0, ``cap`` caps it at ``cap_percent``;
* the grade is the first in the checklist's list whose ``min_percent`` the overall score reaches.
"""
from __future__ import annotations

from dataclasses import dataclass

FAILED_RATING = 1  # a 0-4 rating at or below this counts as a failure


@dataclass(frozen=True)
class Finding:
    """The inspector's finding on one check item."""

    result: str | None = None      # "pass", "fail" or "na" (pass_fail; "na" for any type)
    rating: int | None = None      # 0-4 (rating4)
    measured: float | None = None  # measurement


@dataclass(frozen=True)
class Score:
    percent: float | None                 # None when no item applied
    sections: dict[str, float | None]
    grade: str | None
    critical_failed: bool
    failed_items: tuple[str, ...]
    uncapped_percent: float | None


def in_range(item: dict, value: float) -> bool:
    bounds = item.get("acceptable") or {}
    return ("min" not in bounds or value >= bounds["min"]) and ("max" not in bounds or value <= bounds["max"])


def item_score(item: dict, finding: Finding) -> float | None:
    """1..0 for an applicable item, None when not applicable or not answered."""
    if finding.result == "na":
        return None
    if item["type"] == "pass_fail":
        return {"pass": 1.0, "fail": 0.0}.get(finding.result)
    if item["type"] == "rating4":
        return None if finding.rating is None else finding.rating / 4
    if item["type"] == "measurement":
        return None if finding.measured is None else float(in_range(item, finding.measured))
    return None


def has_failed(item: dict, finding: Finding) -> bool:
    if finding.result == "na":
        return False
    if item["type"] == "rating4":
        return finding.rating is not None and finding.rating <= FAILED_RATING
    score = item_score(item, finding)
    return score == 0.0


def _percent(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(weight for weight, _ in pairs)
    return 100 * sum(weight * score for weight, score in pairs) / total if total else None


def score_inspection(definition: dict, findings: dict[str, Finding]) -> Score:
    """Score a checklist's findings (item code -> Finding) by the rules above."""
    by_section: dict[str, list[tuple[float, float]]] = {d["code"]: [] for d in definition["dimensions"]}
    applicable, failed, critical = [], [], False
    for item in definition["items"]:
        if item["role"] != "check":
            continue
        finding = findings.get(item["code"], Finding())
        score = item_score(item, finding)
        if score is not None:
            pair = (float(item["weight"]), score)
            by_section.setdefault(item["dimension"], []).append(pair)
            applicable.append(pair)
        if has_failed(item, finding):
            failed.append(item["code"])
            critical = critical or bool(item.get("critical"))
    uncapped = _percent(applicable)
    percent = uncapped
    scoring = definition["scoring"]
    if critical and percent is not None:
        percent = 0.0 if scoring["critical_rule"] == "fail" else min(percent, float(scoring["cap_percent"]))
    grade = None
    if percent is not None:
        grade = next((g["code"] for g in scoring["grades"] if percent >= g["min_percent"]), None)
    return Score(percent=percent, sections={code: _percent(pairs) for code, pairs in by_section.items()},
                 grade=grade, critical_failed=critical, failed_items=tuple(failed), uncapped_percent=uncapped)
