"""``surveyor users create | reset-password | demo-admin | list``."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..models import ROLES, User
from .accounts import AccountError, create_user, reset_password


@click.group(help="Manage staff accounts.")
def users():
    pass


def _db():
    from ..extensions import db
    return db


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
    try:
        user, password = create_user(db.session, username, role, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")
    if not password_stdin:
        click.echo(f"one-time password: {password}")
        click.echo("The user chooses their own password at first login.")


@users.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_command(username):
    """Give a user a new one-time password and unlock their account."""
    db = _db()
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    password = reset_password(db.session, user)
    db.session.commit()
    click.echo(f"one-time password for {username}: {password}")


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
    click.echo(f"Log in at {login} and choose your own password.")
    click.echo("=" * 60)


@users.command("list")
@with_appcontext
def list_command():
    """List staff accounts with their roles."""
    for user in _db().session.scalars(select(User).order_by(User.username)):
        state = "active" if user.active else "inactive"
        click.echo(f"{user.username:24} {user.role:11} {state}")
