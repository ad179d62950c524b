"""A questionnaire's service standard and the checklist item that measures the same time
(``service_standard.measured_by``) agree on the minutes."""
from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from surveyor.cli import main
from surveyor.config import PROJECT_ROOT
from surveyor.instruments import InstrumentError, load_all, validate_files

# The standards a checklist measures today, as the service cards give them.
LINKS = {
    "CIV-Q01": ("CIV-C06", "planning_unit_wait", 20),
    "CIV-Q02": ("CIV-C06", "planning_unit_wait", 20),
    "CIV-Q06": ("CIV-C06", "queue_wait", 15),
    "SRV-Q05": ("SRV-C06", "queue_wait", 10),
    "TRN-Q03": ("TRN-C04", "passenger_wait", 10),
    "TRN-Q07": ("TRN-C06", "total_time", 30),
}


@pytest.fixture(scope="module")
def definitions():
    return {entry.definition["code"]: entry.definition for entry in load_all(PROJECT_ROOT)}


def test_each_questionnaire_standard_equals_the_maximum_of_its_checklist_measurement(definitions):
    linked = {}
    for code, definition in definitions.items():
        standard = definition.get("service_standard")
        if definition["kind"] != "questionnaire" or standard is None or "measured_by" not in standard:
            continue
        checklist, item_code = standard["measured_by"].split(".")
        item = next(i for i in definitions[checklist]["items"] if i["code"] == item_code)
        assert item["type"] == "measurement" and item["unit"]["en"] == "minutes", code
        assert item["acceptable"]["max"] == standard["minutes"], code
        linked[code] = (checklist, item_code, standard["minutes"])
    assert linked == LINKS


def test_a_linked_questionnaire_asks_the_waiting_time(definitions):
    for code in LINKS:
        assert [i["role"] for i in definitions[code]["items"]].count("wait_time") == 1, code


def edit(root, relative, change):
    path = root / relative
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def check_item(code):
    return lambda doc: next(i for i in doc["items"] if i["code"] == code)


def test_validation_reports_a_checklist_maximum_that_left_its_standard(instruments_dir):
    edit(instruments_dir, "checklists/civ-c06.yaml",
         lambda doc: check_item("queue_wait")(doc)["acceptable"].update(max=20))
    result = CliRunner().invoke(main, ["instruments", "validate"],
                                env={"SURVEYOR_INSTRUMENTS_DIR": str(instruments_dir)})
    assert result.exit_code == 1
    assert any("questionnaires/civ-q06.yaml: service_standard.measured_by: the standard is 15 minutes but CIV-C06 "
               "queue_wait accepts at most 20. Fix: make the checklist item's acceptable max" in line
               for line in result.output.splitlines()), result.output
    with pytest.raises(InstrumentError):
        load_all(instruments_dir)                                   # and sync refuses to load


@pytest.mark.parametrize("link, expected", [
    ("CIV-C06.no_such_item", "CIV-C06 has no item 'no_such_item'. Fix: name one of CIV-C06's measured items: "
                             "queue_wait, file_intake_time, planning_unit_wait"),
    ("CIV-C06.queue_system", "CIV-C06 has an item but not a measurement named 'queue_system'"),
    ("CIV-C99.queue_wait", "service_standard.measured_by: CIV-C99 is not in the catalog"),
    ("CIV-Q01.wait_minutes", "service_standard.measured_by: 'CIV-Q01.wait_minutes' does not match"),
])
def test_validation_reports_a_link_to_nothing_measured(instruments_dir, link, expected):
    edit(instruments_dir, "questionnaires/civ-q06.yaml", lambda doc: doc["service_standard"].update(measured_by=link))
    files = [instruments_dir / "questionnaires" / "civ-q06.yaml", instruments_dir / "checklists" / "civ-c06.yaml"]
    loaded, problems = validate_files(files, instruments_dir)
    assert [entry.definition["code"] for entry in loaded] == ["CIV-C06"]
    assert any(expected in str(problem) for problem in problems), problems
