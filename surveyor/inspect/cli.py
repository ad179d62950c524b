"""``surveyor inspections export``."""
from __future__ import annotations

import click

from ..exports.cli import export_command


@click.group(help="Checklist inspections.")
def inspections():
    pass


inspections.add_command(export_command(
    "checklist", "inspection",
    "Export every submitted inspection of a checklist, one row per inspection: CSV (UTF-8 with "
    "BOM), XLSX with a codebook sheet, or SPSS .sav with variable and value labels."))
