"""``surveyor demo --city``: build the demo city of :mod:`surveyor.demo.city` and tell the
newcomer how to get in (the one-time passwords are printed in demo mode only)."""
from __future__ import annotations

import datetime as dt

import click
import numpy as np
from flask import current_app
from sqlalchemy import func, select

from ..formatting import local_today
from ..models import DISTRICTS, Instrument, ServicePoint, audit
from ..service_points.links import ensure_links, live_links
from .city import (CITY_EVENT, assign_today, city_exists, city_points_for, ensure_city_points, ensure_staff,
                   link_instruments, open_questionnaires, sites_of)

RULE = "=" * 72
PASSWORD_HEADER = "user         role         one-time password"


def build_city(session, seed: int, n: int, n_inspections: int) -> None:
    from .cli import generate_responses
    from .inspections import demo_inspections

    if not session.scalar(select(func.count()).select_from(Instrument)):
        raise click.ClickException("no instruments loaded; run `surveyor instruments sync` first")
    today = dt.datetime.now(dt.timezone.utc).date()
    points = ensure_city_points(session)
    link_instruments(session, points)
    points = sites_of(points)  # before the first commit expires them
    open_questionnaires(session)
    ensure_links(session)
    staff = ensure_staff(session)
    session.commit()
    if city_exists(session):
        click.echo("The demo city is already built; nothing was added.")
    else:
        rng = np.random.default_rng(seed)
        questionnaires = session.scalars(select(Instrument).where(Instrument.kind == "questionnaire")
                                         .order_by(Instrument.code)).all()
        for questionnaire in questionnaires:
            generate_responses(session, questionnaire, city_points_for(questionnaire.code, points), n, rng, today)
        team = [user.id for user, _ in staff if user.role == "inspector" and user.supervisor_id is not None]
        if n_inspections:
            for line in demo_inspections(session, points, (), n_inspections, rng, today,
                                         where_used=city_points_for, inspectors=team or None):
                click.echo(line)
        audit(session, CITY_EVENT, None, responses=n, inspections=n_inspections, seed=seed)
        session.commit()
    # "Today" for assignments is the office's day (SURVEYOR_TIMEZONE), as the inspector's pages count it.
    assign_today(session, points, local_today(current_app.config["DISPLAY_TIMEZONE"]))
    session.commit()
    _record_address()
    _welcome(session, staff)


def _record_address() -> None:
    """Remember the address the demo is served on, for commands typed in another terminal."""
    from ..public_url import FROM_SETTING, record

    config = current_app.config
    if config["SURVEYOR_ENV"] == "demo" and config.get("PUBLIC_URL_SOURCE") == FROM_SETTING:
        record(current_app.instance_path, config["PUBLIC_URL"])


def _welcome(session, staff) -> None:
    from ..auth.accounts import one_time_hours

    base = current_app.config["PUBLIC_URL"].rstrip("/")
    points = session.scalar(select(func.count()).select_from(ServicePoint))
    links = live_links(session)
    click.echo(RULE)
    click.echo(f"Demo city: {points} service points in {len(DISTRICTS)} districts, "
               f"{len({link.instrument_id for link in links})} questionnaires collecting through "
               f"{len(links)} live survey links.")
    click.echo(f"Log in at {base}/login")
    new = [(user, password) for user, password in staff if password]
    if new and current_app.config["SURVEYOR_ENV"] == "demo":
        click.echo(f"One-time passwords (they work for {one_time_hours()} hours; each user chooses their own "
                   "password at first login):")
        click.echo("  " + PASSWORD_HEADER)
        for user, password in new:
            click.echo(f"  {user.username:12} {user.role:12} {password}")
    elif new:
        click.echo("One-time passwords are printed in demo mode only (SURVEYOR_ENV=demo); "
                   "`surveyor users reset-password NAME` gives a new one.")
    else:
        names = ", ".join(user.username for user, _ in staff)
        click.echo(f"The demo users exist ({names}); their passwords were printed when they were created. "
                   "`SURVEYOR_ENV=demo .venv/bin/surveyor users reset-password NAME` prints a new one-time password.")
    first = links[0] if links else None
    click.echo(f"Posters and survey links: {base}/admin/points"
               + (f"  (for example {base}/s/{first.token})" if first else ""))
    click.echo(RULE)
