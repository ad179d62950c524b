"""`surveyor analyze summary CODE`: headline figures of a questionnaire from the database."""
from __future__ import annotations

import json

from click.testing import CliRunner

from surveyor.cli import main


def test_summary_of_demo_data(loaded, runner, app):
    assert runner.invoke(args=["demo", "--responses", "1500", "--instrument", "TRN-Q01", "--seed", "3"]).exit_code == 0
    # the command hangs off the app-free `analyze` group; run it against this test's app
    result = runner.invoke(main, ["analyze", "summary", "trn-q01"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["code"] == "TRN-Q01"
    assert 1400 <= figures["responses"] <= 1500          # flagged respondents left out
    overall = figures["overall"]
    assert 1 <= overall["ci_low"] < overall["mean"] < overall["ci_high"] <= 5
    assert 0 <= overall["top_two_box"] <= 1
    assert -100 <= figures["nps"]["ci_low"] < figures["nps"]["nps"] < figures["nps"]["ci_high"] <= 100
    assert 0 < figures["reliability"]["alpha"] < 1
    drivers = figures["drivers"]
    assert drivers["method"] == "shapley" and len(drivers["top"]) == 3 and 0 < drivers["r2"] < 1
    # the demo model makes headway the strongest driver of TRN-Q01 (see surveyor/demo/model.py)
    assert drivers["top"][0]["driver"] in {"headway", "punctuality"}


def test_summary_of_an_unknown_code(loaded, runner):
    result = runner.invoke(main, ["analyze", "summary", "NOPE"])
    assert result.exit_code != 0 and "no questionnaire NOPE" in result.output


def test_csv_commands_need_no_app(tmp_path):
    csv = tmp_path / "r.csv"
    csv.write_text("rec\n10\n9\n3\n8\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", "nps", str(csv), "--item", "rec", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nps"] == 25.0
