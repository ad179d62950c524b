"""``surveyor responses export``."""
from __future__ import annotations

import click

from ..exports.cli import export_command


@click.group(help="Questionnaire responses.")
def responses():
    pass


responses.add_command(export_command(
    "questionnaire", "response",
    "Export every response to a questionnaire, one row per response: CSV (UTF-8 with BOM), "
    "XLSX with a codebook sheet, or SPSS .sav with variable and value labels."))
