"""Settings: read from SURVEYOR_* variables, documented, and safe in production."""
from __future__ import annotations

import pytest

from surveyor import create_app
from surveyor.config import PROJECT_ROOT, SETTINGS, ConfigurationError, read_settings

STRONG = "Qm3v9xT2pL7wZk4cR8nY1bH6sJ0dF5gA-uE_oW3i"  # 40 characters, as a generated key would look


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEYOR_SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEYOR_ENV", "production")
    with pytest.raises(ConfigurationError, match="SURVEYOR_SECRET_KEY is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize("weak", ["change-me", "x" * 48, "surveyor" * 5, "Qm3v9xT2pL7wZk4"])
def test_production_refuses_a_guessable_secret_key(tmp_path, monkeypatch, weak):
    monkeypatch.setenv("SURVEYOR_ENV", "production")
    monkeypatch.setenv("SURVEYOR_SECRET_KEY", weak)
    with pytest.raises(ConfigurationError, match="SURVEYOR_SECRET_KEY is too weak"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_production_with_a_secret_uses_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYOR_ENV", "production")
    monkeypatch.setenv("SURVEYOR_SECRET_KEY", STRONG)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == STRONG and app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'surveyor.sqlite3'}"


def test_demo_keeps_its_generated_secret_across_restarts(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYOR_ENV", "demo")
    monkeypatch.delenv("SURVEYOR_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_bad_values_name_the_variable():
    with pytest.raises(ConfigurationError, match="SURVEYOR_SESSION_HOURS"):
        read_settings({"SURVEYOR_SESSION_HOURS": "a day"})
    with pytest.raises(ConfigurationError, match="SURVEYOR_ENV must be one of"):
        read_settings({"SURVEYOR_ENV": "staging"})
    assert read_settings({"SURVEYOR_SECURE_COOKIES": "no"})["SESSION_COOKIE_SECURE"] is False


def test_readme_documents_every_setting():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    assert missing == []


def test_readme_opens_with_the_two_commands():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1].strip().splitlines()
    assert first_block[-2:] == ["make run", "make test"] or first_block == ["make run", "make test"]
