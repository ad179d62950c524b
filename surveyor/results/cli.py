"""``surveyor results warm [CODE]...``: read each questionnaire's answers table and write its
snapshot, so that the first results page after a deployment does not wait for a full read
(about 100 seconds at a million responses; longer than gunicorn's default 30-second timeout)."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import Instrument


@click.group("results")
def results():
    """Results pages: the cached answers tables behind them."""


@results.command("warm")
@click.argument("codes", nargs=-1)
@with_appcontext
def warm(codes):
    """Bring the answers tables of the questionnaires CODES (all when none) up to date and
    snapshot them in the instance folder. Run it after deploying, and at night."""
    query = select(Instrument).where(Instrument.kind == "questionnaire").order_by(Instrument.code)
    if codes:
        query = query.where(Instrument.code.in_([code.upper() for code in codes]))
    instruments = list(db.session.scalars(query))
    unknown = {code.upper() for code in codes} - {i.code for i in instruments}
    if unknown:
        raise click.UsageError(f"no questionnaire {', '.join(sorted(unknown))}; `surveyor instruments list` shows them")
    tables = current_app.extensions["response_tables"]
    for instrument in instruments:
        start = time.perf_counter()
        held = tables.warm(db.session, instrument.id)
        click.echo(f"{instrument.code}: {held:,} responses, {time.perf_counter() - start:.1f} s")
