"""``surveyor users create | reset-password | deactivate | activate | role | demo-admin | list | team``."""
from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..models import ROLES, User
from .accounts import AccountError, create_user, one_time_hours, reset_password, set_active, set_role
from .teams import add_to_team, remove_from_team, teams


@click.group(help="Manage staff accounts.")
def users():
    pass


def _db():
    from ..extensions import db
    return db


@contextmanager
def _account_errors():
    """An AccountError as one line of English (the command line's language), not a traceback."""
    try:
        yield
    except AccountError as exc:
        with force_locale("en"):
            message = str(exc)
        raise click.ClickException(message) from None


def _user(username: str) -> User:
    user = _db().session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    return user


def _one_time_note() -> str:
    return (f"It works for {one_time_hours()} hours (SURVEYOR_ONE_TIME_PASSWORD_HOURS); "
            "the user chooses their own password at first login.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of "
              "generating a one-time password.")
@with_appcontext
def create_command(username, role, password_stdin):
    """Create a staff account. Without --password-stdin a one-time password is generated and printed."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    db = _db()
    with _account_errors():
        user, password = create_user(db.session, username, role, password)
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")
    if not password_stdin:
        click.echo(f"one-time password: {password}")
        click.echo(_one_time_note())


@users.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_command(username):
    """Give a user a new one-time password; every session of theirs ends."""
    db = _db()
    password = reset_password(db.session, _user(username))
    db.session.commit()
    click.echo(f"one-time password for {username}: {password}")
    click.echo(_one_time_note())


@users.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate_command(username):
    """Stop an account from logging in; every session of theirs ends at once."""
    with _account_errors():
        set_active(_db().session, _user(username), False)
    _db().session.commit()
    click.echo(f"{username} is deactivated; their sessions have ended")


@users.command("activate")
@click.argument("username")
@with_appcontext
def activate_command(username):
    """Let a deactivated account log in again."""
    set_active(_db().session, _user(username), True)
    _db().session.commit()
    click.echo(f"{username} can log in again")


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def role_command(username, role):
    """Give a user another role (the last active administrator keeps theirs)."""
    with _account_errors():
        set_role(_db().session, _user(username), role)
    _db().session.commit()
    click.echo(f"{username} is now {role}")


@users.command("demo-admin")
@with_appcontext
def demo_admin_command():
    """Create the demo administrator 'admin' with a one-time password, unless it exists."""
    db = _db()
    if db.session.scalar(select(User).where(User.username == "admin")):
        click.echo("demo admin 'admin' exists; `SURVEYOR_ENV=demo .venv/bin/surveyor users reset-password admin` "
                   "prints a new one-time password")
        return
    user, password = create_user(db.session, "admin", "admin")
    db.session.commit()
    click.echo("=" * 60)
    click.echo(f"Demo administrator: {user.username}")
    click.echo(f"One-time password:  {password}")
    login = current_app.config["PUBLIC_URL"].rstrip("/") + "/login"
    click.echo(f"Log in at {login} within {one_time_hours()} hours and choose your own password.")
    click.echo("=" * 60)


@users.command("list")
@with_appcontext
def list_command():
    """List staff accounts with their roles."""
    for user in _db().session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.username:24} {user.role:11} {state}")


@users.group("team")
def team():
    """Which inspectors a supervisor leads (whose inspections and actions they follow)."""


@team.command("add")
@click.argument("supervisor")
@click.argument("inspectors", nargs=-1, required=True)
@with_appcontext
def team_add_command(supervisor, inspectors):
    """Put INSPECTORS in SUPERVISOR's team (all or none)."""
    db = _db()
    with _account_errors():
        added = add_to_team(db.session, _user(supervisor), [_user(name) for name in inspectors])
    db.session.commit()
    click.echo(f"{supervisor}'s team: added {', '.join(u.username for u in added) or 'nobody new'}")


@team.command("remove")
@click.argument("supervisor")
@click.argument("inspectors", nargs=-1, required=True)
@with_appcontext
def team_remove_command(supervisor, inspectors):
    """Take INSPECTORS out of SUPERVISOR's team (all or none)."""
    db = _db()
    with _account_errors():
        remove_from_team(db.session, _user(supervisor), [_user(name) for name in inspectors])
    db.session.commit()
    click.echo(f"{supervisor}'s team: removed {', '.join(inspectors)}")


@team.command("list")
@click.argument("supervisor", required=False)
@with_appcontext
def team_list_command(supervisor):
    """Every supervisor with their inspectors, or SUPERVISOR's team only."""
    leader = _user(supervisor) if supervisor else None
    if leader is not None and leader.role != "supervisor":
        raise click.ClickException(f"{supervisor} is not a supervisor (role: {leader.role})")
    for head, members in teams(_db().session, leader).items():
        click.echo(f"{head.username}: {', '.join(m.username for m in members) or '(no inspectors)'}")
