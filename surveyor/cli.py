"""The ``surveyor`` command: Flask's CLI group (run, shell, db ...) plus Surveyor's commands.

The app registers its commands on ``app.cli``; ``instruments``, ``analyze`` and
``new-secret-key`` are also attached here, so that ``surveyor instruments validate``,
``surveyor analyze drivers FILE.csv`` and ``surveyor new-secret-key`` work without a configured
app or database (the last one is how a production host gets its first key).
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import create_app
from .config import ConfigurationError
from .analysis_cli import analyze
from .instruments.cli import instruments
from .responses.summary import summary
from .secret_keys import new_secret_key

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


@click.command("new-secret-key")
def new_secret_key_command():
    """Print a new random key for SURVEYOR_SECRET_KEY; give every host the same one."""
    click.echo(new_secret_key())


main.add_command(new_secret_key_command)
