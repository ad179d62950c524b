"""``surveyor api-tokens create NAME | revoke NAME | list``."""
from __future__ import annotations

import click
from sqlalchemy import select

from ..models import ApiToken
from . import bp
from .tokens import create_token, revoke_token


@bp.cli.group("api-tokens", help="Tokens for the read-only JSON API (/api/v1).")
def api_tokens():
    pass


@api_tokens.command("create")
@click.argument("name")
def create_command(name):
    """Make a token for a dashboard; it is printed once and stored only as a hash."""
    from ..extensions import db
    try:
        _row, token = create_token(db.session, name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"API token {name}: {token}")
    click.echo("Keep it now: it is not stored and cannot be shown again. Send it as 'Authorization: Bearer <token>'.")


@api_tokens.command("revoke")
@click.argument("name")
def revoke_command(name):
    """Revoke the active token named NAME; requests with it get 401 from now on."""
    from ..extensions import db
    try:
        revoke_token(db.session, name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"API token {name} revoked")


@api_tokens.command("list")
def list_command():
    """Every token's name, creation time and revocation time (UTC)."""
    from ..extensions import db
    for row in db.session.scalars(select(ApiToken).order_by(ApiToken.name, ApiToken.created_at)):
        revoked = row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "active"
        click.echo(f"{row.name}\t{row.created_at.isoformat(timespec='seconds')}\t{revoked}")
