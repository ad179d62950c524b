"""``surveyor alerts``: run the early-warning detectors and list the alerts."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group(help="Early warning: drops in satisfaction, silent points and bursts of flagged responses.")
def alerts():
    pass


@alerts.command("scan", help="Run the detectors over every service point and questionnaire and store new "
                "alerts; running it again over the same data creates nothing new.")
@click.option("--now", "now_text", metavar="ISO-TIME",
              help="Scan as of this UTC time (e.g. 2026-11-30T18:00), for a backfill; default: now.")
@with_appcontext
def scan_command(now_text):
    import datetime as dt

    from ..extensions import db
    from .scan import scan

    now = None
    if now_text:
        try:
            now = dt.datetime.fromisoformat(now_text)
        except ValueError:
            raise click.BadParameter("write the time as 2026-11-30T18:00", param_hint="--now") from None
        now = now.replace(tzinfo=dt.timezone.utc) if now.tzinfo is None else now.astimezone(dt.timezone.utc)
    result = scan(db.session, now)
    db.session.commit()
    created = sum(result.created.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(result.created.items()))
    click.echo(f"Scanned {result.pairs} (service point, questionnaire) pair(s): "
               f"{created} new alert(s){': ' + kinds if kinds else ''}.")
