"""The `export` command shared by `surveyor responses` and `surveyor inspections`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..models import Instrument
from . import FORMATS, LANGUAGES, export_instrument


def export_command(kind: str, rows_name: str, help_text: str) -> click.Command:
    """``export CODE --format csv|xlsx|sav --lang fa|en|ar -o FILE`` for instruments of ``kind``."""

    @click.command("export", help=help_text)
    @click.argument("code")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
    @click.option("--lang", type=click.Choice(LANGUAGES), default="fa", show_default=True,
                  help="Language of the labels (XLSX codebook, SPSS variable and value labels).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
    @with_appcontext
    def command(code, fmt, lang, output):
        from ..extensions import db
        from ..results.selection import download_selection, unfiltered

        instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper()))
        if instrument is None or instrument.kind != kind:
            raise click.ClickException(f"no {kind} {code}; see `surveyor instruments list`")
        timezone = current_app.config["DISPLAY_TIMEZONE"]
        selection = download_selection(db.session, instrument, unfiltered(instrument), timezone=timezone)
        count = export_instrument(db.session, instrument, output, fmt, lang, timezone, selection)
        click.echo(f"{count} {rows_name}(s) of {instrument.code} written to {output}")

    return command
