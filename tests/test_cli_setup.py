"""The command line where setup goes wrong: clear one-line refusals, not tracebacks or harm."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from surveyor.models import Response

SURVEYOR = str(Path(sys.executable).parent / "surveyor")


def users_list_in_production_without_a_secret_key(instance: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEYOR_")}
    env.update(SURVEYOR_ENV="production", SURVEYOR_INSTANCE_PATH=str(instance))
    return subprocess.run([SURVEYOR, "users", "list"], env=env, capture_output=True, text=True, timeout=120)


def test_a_missing_secret_key_is_one_line_not_a_traceback(tmp_path):
    result = users_list_in_production_without_a_secret_key(tmp_path / "instance")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: SURVEYOR_SECRET_KEY is not set")


def test_demo_data_is_refused_in_production_without_force(app, runner, loaded, monkeypatch, db):
    monkeypatch.setitem(app.config, "SURVEYOR_ENV", "production")
    refused = runner.invoke(args=["demo", "--responses", "5", "--instrument", "TRN-Q01"])
    assert refused.exit_code == 1 and "production" in refused.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    forced = runner.invoke(args=["demo", "--responses", "5", "--instrument", "TRN-Q01", "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 5


def test_demo_admin_prints_the_address_it_is_served_at(app, runner, db, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://127.0.0.1:5077/")
    result = runner.invoke(args=["users", "demo-admin"])
    assert result.exit_code == 0
    assert "Log in at http://127.0.0.1:5077/login" in result.output


def test_a_refused_configuration_creates_no_instance_folder(tmp_path):
    users_list_in_production_without_a_secret_key(tmp_path / "instance")
    assert not (tmp_path / "instance").exists()
