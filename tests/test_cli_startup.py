"""The command line starts without loading what it does not use (issue 13, item 8).

``surveyor --help`` used to build the app, which imported SciPy, statsmodels, Matplotlib,
ReportLab and pandas: 5-7 s before anything happened (18-27 s on a busy machine). These tests
run the real entry point in a fresh interpreter and look at what it imported.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from surveyor.commands import COMMANDS, REGISTERED_BY_THE_APP, load, one_line_help
from surveyor.config import PROJECT_ROOT

HEAVY = ("scipy", "statsmodels", "matplotlib", "reportlab", "pandas", "openpyxl", "pyreadstat")


def _imported_after(code: str, env: dict | None = None) -> tuple[list[str], str]:
    """The heavy libraries a fresh interpreter holds after running ``code``, and its output."""
    script = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    *output, loaded = result.stdout.strip().splitlines()
    return json.loads(loaded), "\n".join(output)


def test_importing_the_command_line_loads_no_heavy_library():
    loaded, _ = _imported_after("import surveyor.cli")
    assert loaded == []


def test_importing_the_statistics_package_loads_nothing_until_a_function_is_used():
    loaded, _ = _imported_after("import surveyor.stats")
    assert loaded == []
    loaded, _ = _imported_after("from surveyor.stats import mean_ci")
    assert "scipy" in loaded


def test_building_the_app_and_serving_a_page_that_draws_no_figure_loads_no_heavy_library(tmp_path):
    # Every command that reads the database builds the app, and so does each web worker: the
    # answers tables (surveyor.results.cache) load pandas on first use, not when the app is built.
    code = ("from surveyor import create_app\n"
            f"app = create_app({{'SURVEYOR_ENV': 'test', 'SQLALCHEMY_DATABASE_URI': 'sqlite://', "
            f"'INSTANCE_PATH': {str(tmp_path)!r}}})\n"
            "assert app.test_client().get('/login').status_code == 200")
    loaded, _ = _imported_after(code)
    assert loaded == []


@pytest.mark.parametrize("environment", [
    {"SURVEYOR_ENV": "production", "SURVEYOR_SECRET_KEY": ""},  # no key: help must still work
    {"SURVEYOR_ENV": "demo"},
])
def test_help_lists_every_command_without_building_the_app(environment):
    code = ("from surveyor.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code")
    loaded, output = _imported_after(code, environment)
    assert loaded == []
    for name in [*COMMANDS, *REGISTERED_BY_THE_APP, "new-secret-key", "run", "shell", "routes"]:
        assert f"\n  {name} " in output, name
    assert "Traceback" not in output and "SECRET_KEY is not set" not in output


def test_the_table_says_what_each_command_says_of_itself():
    for name, entry in COMMANDS.items():
        command = load(name)
        assert command.get_short_help_str(1000) == entry.help, name
        assert one_line_help(name, 1000) == entry.help


def test_the_app_finds_every_command_of_the_table_and_lists_the_ones_it_registers(app):
    context = app.cli.make_context("surveyor", [], resilient_parsing=True)
    names = app.cli.list_commands(context)
    assert set(COMMANDS) | set(REGISTERED_BY_THE_APP) <= set(names)
    for name, text in REGISTERED_BY_THE_APP.items():
        assert app.cli.get_command(context, name).get_short_help_str(1000) == text, name


def test_commands_that_need_no_app_run_with_no_settings():
    surveyor = Path(sys.executable).parent / "surveyor"
    env = {**os.environ, "SURVEYOR_ENV": "production", "SURVEYOR_SECRET_KEY": ""}
    key = subprocess.run([surveyor, "new-secret-key"], capture_output=True, text=True, env=env, timeout=120)
    assert key.returncode == 0 and len(key.stdout.strip()) >= 60, key.stderr
    checked = subprocess.run([surveyor, "instruments", "validate", str(PROJECT_ROOT / "questionnaires")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert checked.returncode == 0 and "29 valid" in checked.stdout, checked.stdout + checked.stderr
