"""Links between instrument files: a questionnaire's service standard and the checklist item that
measures the same time at the service points (``service_standard.measured_by: CODE.item``).

Reports compare what respondents say they waited with the standard, and inspections measure the
same interval against the same standard; the two files must agree on the minutes.
"""
from __future__ import annotations

from .errors import Problem

PATH = "service_standard.measured_by"


def measured_by(definition: dict) -> tuple[str, str] | None:
    """``(checklist code, item code)`` named by a questionnaire's service standard, or None."""
    link = definition.get("service_standard", {}).get("measured_by")
    return tuple(link.split(".", 1)) if link else None


def standard_link_problems(shown: str, definition: dict, checklists: dict[str, dict]) -> list[Problem]:
    """What is wrong with one file's link, given the valid checklists by code. A checklist that is
    not among them (not being validated, or invalid itself) is not checked."""
    link = measured_by(definition)
    if link is None or link[0] not in checklists:
        return []
    code, item_code = link
    minutes = definition["service_standard"]["minutes"]
    item = next((i for i in checklists[code]["items"] if i["code"] == item_code), None)
    if item is None or item["type"] != "measurement":
        measured = [i["code"] for i in checklists[code]["items"] if i["type"] == "measurement"]
        what = "has no item" if item is None else "has an item but not a measurement named"
        return [Problem(shown, PATH, f"{code} {what} {item_code!r}",
                        f"name one of {code}'s measured items: {', '.join(measured) or '(none)'}")]
    maximum = item["acceptable"].get("max")
    if maximum != minutes:
        return [Problem(shown, PATH, f"the standard is {minutes:g} minutes but {code} {item_code} accepts "
                                     f"{'no maximum' if maximum is None else f'at most {maximum:g}'}",
                        "make the checklist item's acceptable max and service_standard.minutes the same "
                        "time, the one on the current service card")]
    return []
