"""``surveyor report CODE [--from 1403/07/01 --to 1403/09/30] [--district N] [--lang fa|en]
-o FILE.pdf``: an instrument's PDF report from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..formatting import parse_jalali_date
from ..models import DISTRICTS
from ..results.data import Filters
from .report import REPORT_LANGUAGES, build_report, find_instrument


def _jalali(_ctx, param, value):
    if value is None:
        return None
    try:
        return parse_jalali_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}; write it as 1403/07/01", param=param) from None


@click.command("report")
@click.argument("code")
@click.option(
    "--from",
    "date_from",
    callback=_jalali,
    metavar="YYYY/MM/DD",
    help="First day (Jalali, e.g. 1403/07/01); default: the first day with data.",
)
@click.option(
    "--to",
    "date_to",
    callback=_jalali,
    metavar="YYYY/MM/DD",
    help="Last day (Jalali, e.g. 1403/09/30); default: the last day with data.",
)
@click.option(
    "--district",
    type=click.IntRange(min(DISTRICTS), max(DISTRICTS)),
    help="Only this district (1-13).",
)
@click.option(
    "--lang",
    type=click.Choice(REPORT_LANGUAGES),
    default="fa",
    show_default=True,
    help="Language of the report.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@with_appcontext
def report(code, date_from, date_to, district, lang, output):
    """Write the PDF report of questionnaire or checklist CODE (the same file the results page's
    download button gives), for a Jalali period and a district."""
    from ..extensions import db

    if date_from and date_to and date_from > date_to:
        raise click.BadParameter("--from is after --to", param_hint="--from")
    try:
        instrument = find_instrument(db.session, code)
        pdf = build_report(
            db.session,
            instrument,
            Filters(date_from=date_from, date_to=date_to, district=district),
            lang,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    output.write_bytes(pdf)
    click.echo(f"{output}: {instrument.code} report in {lang}, {len(pdf) // 1024} KB")
