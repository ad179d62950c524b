"""The ``surveyor`` command: Flask's CLI group (run, shell, db ...) plus Surveyor's commands.

The app registers its commands on ``app.cli``; ``instruments`` and ``analyze`` are also attached
here, so that ``surveyor instruments validate`` and ``surveyor analyze drivers FILE.csv`` work
without a configured app or database.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import create_app
from .config import ConfigurationError
from .analysis_cli import analyze
from .instruments.cli import instruments
from .responses.summary import summary

analyze.add_command(summary)  # the one analysis that reads the database


def _create_app():
    """The app, or one line saying which setting is missing or wrong (not a traceback)."""
    try:
        return create_app()
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None


main = FlaskGroup(create_app=_create_app, help="Surveyor: survey and service-quality measurement.")
main.add_command(instruments)
main.add_command(analyze)
