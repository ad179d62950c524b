"""XLSForm export and import: every instrument survives the round trip, unsupported XLSForm
features and missing texts are reported with sheet and row, and the two commands work."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from surveyor.cli import main
from surveyor.config import PROJECT_ROOT
from surveyor.instruments import InstrumentError, discover_files, load_file
from surveyor.instruments.normalize import normalize
from surveyor.instruments.xlsform import check_workbook, dump_yaml, import_xlsform, write_xlsform

FILES = discover_files(PROJECT_ROOT)
QUESTIONNAIRE = PROJECT_ROOT / "questionnaires" / "trn-q01.yaml"
CHECKLIST = PROJECT_ROOT / "checklists" / "trn-c01.yaml"
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml keeps the 52 round trips quick


def read(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)


def export(path: Path, folder: Path) -> Path:
    target = folder / f"{path.stem}.xlsx"
    write_xlsform(read(path), target)
    return target


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def replace_rows(workbook, name: str, rows: list[list]) -> None:
    index = workbook.sheetnames.index(name)
    workbook.remove(workbook[name])
    sheet = workbook.create_sheet(name, index)
    for row in rows:
        sheet.append(row)


def problems_of(workbook_path: Path) -> list[str]:
    _, problems = check_workbook(workbook_path)
    return [str(problem) for problem in problems]


# -- round trip ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_export_then_import_gives_the_same_instrument(path, tmp_path):
    try:
        expected = load_file(path)
    except InstrumentError:
        pytest.skip(f"{path.name} is not valid; test_validation.py reports why")
    imported = import_xlsform(export(path, tmp_path))       # validated as the YAML text it would write
    assert normalize(imported) == expected
    assert yaml.load(dump_yaml(imported), Loader=FAST_LOADER) == imported


@pytest.mark.parametrize("path", [QUESTIONNAIRE, CHECKLIST], ids=["trn-q01", "trn-c01"])
def test_the_exemplars_come_back_exactly_with_their_key_order(path, tmp_path):
    original = read(path)
    imported = import_xlsform(export(path, tmp_path))
    assert imported == original
    assert list(imported) == list(original)
    assert [list(item) for item in imported["items"]] == [list(item) for item in original["items"]]


def test_the_checklist_measuring_a_standard_is_a_row_of_the_instrument_sheet(tmp_path):
    path = PROJECT_ROOT / "questionnaires" / "civ-q06.yaml"
    rows = rows_of(openpyxl.load_workbook(export(path, tmp_path))["instrument"])
    assert ["service_standard.measured_by", "CIV-C06.queue_wait"] == rows[[r[0] for r in rows].index(
        "service_standard.measured_by")][:2]
    imported = import_xlsform(tmp_path / "civ-q06.xlsx")
    assert list(imported["service_standard"].items()) == list(read(path)["service_standard"].items())


def test_imported_yaml_is_block_style_unicode_text(tmp_path):
    text = dump_yaml(import_xlsform(export(QUESTIONNAIRE, tmp_path)), "Metro passenger satisfaction.")
    assert text.startswith("# Metro passenger satisfaction.\ncode: TRN-Q01\nkind: questionnaire\n")
    assert "رضایت مسافران قطار شهری" in text and "\\u" not in text
    assert "items:\n  - code: overall\n" in text
    assert "{" not in text.split("anchors:")[0]          # no flow mappings before the first range


# -- layout ----------------------------------------------------------------------------------

def test_questionnaire_workbook_follows_xlsform_conventions(tmp_path):
    workbook = openpyxl.load_workbook(export(QUESTIONNAIRE, tmp_path))
    assert workbook.sheetnames == ["survey", "choices", "settings", "instrument", "dimensions"]
    survey = rows_of(workbook["survey"])
    header = survey[0]
    assert header[:5] == ["type", "name", "label::Persian (fa)", "label::English (en)", "label::Arabic (ar)"]
    rows = {row[1]: dict(zip(header, row)) for row in survey[1:]}
    assert rows["overall"]["type"] == "select_one satisfaction5" and rows["overall"]["required"] == "yes"
    assert rows["headway"]["role"] == "driver" and rows["headway"]["dimension"] == "reliability"
    assert rows["headway"]["dont_know"] == "yes" and rows["headway"]["surveyor_type"] == "rating"
    assert rows["wait_minutes"]["type"] == "integer" and rows["wait_minutes"]["unit::English (en)"] == "minutes"
    assert rows["comment"]["type"] == "text" and rows["comment"]["max_length"] == 1000

    choices = rows_of(workbook["choices"])
    scale = [dict(zip(choices[0], row)) for row in choices[1:] if row[0] == "likelihood11"]
    assert [row["name"] for row in scale] == list(range(11))
    assert all(row["range"] == "yes" for row in scale)
    assert scale[0]["anchor::English (en)"] == "Not at all likely" and scale[10]["label::Persian (fa)"] == "۱۰"

    settings = rows_of(workbook["settings"])
    assert dict(zip(*settings)) == {"form_id": "TRN-Q01", "form_title": "رضایت مسافران قطار شهری",
                                    "default_language": "Persian (fa)", "kind": "questionnaire",
                                    "domain": "transport", "languages": "fa en ar"}
    names = [row[0] for row in rows_of(workbook["instrument"])[1:]]
    assert names[:5] == ["title", "respondents", "introduction", "thank_you", "dont_know"]
    assert {"service_standard", "provenance.model", "provenance.dimensions"} <= set(names)


def test_checklist_workbook_shows_checklist_types_to_kobotoolbox(tmp_path):
    workbook = openpyxl.load_workbook(export(CHECKLIST, tmp_path))
    assert "grades" in workbook.sheetnames
    survey = rows_of(workbook["survey"])
    rows = {row[1]: dict(zip(survey[0], row)) for row in survey[1:]}
    assert rows["emergency_stop"]["type"] == "select_one surveyor-pass-fail"
    assert rows["emergency_stop"]["surveyor_type"] == "pass_fail"
    assert rows["emergency_stop"]["critical"] == "yes" and rows["emergency_stop"]["weight"] == 5
    assert rows["concourse_cleanliness"]["type"] == "select_one surveyor-rating4"
    assert rows["concourse_cleanliness"]["not_applicable"] == "no"
    assert rows["lux_platform"]["type"] == "decimal" and rows["lux_platform"]["acceptable_min"] == 200
    lists = {row[0] for row in rows_of(workbook["choices"])[1:]}
    assert {"surveyor-pass-fail", "surveyor-rating4", "station_type"} <= lists


# -- problems --------------------------------------------------------------------------------

def test_unsupported_features_are_each_reported_with_sheet_and_row(tmp_path):
    path = export(QUESTIONNAIRE, tmp_path)
    workbook = openpyxl.load_workbook(path)
    survey = rows_of(workbook["survey"])
    width = len(survey[0])
    survey[0] += ["relevant", "constraint"]
    for row in survey[1:]:
        row += [None, None]
    survey[2][width] = "${overall} > 2"                       # row 3: headway
    survey[13][width + 1] = ". <= 120"                        # row 14: wait_minutes
    survey += [["calculate", "total"], ["select_multiple gender", "genders", "a", "b", "c"],
               ["note", "welcome", "a", "b", "c"], ["begin_repeat", "trips"], ["end_repeat"],
               ["geopoint", "where", "a", "b", "c"]]
    replace_rows(workbook, "survey", survey)
    choices = rows_of(workbook["choices"])
    choices[0].append("district")                             # a cascading-select filter column
    for row in choices[1:]:
        row.append(None)
    choices[1][-1] = "d1"
    replace_rows(workbook, "choices", choices)
    workbook.create_sheet("external_choices").append(["list_name", "name"])
    workbook["external_choices"].append(["stops", "s1"])
    workbook.save(path)

    found = problems_of(path)
    expected = [
        ("survey sheet, row 3 (headway), column relevant", "relevant"),
        ("survey sheet, row 14 (wait_minutes), column constraint", "constraint"),
        ("survey sheet, row 21 (total), column type", "calculate is not supported"),
        ("survey sheet, row 22 (genders), column type", "select_multiple is not supported"),
        ("survey sheet, row 23 (welcome), column type", "note is not supported"),
        ("survey sheet, row 24 (trips), column type", "begin_repeat is not supported"),
        ("survey sheet, row 25, column type", "end_repeat is not supported"),
        ("survey sheet, row 26 (where), column type", "geopoint questions are not supported"),
        ("choices sheet, row 2 (satisfaction5 1), column district", "a column Surveyor does not read"),
        ("external_choices sheet", "this sheet is not read"),
    ]
    assert len(found) == len(expected), found
    for (where, what), line in zip(expected, found):
        assert f"trn-q01.xlsx: {where}: " in line and what in line and "Fix: " in line, (where, line)


def test_a_missing_arabic_label_is_reported_with_its_row(tmp_path):
    path = export(QUESTIONNAIRE, tmp_path)
    workbook = openpyxl.load_workbook(path)
    survey = workbook["survey"]
    column = [cell.value for cell in survey[1]].index("label::Arabic (ar)") + 1
    survey.cell(row=5, column=column).value = None              # crowding
    workbook.save(path)

    found = problems_of(path)
    assert found == ["trn-q01.xlsx: survey sheet, row 5 (crowding), column label::Arabic (ar): missing Arabic "
                     "text. Fix: add 'ar:', since the instrument declares languages fa, en, ar"]
    with pytest.raises(InstrumentError):
        import_xlsform(path)


def test_rule_and_cell_problems_point_at_their_cells(tmp_path):
    path = export(CHECKLIST, tmp_path)
    workbook = openpyxl.load_workbook(path)
    survey = workbook["survey"]
    header = [cell.value for cell in survey[1]]
    survey.cell(row=4, column=header.index("weight") + 1).value = "heavy"          # entrances_open
    survey.cell(row=5, column=header.index("photo_on_fail") + 1).value = "${x} = 'y'"
    survey.cell(row=6, column=header.index("dimension") + 1).value = "speed"
    workbook["choices"].cell(row=3, column=2).value = "underground"                  # a duplicate option
    workbook.save(path)

    # As in load_file, the cell errors do not hide what the rules find: all four in one run.
    found = problems_of(path)
    assert "survey sheet, row 4 (entrances_open), column weight: weight must be a number, got 'heavy'" in found[0]
    assert "survey sheet, row 5 (escalators_working), column photo_on_fail: photo_on_fail must be yes or no" \
        in found[1] and "XPath" in found[1]
    rule_problems = [
        lambda line: "survey sheet, row 6 (lifts_working), column dimension: dimension 'speed' is not declared" in line,
        lambda line: "choices sheet, row 2 (station_type)" in line and "appears 2 times" in line,
    ]
    for found_in in rule_problems:
        assert any(found_in(line) for line in found), found

    survey.cell(row=4, column=header.index("weight") + 1).value = 3
    survey.cell(row=5, column=header.index("photo_on_fail") + 1).value = "yes"
    workbook.save(path)
    found = problems_of(path)
    assert len(found) == 2, found  # the cell errors fixed, the two rule problems remain
    for found_in in rule_problems:
        assert any(found_in(line) for line in found), found


def test_a_kobotoolbox_form_maps_groups_to_dimensions_and_types_to_roles(tmp_path):
    """A form as KoboToolbox exports it: no surveyor_type, groups for dimensions, metadata rows."""
    path = export(QUESTIONNAIRE, tmp_path)
    workbook = openpyxl.load_workbook(path)
    survey = rows_of(workbook["survey"])
    header = survey[0]
    dimension_labels = {row[0]: row[1:] for row in rows_of(workbook["dimensions"])[1:]}
    drop = [header.index("surveyor_type"), header.index("dimension")]
    kobo = [["type", "name", *header[2:5]] + [h for i, h in enumerate(header) if i >= 5 and i not in drop]]
    kobo += [["start", "start"], ["end", "end"]]
    current = None
    for row in survey[1:]:
        dimension = row[header.index("dimension")]
        if dimension != current:
            if current:
                kobo.append(["end group"])
            if dimension:
                kobo.append(["begin group", dimension, *dimension_labels[dimension]])
            current = dimension
        kobo.append(row[:5] + [v for i, v in enumerate(row) if i >= 5 and i not in drop])
    replace_rows(workbook, "survey", kobo)
    workbook.remove(workbook["dimensions"])
    replace_rows(workbook, "settings", [["form_id", "version"], ["trn-q01", "vAbc123"]])
    workbook.save(path)

    found = problems_of(path)
    assert len(found) == 2 and all("delete the row" in line for line in found), found
    assert "survey sheet, row 2 (start), column type: start is not supported" in found[0]

    rows = rows_of(workbook["survey"])
    replace_rows(workbook, "survey", [rows[0]] + rows[3:])
    workbook.save(path)
    assert normalize(import_xlsform(path)) == load_file(QUESTIONNAIRE)


def test_a_file_that_is_not_a_workbook_is_reported(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    found = problems_of(path)
    assert len(found) == 1 and "cannot be read as an .xlsx workbook" in found[0]


# -- commands --------------------------------------------------------------------------------

def invoke(args, instruments_dir):
    return CliRunner().invoke(main, ["instruments", *args], env={"SURVEYOR_INSTRUMENTS_DIR": str(instruments_dir)})


def test_export_and_import_commands(instruments_dir, tmp_path):
    workbook = tmp_path / "metro-station.xlsx"
    result = invoke(["export-xlsform", "trn-c01", "-o", str(workbook)], instruments_dir)
    assert result.exit_code == 0, result.output
    assert workbook.exists() and "TRN-C01: wrote" in result.output

    again = invoke(["export-xlsform", "TRN-C01", "-o", str(workbook)], instruments_dir)
    assert again.exit_code == 1 and "already exists; use --force" in again.output
    assert invoke(["export-xlsform", "TRN-C01", "-o", str(workbook), "--force"], instruments_dir).exit_code == 0

    target = instruments_dir / "checklists" / "trn-c01.yaml"
    refused = invoke(["import-xlsform", str(workbook)], instruments_dir)
    assert refused.exit_code == 1 and "already exists; use --force" in refused.output

    target.unlink()
    result = invoke(["import-xlsform", str(workbook)], instruments_dir)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("# Metro station quality. Imported from metro-station.xlsx")
    assert load_file(target) == load_file(CHECKLIST)
    assert invoke(["import-xlsform", str(workbook), "--force"], instruments_dir).exit_code == 0

    elsewhere = tmp_path / "out" / "trn-c01.yaml"
    result = invoke(["import-xlsform", str(workbook), "-o", str(elsewhere)], instruments_dir)
    assert result.exit_code == 0 and load_file(elsewhere) == load_file(CHECKLIST)


def test_import_command_lists_every_problem_and_writes_nothing(instruments_dir, tmp_path):
    path = export(QUESTIONNAIRE, tmp_path)
    workbook = openpyxl.load_workbook(path)
    survey = workbook["survey"]
    survey.append(["calculate", "total"])
    survey.cell(row=5, column=[c.value for c in survey[1]].index("label::Arabic (ar)") + 1).value = None
    workbook.save(path)
    target = tmp_path / "trn-q01.yaml"

    result = invoke(["import-xlsform", str(path), "-o", str(target)], instruments_dir)
    assert result.exit_code == 1
    assert "survey sheet, row 5 (crowding), column label::Arabic (ar): missing Arabic text" in result.output
    assert "survey sheet, row 21 (total), column type: calculate is not supported" in result.output
    assert "2 problem(s); nothing was written" in result.output
    assert not target.exists()


def test_export_command_needs_a_known_code(instruments_dir):
    result = invoke(["export-xlsform", "TRN-Q99"], instruments_dir)
    assert result.exit_code == 1 and "no instrument file for TRN-Q99" in result.output
