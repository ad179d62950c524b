"""``analyze`` command group on CSV files, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from surveyor.analysis_cli import analyze
from surveyor.stats import cronbach_alpha, key_drivers, net_promoter_score

ATTITUDE = str(Path(__file__).parent / "data" / "attitude.csv")
DRIVERS = ["complaints", "privileges", "learning", "raises", "critical", "advance"]


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_drivers_json_keys_and_values(runner, attitude):
    result = runner.invoke(
        analyze,
        ["drivers", ATTITUDE, "--outcome", "rating", "--drivers", ",".join(DRIVERS), "--json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"n", "r2", "method", "drivers"}
    assert payload["n"] == 30 and payload["method"] == "shapley"
    assert all(
        set(row) == {"driver", "shapley", "relative_weight", "beta", "rank"}
        for row in payload["drivers"]
    )
    expected = key_drivers(attitude, outcome="rating", drivers=DRIVERS)
    assert payload["r2"] == pytest.approx(expected.r2, abs=1e-15)
    by_name = {row["driver"]: row for row in payload["drivers"]}
    for row in expected.table.itertuples():
        assert by_name[row.driver]["shapley"] == pytest.approx(row.shapley, abs=1e-15)
        assert by_name[row.driver]["relative_weight"] == pytest.approx(
            row.relative_weight, abs=1e-15
        )
        assert by_name[row.driver]["beta"] == pytest.approx(row.beta, abs=1e-15)
        assert by_name[row.driver]["rank"] == row.rank
    assert sum(row["shapley"] for row in payload["drivers"]) == pytest.approx(
        payload["r2"], abs=1e-12
    )
    assert [row["rank"] for row in payload["drivers"]] == sorted(
        row["rank"] for row in payload["drivers"]
    )


def test_drivers_table_and_weights(runner, tmp_path, attitude):
    path = tmp_path / "weighted.csv"
    attitude.assign(w=np.linspace(0.5, 2, 30)).to_csv(path, index=False)
    result = runner.invoke(
        analyze,
        [
            "drivers",
            str(path),
            "--outcome",
            "rating",
            "--drivers",
            "complaints,learning",
            "--weights",
            "w",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "n = 30" in result.output and "complaints" in result.output and "rank" in result.output
    weighted = key_drivers(
        attitude.assign(w=np.linspace(0.5, 2, 30)),
        outcome="rating",
        drivers=["complaints", "learning"],
        weights="w",
    )
    assert f"R² = {weighted.r2:.4f}" in result.output


def test_reliability_json(runner, attitude):
    items = "complaints,privileges,learning"
    result = runner.invoke(analyze, ["reliability", ATTITUDE, "--items", items, "--json"])
    payload = json.loads(result.output)
    assert set(payload) == {"n", "alpha", "ci_low", "ci_high"}
    expected = cronbach_alpha(attitude, items=items.split(","))
    assert payload == {
        "n": 30,
        "alpha": expected.alpha,
        "ci_low": expected.ci_low,
        "ci_high": expected.ci_high,
    }
    table = runner.invoke(analyze, ["reliability", ATTITUDE, "--items", items])
    assert "Cronbach's alpha = " in table.output


def test_nps_json(runner, tmp_path):
    path = tmp_path / "nps.csv"
    frame = pd.DataFrame({"recommend": [10, 9, 8, 3, None, 10]})
    frame.to_csv(path, index=False)
    result = runner.invoke(analyze, ["nps", str(path), "--item", "recommend", "--json"])
    payload = json.loads(result.output)
    expected = net_promoter_score(frame, column="recommend")
    assert payload == {
        "n": 5,
        "nps": expected.nps,
        "ci_low": expected.ci_low,
        "ci_high": expected.ci_high,
    }
    assert "NPS = 40.0" in runner.invoke(analyze, ["nps", str(path), "--item", "recommend"]).output


def test_errors_exit_with_the_message(runner, tmp_path):
    result = runner.invoke(
        analyze, ["drivers", ATTITUDE, "--outcome", "rating", "--drivers", "complaints,nope"]
    )
    assert result.exit_code == 1 and "'nope' not found" in result.output
    result = runner.invoke(analyze, ["nps", ATTITUDE, "--item", "rating"])
    assert result.exit_code == 1 and "0 to 10" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = runner.invoke(analyze, ["reliability", str(empty), "--items", "a,b"])
    assert result.exit_code == 1 and "cannot read" in result.output
    result = runner.invoke(
        analyze, ["drivers", ATTITUDE, "--outcome", "rating", "--drivers", " , "]
    )
    assert result.exit_code == 2


def test_reliability_with_items_that_cancel_out_exits_with_one_line(runner, tmp_path):
    # hand-worked: b = 6 - a, so every sum score is 6 and alpha would be -Infinity
    path = tmp_path / "reversed.csv"
    pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1]}).to_csv(path, index=False)
    for extra in ([], ["--json"]):
        result = runner.invoke(analyze, ["reliability", str(path), "--items", "a,b", *extra])
        assert result.exit_code == 1
        assert "Infinity" not in result.output and "reverse-scor" in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_reliability_weights(runner, tmp_path, attitude):
    path = tmp_path / "weighted.csv"
    frame = attitude.assign(w=np.linspace(0.5, 2, 30))
    frame.to_csv(path, index=False)
    items = ["complaints", "privileges", "learning"]
    args = ["reliability", str(path), "--items", ",".join(items), "--weights", "w"]
    payload = json.loads(runner.invoke(analyze, [*args, "--json"]).output)
    expected = cronbach_alpha(frame, items=items, weights="w")
    assert expected.alpha != cronbach_alpha(frame, items=items).alpha
    assert payload == {
        "n": 30,
        "alpha": expected.alpha,
        "ci_low": expected.ci_low,
        "ci_high": expected.ci_high,
    }
    assert f"(effective {expected.n_eff:.1f})" in runner.invoke(analyze, args).output


def test_json_is_strict(runner, monkeypatch):
    # whatever the engine returns, the output is valid JSON or an error: NaN becomes null,
    # an infinity is refused (json.loads of Python's default output would accept both)
    from surveyor import analysis_cli
    from surveyor.stats import AlphaResult

    def fake(alpha, ci_low):
        return lambda data, **kwargs: AlphaResult(30, 3, alpha, ci_low, 0.9, 0.8, 30.0)

    items = ["reliability", ATTITUDE, "--items", "complaints,learning", "--json"]
    monkeypatch.setattr(analysis_cli.stats, "cronbach_alpha", fake(0.8, float("nan")))
    result = runner.invoke(analyze, items)
    assert result.exit_code == 0 and '"ci_low": null' in result.output
    assert json.loads(result.output, parse_constant=pytest.fail)["ci_low"] is None
    monkeypatch.setattr(analysis_cli.stats, "cronbach_alpha", fake(float("-inf"), 0.5))
    result = runner.invoke(analyze, items)
    assert result.exit_code == 1 and "Infinity" not in result.output
    assert "not a finite number" in result.output
