"""``surveyor users team add | remove | list``: which inspectors a supervisor leads, set from the
command line until the admin pages come (issue 12, "Also")."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyor.inspect.access import team_ids
from surveyor.models import AuditEvent, User


@pytest.fixture
def staff(make_user):
    for name, role in (("sara", "supervisor"), ("nima", "supervisor"), ("reza", "inspector"),
                       ("omid", "inspector"), ("rana", "researcher")):
        make_user(name, role, "a strong pass phrase")


def supervisor_of(db, name: str) -> str | None:
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == name))
    return db.session.get(User, user.supervisor_id).username if user.supervisor_id else None


def test_adding_inspectors_makes_them_the_supervisors_team(db, runner, staff):
    result = runner.invoke(args=["users", "team", "add", "sara", "reza", "omid"])
    assert result.exit_code == 0, result.output
    assert "added omid, reza" in result.output or "added reza, omid" in result.output
    assert supervisor_of(db, "reza") == supervisor_of(db, "omid") == "sara"
    sara = db.session.scalar(select(User).where(User.username == "sara"))
    assert len(team_ids(db.session, sara)) == 3  # what the inspection pages use
    assert len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "team.add")))) == 2
    again = runner.invoke(args=["users", "team", "add", "sara", "reza"])
    assert again.exit_code == 0 and "nobody new" in again.output


def test_listing_shows_every_team_or_one(db, runner, staff):
    runner.invoke(args=["users", "team", "add", "sara", "reza", "omid"])
    everyone = runner.invoke(args=["users", "team", "list"])
    assert everyone.output.splitlines() == ["nima: (no inspectors)", "sara: omid, reza"]
    assert runner.invoke(args=["users", "team", "list", "sara"]).output.splitlines() == ["sara: omid, reza"]


def test_removing_takes_inspectors_out(db, runner, staff):
    runner.invoke(args=["users", "team", "add", "sara", "reza", "omid"])
    result = runner.invoke(args=["users", "team", "remove", "sara", "omid"])
    assert result.exit_code == 0, result.output
    assert supervisor_of(db, "omid") is None and supervisor_of(db, "reza") == "sara"


@pytest.mark.parametrize("args, message", [
    (["add", "rana", "reza"], "rana is not a supervisor (role: researcher)"),
    (["add", "sara", "nima"], "nima is not an inspector (role: supervisor)"),
    (["add", "sara", "nobody"], "no user named 'nobody'"),
    (["remove", "nima", "reza"], "reza is not in nima's team"),
    (["list", "reza"], "reza is not a supervisor (role: inspector)"),
])
def test_mistakes_are_refused_with_the_reason_and_change_nothing(db, runner, staff, args, message):
    result = runner.invoke(args=["users", "team", *args])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert supervisor_of(db, "reza") is None


def test_an_inspector_in_another_team_is_not_moved_by_a_typo(db, runner, staff):
    runner.invoke(args=["users", "team", "add", "sara", "reza"])
    moved = runner.invoke(args=["users", "team", "add", "nima", "omid", "reza"])
    assert moved.exit_code == 1 and "reza is in sara's team; remove them there first" in moved.output
    assert supervisor_of(db, "reza") == "sara" and supervisor_of(db, "omid") is None  # all or none
