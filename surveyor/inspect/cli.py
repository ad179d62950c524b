"""``surveyor inspections export``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..exports import FORMATS, LANGUAGES, export_instrument
from ..models import Instrument


@click.group(help="Checklist inspections.")
def inspections():
    pass


@inspections.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--lang", type=click.Choice(LANGUAGES), default="fa", show_default=True,
              help="Language of the labels (XLSX codebook, SPSS variable and value labels).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def export_command(code, fmt, lang, output):
    """Export every submitted inspection of a checklist, one row per inspection: CSV (UTF-8 with
    BOM), XLSX with a codebook sheet, or SPSS .sav with variable and value labels."""
    from ..extensions import db

    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper()))
    if instrument is None or instrument.kind != "checklist":
        raise click.ClickException(f"no checklist {code}; see `surveyor instruments list`")
    count = export_instrument(db.session, instrument, output, fmt, lang, current_app.config["DISPLAY_TIMEZONE"])
    click.echo(f"{count} inspection(s) of {instrument.code} written to {output}")
