"""The ``surveyor`` command: Flask's CLI group (run, shell, routes) plus Surveyor's commands.

The commands are listed in :mod:`surveyor.commands` and imported when they run. ``surveyor
--help`` lists them without building the app (which imports every page); ``instruments``,
``analyze`` and ``new-secret-key`` run without a configured app or database (``surveyor
instruments validate``, ``surveyor analyze drivers FILE.csv``, and the first key of a production
host); the others run inside the app, whose ``app.cli`` finds them in the same table.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .commands import COMMANDS, REGISTERED_BY_THE_APP, load, one_line_help


def _create_app():
    """The app, or one line saying which setting is missing or wrong (not a traceback)."""
    from . import create_app
    from .config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from None


class SurveyorGroup(FlaskGroup):
    """Flask's group, listing Surveyor's commands without building the app.

    Flask's own ``list_commands`` builds the app and imports every installed plugin's commands to
    show the list. This one reads :mod:`surveyor.commands`, and loads no plugins: the only one
    installed is Flask-Limiter's ``limiter``, which Surveyor does not use.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_plugin_commands = True  # see the class docstring

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*click.Group.list_commands(self, ctx), *COMMANDS, *REGISTERED_BY_THE_APP})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and COMMANDS[name].standalone:
            return load(name)
        return super().get_command(ctx, name)  # Flask's built-ins, then the app's commands

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            own = click.Group.get_command(self, ctx, name)  # run, shell, routes, new-secret-key
            if own is None:
                rows.append((name, one_line_help(name, limit)))
            elif not own.hidden:
                rows.append((name, own.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


main = SurveyorGroup(create_app=_create_app, help="Surveyor: survey and service-quality measurement.")


@click.command("new-secret-key")
def new_secret_key_command():
    """Print a new random key for SURVEYOR_SECRET_KEY; give every host the same one."""
    from .secret_keys import new_secret_key

    click.echo(new_secret_key())


main.add_command(new_secret_key_command)  # a plain click command: it needs no app (nor a key)
