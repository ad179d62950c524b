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


def wire(session, pairs: dict[int, list[tuple[int, int]]]) -> int:
    """Link each instrument to the points it was generated at, open its questionnaires where no
    window was set, and issue the missing survey links (checklists get none); the links issued."""
    from ..models import PointInstrument
    from ..service_points.links import ensure_links
    from .city import open_questionnaires

    linked = set(session.execute(select(PointInstrument.service_point_id, PointInstrument.instrument_id)).all())
    for instrument_id, where in pairs.items():
        for point_id in sorted({p for p, _ in where} - {p for p, i in linked if i == instrument_id}):
            session.add(PointInstrument(service_point_id=point_id, instrument_id=instrument_id))
    session.flush()
    codes = list(session.scalars(select(Instrument.code).where(Instrument.id.in_(list(pairs)))))
    open_questionnaires(session, codes)
    return ensure_links(session)


CITY_RESPONSES, CITY_INSPECTIONS = 600, 40  # 600: about 46 per district, above the minimum of 30


@click.command("demo")
@click.option("--responses", "n", default=500, show_default=True, type=click.IntRange(0, 5_000_000),
              help="Synthetic responses per questionnaire (with --city: 600 unless given).")
@click.option("--instrument", "codes", multiple=True,
              help="Only these questionnaires (and checklists, with --inspections); repeatable.")
@click.option("--seed", default=1403, show_default=True, help="Random seed; the same seed gives the same data.")
@click.option("--inspections", "n_inspections", default=0, show_default=True,
              type=click.IntRange(0, 1_000_000),
              help="Synthetic inspections per checklist (model: surveyor/demo/inspections.py; "
                   "with --city: 40 unless given).")
@click.option("--city", is_flag=True,
              help="The whole demo city (what `make run` builds): more points per district, every instrument "
                   "linked where it fits, staff of every role with teams and assignments; once (a second run "
                   "adds nothing).")
@click.option("--force", is_flag=True, help="Also in production (SURVEYOR_ENV=production): refused without it.")
@with_appcontext
def demo(n, codes, seed, n_inspections, city, force):
    """Create service points in all 13 districts and N synthetic responses per questionnaire,
    spread over the last 12 months, from the model in surveyor/demo/model.py.

    Adds to what the database holds (a second run adds as many again); synthetic responses are
    marked with the channel `demo`. Each instrument is linked to the points its data is at, its
    questionnaires are opened for collection (unless a window is set) and get live survey links.
    With --city, builds the demo city once (surveyor/demo/city.py). Refused in production unless
    --force is given."""
    from flask import current_app

    from ..extensions import db

    if current_app.config["SURVEYOR_ENV"] == "production" and not force:
        raise click.ClickException(
            "refusing to add synthetic responses to a production database (SURVEYOR_ENV=production); "
            "use a demo database, or --force if this really is a test copy")
    if city:
        from .city_cli import build_city

        explicit = click.get_current_context().get_parameter_source
        build_city(db.session, seed,
                   n if explicit("n") == click.core.ParameterSource.COMMANDLINE else CITY_RESPONSES,
                   n_inspections if explicit("n_inspections") == click.core.ParameterSource.COMMANDLINE
                   else CITY_INSPECTIONS)
        return

    rng = np.random.default_rng(seed)
    from .city import sites_of

    points = sites_of(ensure_demo_points(db.session, rng))  # plain values: commits expire ORM objects
    query = select(Instrument).where(Instrument.kind == "questionnaire").order_by(Instrument.code)
    if codes:
        query = query.where(Instrument.code.in_([c.upper() for c in codes]))
    instruments = list(db.session.scalars(query))
    if not instruments and not n_inspections:
        raise click.ClickException("no questionnaires loaded; run `surveyor instruments sync` first")
    today = dt.datetime.now(dt.timezone.utc).date()
    pairs = {}
    for instrument in instruments:
        pairs[instrument.id] = points_for(instrument.code, points)
        generate_responses(db.session, instrument, pairs[instrument.id], n, rng, today)
    if n_inspections:
        from .inspections import demo_inspections
        lines = demo_inspections(db.session, points, codes, n_inspections, rng, today)
        click.echo("\n".join(lines))
        checklists = select(Instrument).where(Instrument.kind == "checklist")
        if codes:
            checklists = checklists.where(Instrument.code.in_([c.upper() for c in codes]))
        pairs.update({c.id: points_for(c.code, points) for c in db.session.scalars(checklists)})
    issued = wire(db.session, pairs)
    audit(db.session, "demo.generate", None, responses=n, instruments=[i.code for i in instruments], seed=seed)
    db.session.commit()
    click.echo(f"{len(points)} service points in {len(DISTRICTS)} districts; {issued} survey link(s) issued.")


def generate_responses(session, instrument: Instrument, where: list[tuple[int, int]], n: int, rng,
                       today: dt.date) -> None:
    """``n`` synthetic responses to ``instrument`` at the points ``where``, committed; says so."""
    definition = instrument.latest.definition
    model = draw_model(definition, rng, DISTRICTS)
    rows = generate(definition, model, where, n, rng, today)
    insert_responses(session, instrument, rows)
    session.commit()
    order = ", ".join(model.driver_codes[j] for j in np.argsort(-model.weights)[:3])
    weak = ", ".join(model.weak_and_important()) or "none"
    click.echo(f"{instrument.code}: {n} responses (strongest drivers by design: {order}; "
               f"important and weak by design: {weak})")
