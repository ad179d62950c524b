"""``surveyor points import | links`` and ``surveyor collection open | close``."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..formatting import parse_jalali_date
from ..models import Instrument, ServicePoint
from .importer import ImportError_, import_points
from .links import live_links
from .posters import posters_for, survey_url
from .windows import set_window


def _db():
    from ..extensions import db
    return db


def _say_where_links_point() -> None:
    """On standard error, where the links' address comes from when it is not from the setting."""
    from flask import current_app

    from ..public_url import explain

    note = explain(current_app.config, current_app.instance_path)
    if note:
        click.echo(note, err=True)


@click.group(help="Service points, their survey links and posters.")
def points():
    pass


@points.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(csv_file):
    """Create or update service points from a CSV file
    (code,name_fa,name_en,name_ar,district,lat,lon,instruments; instruments separated by ';').
    Nothing is imported if any row is wrong; every wrong row is reported by line number."""
    db = _db()
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{csv_file} is not UTF-8 text; save it as CSV UTF-8") from None
    try:
        report = import_points(db.session, text)
    except ImportError_ as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(f"{csv_file}: {problem}", err=True)
        raise click.ClickException("nothing was imported: fix the lines above and import again") from None
    db.session.commit()
    click.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged; "
               f"{report.links_issued} survey link(s) issued.")


@points.command("links")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of {point, instrument, url}.")
@with_appcontext
def links_command(as_json):
    """Print the live survey link of every (service point, instrument) pair.

    The address is SURVEYOR_PUBLIC_URL; unset (outside production), the one `make run` last
    served the demo on. A note on standard error says which when it is not the setting (not with
    --json, whose reader wants the data alone)."""
    if not as_json:
        _say_where_links_point()
    rows = [{"point": link.service_point.code, "instrument": link.instrument.code, "url": survey_url(link.token)}
            for link in live_links(_db().session)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['point']:16} {row['instrument']:8} {row['url']}")


@points.command("posters")
@click.option("--district", type=click.IntRange(1, 13), help="Only the service points of this district.")
@click.option("--point", "point_code", help="Only this service point.")
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def posters_command(district, point_code, size, output):
    """Write printable QR posters (one page per survey link) to a PDF file."""
    links = [link for link in live_links(_db().session)
             if (district is None or link.service_point.district == district)
             and (point_code is None or link.service_point.code == point_code)]
    if not links:
        raise click.ClickException("no survey links match; import service points with their instruments first")
    links.sort(key=lambda link: (link.service_point.code, link.instrument.code))
    _say_where_links_point()
    Path(output).write_bytes(posters_for(links, size))
    _db().session.commit()  # the links are stamped as printed
    click.echo(f"{len(links)} poster(s) written to {output}")


@click.group(help="Open and close instruments for collection.")
def collection():
    pass


def _window_command(is_open: bool):
    @click.argument("code")
    @click.option("--point", "point_code", help="Only at this service point (default: everywhere).")
    @click.option("--from", "start", help="First day, Jalali (1403/07/01).")
    @click.option("--to", "end", help="Last day, Jalali (1403/09/30).")
    @with_appcontext
    def command(code, point_code, start, end):
        db = _db()
        instrument = db.session.scalar(select(Instrument).where(Instrument.code == code.upper()))
        if instrument is None:
            raise click.ClickException(f"no instrument {code}; see `surveyor instruments list`")
        point_id = None
        if point_code:
            point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == point_code))
            if point is None:
                raise click.ClickException(f"no service point {point_code}")
            point_id = point.id
        try:
            set_window(db.session, instrument.id, is_open, point_id,
                       parse_jalali_date(start) if start else None, parse_jalali_date(end) if end else None)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        where = f"at {point_code}" if point_code else "at every service point"
        click.echo(f"{instrument.code} is {'open' if is_open else 'closed'} {where}.")
    return command


collection.command("open", help="Open an instrument for collection.")(_window_command(True))
collection.command("close", help="Close an instrument for collection.")(_window_command(False))
