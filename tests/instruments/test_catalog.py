"""The 52 instruments of the catalog (surveyor/instruments/catalog.tsv, from catalog.md): every one
has its file, in the right folder, and nothing else is there."""
from __future__ import annotations

from click.testing import CliRunner

from surveyor.cli import main
from surveyor.config import PROJECT_ROOT
from surveyor.instruments import discover_files
from surveyor.instruments.rules import catalog


def test_the_catalog_holds_52_instruments_29_questionnaires_and_23_checklists():
    kinds = [entry["kind"] for entry in catalog().values()]
    assert (len(kinds), kinds.count("questionnaire"), kinds.count("checklist")) == (52, 29, 23)


def test_the_instrument_files_are_exactly_the_catalog_codes():
    files = {f"{path.parent.name}/{path.name}" for path in discover_files(PROJECT_ROOT)}
    expected = {f"{'questionnaires' if entry['kind'] == 'questionnaire' else 'checklists'}/{code.lower()}.yaml"
                for code, entry in catalog().items()}
    assert files == expected


def validate(root, *paths):
    return CliRunner().invoke(main, ["instruments", "validate", *map(str, paths)],
                              env={"SURVEYOR_INSTRUMENTS_DIR": str(root)})


def test_validate_reports_a_catalog_instrument_without_a_file(instruments_dir):
    (instruments_dir / "checklists" / "civ-c06.yaml").unlink()
    result = validate(instruments_dir)
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "civ-c06.yaml" in line)
    assert "checklists/civ-c06.yaml" in line and "CIV-C06" in line and "has no file" in line and "Fix:" in line
    assert "51 valid, 0 with problems" in result.output
    assert "1 catalog instrument(s) without a file" in result.output


def test_validate_reports_a_file_in_the_wrong_folder(instruments_dir):
    (instruments_dir / "checklists" / "civ-c06.yaml").rename(instruments_dir / "questionnaires" / "civ-c06.yaml")
    result = validate(instruments_dir)
    assert result.exit_code == 1
    assert any("questionnaires/civ-c06.yaml" in line and "belongs in checklists/" in line
               for line in result.output.splitlines()), result.output


def test_validating_named_files_does_not_ask_for_the_whole_catalog(instruments_dir):
    result = validate(instruments_dir, instruments_dir / "questionnaires" / "trn-q01.yaml")
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 1 valid" in result.output and "without a file" not in result.output
