"""The `surveyor` command line: listing, users and the database."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from surveyor.models import AuditEvent, User


def test_instruments_list_json_shape(loaded, runner):
    result = runner.invoke(args=["instruments", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    metro = next(r for r in rows if r["code"] == "TRN-Q01")
    assert set(metro) == {"code", "kind", "domain", "version", "languages", "title", "items"}
    assert (metro["kind"], metro["domain"], metro["version"]) == ("questionnaire", "transport", 1)
    assert metro["languages"] == ["fa", "en", "ar"]
    assert metro["title"]["fa"] == "رضایت مسافران قطار شهری"
    overall = metro["items"][0]
    assert {"code", "role", "type", "dimension", "labels", "options"} <= set(overall)
    assert overall["role"] == "outcome" and overall["options"][0] == {
        "value": 1, "labels": {"fa": "خیلی ناراضی", "en": "Very dissatisfied", "ar": "غير راضٍ جدًا"}}
    comment = next(i for i in metro["items"] if i["role"] == "comment")
    assert "options" not in comment
    for row in rows:
        if row["kind"] == "checklist":
            checks = [i for i in row["items"] if i["role"] == "check"]
            assert checks and all(i["weight"] > 0 and isinstance(i["critical"], bool) for i in checks)
            site_facts = [i for i in row["items"] if i["role"] != "check"]
            assert all(i["weight"] == 0 and i["critical"] is False for i in site_facts)  # recorded, not scored


def test_sync_from_a_folder_without_instruments_says_where_it_looked(runner, app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "INSTRUMENTS_DIR", str(tmp_path))
    result = runner.invoke(args=["instruments", "sync"])
    assert result.exit_code == 1
    assert f"no instrument files in {tmp_path}/questionnaires" in result.output
    assert "SURVEYOR_INSTRUMENTS_DIR" in result.output


def test_users_create_prints_a_one_time_password(db, runner):
    result = runner.invoke(args=["users", "create", "maryam", "--role", "supervisor"])
    assert result.exit_code == 0, result.output
    password = result.output.split("one-time password: ")[1].split()[0]
    user = db.session.scalar(select(User).where(User.username == "maryam"))
    assert user.role == "supervisor" and user.must_change_password
    assert user.check_password(password) and password not in user.password_hash
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))


def test_users_create_reads_a_password_from_stdin(db, runner):
    result = runner.invoke(args=["users", "create", "reza", "--role", "inspector", "--password-stdin"],
                           input="a long enough secret\n")
    assert result.exit_code == 0 and "one-time" not in result.output
    user = db.session.scalar(select(User).where(User.username == "reza"))
    assert user.check_password("a long enough secret") and not user.must_change_password


def test_users_create_refuses_duplicates_bad_roles_and_short_passwords(db, runner):
    assert runner.invoke(args=["users", "create", "ali", "--role", "admin"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "ali", "--role", "admin"])
    assert again.exit_code != 0 and "already exists" in again.output
    assert runner.invoke(args=["users", "create", "x", "--role", "mayor"]).exit_code != 0
    short = runner.invoke(args=["users", "create", "sara", "--role", "admin", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 10 characters" in short.output


def test_demo_admin_is_created_once(db, runner):
    first = runner.invoke(args=["users", "demo-admin"])
    assert "One-time password:" in first.output
    second = runner.invoke(args=["users", "demo-admin"])
    assert "exists" in second.output and "One-time password:" not in second.output


def test_reset_password_issues_a_new_one_time_password(db, runner, make_user):
    user = make_user("hamid", "inspector")
    result = runner.invoke(args=["users", "reset-password", "hamid"])
    password = result.output.split("one-time password for hamid: ")[1].split()[0]
    db.session.refresh(user)
    assert user.check_password(password) and user.must_change_password
    assert "72 hours" in result.output


def test_db_upgrade_on_an_up_to_date_database_is_harmless(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_instruments_list_json_matches_the_catalog_after_sync(runner):
    from surveyor.instruments.rules import catalog

    assert runner.invoke(args=["instruments", "sync"]).exit_code == 0
    result = runner.invoke(args=["instruments", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = {row["code"]: (row["kind"], row["domain"], row["languages"], row["title"]["fa"], row["title"]["en"])
              for row in json.loads(result.output)}
    expected = {code: (entry["kind"], entry["domain"], entry["languages"].split(), entry["title_fa"],
                       entry["title_en"]) for code, entry in catalog().items()}
    assert len(expected) == 52
    assert listed == expected


@pytest.mark.parametrize("args", [["instruments", "list", "--json"], ["instruments", "list"], ["instruments", "sync"]])
def test_instrument_commands_on_a_database_never_upgraded_say_what_to_run(tmp_path, args):
    from surveyor import create_app

    fresh = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                        "INSTANCE_PATH": str(tmp_path / "instance")})
    result = fresh.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the database has no instrument tables yet: run `surveyor db upgrade`, then `surveyor instruments sync`"]
    assert "Traceback" not in result.output and "no such table" not in result.output
