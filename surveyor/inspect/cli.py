"""``surveyor inspections export``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..models import Instrument
from .export import write_csv


@click.group(help="Checklist inspections.")
def inspections():
    pass


@inspections.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def export_command(code, fmt, output):
    """Export every submitted inspection of a checklist, one row per inspection (UTF-8 with BOM)."""
    from ..extensions import db

    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper()))
    if instrument is None or instrument.kind != "checklist":
        raise click.ClickException(f"no checklist {code}; see `surveyor instruments list`")
    with open(output, "w", encoding="utf-8", newline="") as stream:
        count = write_csv(db.session, instrument, stream, current_app.config["DISPLAY_TIMEZONE"])
    click.echo(f"{count} inspection(s) of {instrument.code} written to {output}")
