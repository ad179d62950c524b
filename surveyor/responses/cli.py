"""``surveyor responses export``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..exports.cli import export_command


@click.group(help="Questionnaire responses.")
def responses():
    pass


responses.add_command(export_command(
    "questionnaire", "response",
    "Export every response to a questionnaire, one row per response: CSV (UTF-8 with BOM), "
    "XLSX with a codebook sheet, or SPSS .sav with variable and value labels."))


@responses.command("bursts", help="List the hours in which a survey link received responses flagged as a "
                   "burst (too many from one address, network or in all), for review. Flagged responses are "
                   "kept but left out of results; tick \"include flagged responses\" on the results page to "
                   "see them counted.")
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True, help="How far back to look.")
@with_appcontext
def bursts(days):
    from ..extensions import db
    from ..formatting import jalali_datetime
    from .bursts import BURST_FLAGS, flagged_bursts

    found = flagged_bursts(db.session, current_app.config["DISPLAY_TIMEZONE"], days)
    if not found:
        click.echo(f"No burst-flagged responses in the last {days} day(s).")
    for burst in found:
        flags = ", ".join(f"{flag} {burst.flags[flag]}" for flag in BURST_FLAGS if burst.flags[flag])
        click.echo(f"{jalali_datetime(burst.hour, 'en')}  {burst.point_code}  {burst.instrument_code}  "
                   f"{burst.responses} response(s); flagged: {flags}")
