"""``surveyor instruments validate | sync | list | export-xlsform | import-xlsform``."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import read_settings
from .errors import InstrumentError
from .loader import discover_files, load_all, missing_catalog_files, validate_files


@click.group(help="Check and load the questionnaire and checklist files.")
def instruments():
    pass


def _expand(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            nested = discover_files(path)
            files.extend(nested or sorted(path.glob("*.yaml")))
        else:
            files.append(path)
    return files


@instruments.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def validate_command(paths):
    """Validate instrument files (default: every file in the instruments folder).

    Without PATHS, every instrument of the catalog must also have its file. Prints every problem
    with its file and place, and exits with status 1 if there is any.
    """
    root = Path(read_settings()["INSTRUMENTS_DIR"])
    files = _expand(paths) if paths else discover_files(root)
    if not files:
        raise click.ClickException(f"no instrument files found in {root}/questionnaires or {root}/checklists")
    loaded, problems = validate_files(files, Path.cwd())
    missing = [] if paths else missing_catalog_files(root, Path.cwd())
    for problem in problems + missing:
        click.echo(str(problem), err=True)
    bad_files = len({p.file for p in problems})
    summary = (f"{len(files)} file(s) checked: {len(loaded)} valid, {bad_files} with problems "
               f"({len(problems)} problem(s))")
    if missing:
        summary += f"; {len(missing)} catalog instrument(s) without a file in its place"
    click.echo(summary + ".")
    if problems or missing:
        raise SystemExit(1)


NOT_SET_UP = "the database has no instrument tables yet: run `surveyor db upgrade`, then `surveyor instruments sync`"


def _require_instrument_tables() -> None:
    """Stop with a one-line hint, not a traceback, when the database is unreachable or not migrated."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from ..extensions import db
    from ..models import Instrument, InstrumentVersion

    try:
        tables = inspect(db.engine)
        ready = all(tables.has_table(model.__tablename__) for model in (Instrument, InstrumentVersion))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise click.ClickException(f"cannot open the database ({reason}); check SURVEYOR_DATABASE_URL, "
                                   "then run `surveyor db upgrade` and `surveyor instruments sync`") from None
    if not ready:
        raise click.ClickException(NOT_SET_UP)


@instruments.command("sync")
@with_appcontext
def sync_command():
    """Load every instrument file into the database; a changed file becomes a new version."""
    from ..extensions import db
    from .sync import sync_instruments

    _require_instrument_tables()
    root = Path(current_app.config["INSTRUMENTS_DIR"])
    try:
        loaded = load_all(root)
    except InstrumentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("nothing was loaded: fix the problems above and sync again") from None
    if not loaded:
        raise click.ClickException(
            f"no instrument files in {root}/questionnaires or {root}/checklists: set SURVEYOR_INSTRUMENTS_DIR "
            "to the folder that holds them (the checkout of this repository)")
    report = sync_instruments(db.session, loaded)
    db.session.commit()
    for code in report.created:
        click.echo(f"{code}: loaded as version 1")
    for code, number in report.new_versions:
        click.echo(f"{code}: changed, stored as version {number}")
    click.echo(f"{len(loaded)} instrument(s): {len(report.created)} new, {len(report.new_versions)} "
               f"with a new version, {len(report.unchanged)} unchanged.")


@instruments.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (code, kind, domain, version, "
              "languages, title, items) for other tools.")
@with_appcontext
def list_command(as_json):
    """List the instruments loaded in the database."""
    from .catalog import all_instruments, listing

    _require_instrument_tables()
    rows = listing(all_instruments())
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['code']:8} v{row['version']:<3} {row['kind']:13} {len(row['items']):3} items  "
                   f"{','.join(row['languages']):9} {row['title'].get('en', '')}")


def _instrument_file(root: Path, code: str) -> Path | None:
    """The file of the instrument ``code`` (any case) in the instruments folder."""
    return next((path for path in discover_files(root) if path.stem == code.lower()), None)


@instruments.command("export-xlsform")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Workbook to write (default: CODE.xlsx).")
@click.option("--force", is_flag=True, help="Replace the workbook if it exists.")
def export_xlsform_command(code, output, force):
    """Write the instrument CODE as an XLSForm workbook (.xlsx) to edit in Excel or KoboToolbox.

    Reads the file from the instruments folder; no database is needed. The layout is described
    in surveyor/instruments/xlsform/__init__.py.
    """
    import yaml

    from .loader import load_file
    from .xlsform import write_xlsform

    root = Path(read_settings()["INSTRUMENTS_DIR"])
    path = _instrument_file(root, code)
    if path is None:
        raise click.ClickException(f"no instrument file for {code} in {root}/questionnaires or {root}/checklists")
    try:
        load_file(path, root)
    except InstrumentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{path.name} is not valid; fix it before exporting") from None
    target = Path(output or f"{code.lower()}.xlsx")
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; use --force to replace it")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    write_xlsform(document, target)
    click.echo(f"{document['code']}: wrote {target} ({len(document['items'])} items)")


@instruments.command("import-xlsform")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="YAML file to write (default: questionnaires/ or checklists/ in the instruments folder, "
                   "named after the code).")
@click.option("--force", is_flag=True, help="Replace the YAML file if it exists.")
def import_xlsform_command(workbook, output, force):
    """Turn an XLSForm workbook (.xlsx) into an instrument file, if it is a valid instrument.

    Prints every problem with its sheet, row and column and exits with status 1 if there is any;
    nothing is written then.
    """
    from .xlsform import check_workbook, dump_yaml

    workbook = Path(workbook)
    document, problems = check_workbook(workbook, file_name=Path(output).name if output else None)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{workbook.name}: {len(problems)} problem(s); nothing was written.", err=True)
        raise SystemExit(1)
    if output:
        target = Path(output)
    else:
        folder = "questionnaires" if document["kind"] == "questionnaire" else "checklists"
        target = Path(read_settings()["INSTRUMENTS_DIR"]) / folder / f"{document['code'].lower()}.yaml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; use --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    title = document["title"].get("en") or document["code"]
    target.write_text(dump_yaml(document, f"{title}. Imported from {workbook.name} with "
                                          f"'surveyor instruments import-xlsform'."), encoding="utf-8")
    click.echo(f"{document['code']}: wrote {target} ({len(document['items'])} items)")
