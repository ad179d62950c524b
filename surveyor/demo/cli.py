"""``surveyor demo``: fill the database with demo service points and synthetic responses."""
from __future__ import annotations

import datetime as dt
import uuid

import click
import numpy as np
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from ..models import DISTRICTS, Answer, Instrument, Response, audit
from .model import draw_model, generate
from .points import ensure_demo_points, points_for

BATCH = 2000


def _answer_rows(response_id: int, answers: dict) -> list[dict]:
    rows = []
    for code, value in answers.items():
        if value is None:
            continue
        row = {"response_id": response_id, "item_code": code, "value_number": None, "value_text": None,
               "dont_know": value == "dont_know"}
        if isinstance(value, (int, float)):
            row["value_number"] = float(value)
        elif value != "dont_know":
            row["value_text"] = value
        rows.append(row)
    return rows


def insert_responses(session, instrument: Instrument, rows: list[dict]) -> int:
    """Bulk-insert generated responses and their answers, in batches; returns the count."""
    version = instrument.latest
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        response_rows = [{
            "client_id": f"demo-{uuid.uuid4()}", "instrument_id": instrument.id,
            "instrument_version_id": version.id, "service_point_id": row["point_id"], "channel": "demo",
            "language": row["language"], "submitted_at": row["submitted_at"],
            "started_at": row["submitted_at"] - dt.timedelta(seconds=row["duration"]),
            "duration_seconds": row["duration"], "quality_flags": row["flags"], "is_flagged": bool(row["flags"]),
        } for row in chunk]
        ids = session.scalars(insert(Response).returning(Response.id, sort_by_parameter_order=True),
                              response_rows).all()
        answers = [a for response_id, row in zip(ids, chunk) for a in _answer_rows(response_id, row["answers"])]
        session.execute(insert(Answer), answers)
    return len(rows)


@click.command("demo")
@click.option("--responses", "n", default=500, show_default=True, type=click.IntRange(0, 5_000_000),
              help="Synthetic responses per questionnaire.")
@click.option("--instrument", "codes", multiple=True,
              help="Only these questionnaires (and checklists, with --inspections); repeatable.")
@click.option("--seed", default=1403, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--inspections", "n_inspections", default=0, show_default=True,
              type=click.IntRange(0, 1_000_000),
              help="Synthetic inspections per checklist (model: surveyor/demo/inspections.py).")
@click.option("--force", is_flag=True, help="Also in production (SURVEYOR_ENV=production): refused without it.")
@with_appcontext
def demo(n, codes, seed, n_inspections, force):
    """Create service points in all 13 districts and N synthetic responses per questionnaire,
    spread over the last 12 months, from the model in surveyor/demo/model.py.

    Adds to what the database holds (a second run adds as many again); synthetic responses are
    marked with the channel `demo`. Refused in production unless --force is given."""
    from flask import current_app

    from ..extensions import db

    if current_app.config["SURVEYOR_ENV"] == "production" and not force:
        raise click.ClickException(
            "refusing to add synthetic responses to a production database (SURVEYOR_ENV=production); "
            "use a demo database, or --force if this really is a test copy")

    rng = np.random.default_rng(seed)
    points = ensure_demo_points(db.session, rng)
    query = select(Instrument).where(Instrument.kind == "questionnaire").order_by(Instrument.code)
    if codes:
        query = query.where(Instrument.code.in_([c.upper() for c in codes]))
    instruments = list(db.session.scalars(query))
    if not instruments and not n_inspections:
        raise click.ClickException("no questionnaires loaded; run `surveyor instruments sync` first")
    today = dt.datetime.now(dt.timezone.utc).date()
    for instrument in instruments:
        definition = instrument.latest.definition
        model = draw_model(definition, rng, DISTRICTS)
        rows = generate(definition, model, points_for(instrument.code, points), n, rng, today)
        insert_responses(db.session, instrument, rows)
        db.session.commit()
        order = ", ".join(model.driver_codes[j] for j in np.argsort(-model.weights)[:3])
        weak = ", ".join(model.weak_and_important()) or "none"
        click.echo(f"{instrument.code}: {n} responses (strongest drivers by design: {order}; "
                   f"important and weak by design: {weak})")
    if n_inspections:
        from .inspections import demo_inspections
        lines = demo_inspections(db.session, points, codes, n_inspections, rng, today)
        click.echo("\n".join(lines))
    audit(db.session, "demo.generate", None, responses=n, instruments=[i.code for i in instruments], seed=seed)
    db.session.commit()
    click.echo(f"{len(points)} service points in {len(DISTRICTS)} districts.")
