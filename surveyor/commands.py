"""Surveyor's commands by name, each imported when it is used.

Importing every command's module would load pandas, Matplotlib, ReportLab and openpyxl (several
seconds on a busy machine) before any command could start, even ``surveyor --help``. The table
below names each command, where it lives and its one-line help; :class:`LazyCommands` (the
app's ``app.cli``) imports a module only when its command runs, and the ``surveyor`` entry
point (:mod:`surveyor.cli`) lists them without building the app. ``tests/test_cli_startup.py``
checks the table against the commands themselves.
"""
from __future__ import annotations

import importlib
from typing import NamedTuple

import click
from flask.cli import AppGroup


class Entry(NamedTuple):
    module: str
    attribute: str
    standalone: bool  # runs without the app (no settings, no database)
    help: str  # the command's one-line help, as ``--help`` lists it


COMMANDS = {
    "alerts": Entry("surveyor.alerts.cli", "alerts", False,
                    "Early warning: drops in satisfaction, silent points and bursts of flagged responses."),
    "analyze": Entry("surveyor.analysis_cli", "analyze", True,
                     "Statistics on an exported CSV file (one row per response)."),
    "collection": Entry("surveyor.service_points.cli", "collection", False,
                        "Open and close instruments for collection."),
    "demo": Entry("surveyor.demo.cli", "demo", False,
                  "Create service points in all 13 districts and N synthetic responses per questionnaire, "
                  "spread over the last 12 months, from the model in surveyor/demo/model.py."),
    "inspections": Entry("surveyor.inspect.cli", "inspections", False, "Checklist inspections."),
    "instruments": Entry("surveyor.instruments.cli", "instruments", True,
                         "Check and load the questionnaire and checklist files."),
    "points": Entry("surveyor.service_points.cli", "points", False,
                    "Service points, their survey links and posters."),
    "report": Entry("surveyor.reporting.cli", "report", False,
                    "Write the PDF report of questionnaire or checklist CODE (the same file the results "
                    "page's download button gives), for a Jalali period and a district."),
    "responses": Entry("surveyor.responses.cli", "responses", False, "Questionnaire responses."),
    "results": Entry("surveyor.results.cli", "results", False,
                     "Results pages: the cached answers tables behind them."),
    "users": Entry("surveyor.auth.cli", "users", False, "Manage staff accounts."),
}
# Registered by the app itself (Flask-Migrate's ``db``, the API blueprint's ``api-tokens``):
# listed here only for ``surveyor --help``, which does not build the app.
REGISTERED_BY_THE_APP = {
    "api-tokens": "Tokens for the read-only JSON API (/api/v1).",
    "db": "Perform database migrations.",
}


def load(name: str) -> click.Command:
    """The command ``name`` of :data:`COMMANDS`, its module imported now."""
    entry = COMMANDS[name]
    return getattr(importlib.import_module(entry.module), entry.attribute)


def one_line_help(name: str, limit: int = 45) -> str:
    """The help ``surveyor --help`` shows for ``name``, without importing the command."""
    text = COMMANDS[name].help if name in COMMANDS else REGISTERED_BY_THE_APP[name]
    return click.Command(name, help=text).get_short_help_str(limit)


class LazyCommands(AppGroup):
    """The app's ``app.cli``: its registered commands, and those of :data:`COMMANDS`, each
    imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in COMMANDS:
            command = load(name)
            self.add_command(command, name)
        return command
