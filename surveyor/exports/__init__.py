"""Responses and inspections exported for analysts: CSV, Excel with a codebook, and SPSS.

All three read the rows of the CSV export (``surveyor.responses.export.rows`` and
``surveyor.inspect.export.rows``) once; XLSX and SPSS add the codebook of
:mod:`surveyor.exports.codebook` in the language asked for. Each file names the filters that
chose its rows (:mod:`surveyor.exports.selection`).
"""
from __future__ import annotations

from itertools import chain

from ..i18n import localized
from ..models import Instrument
from .codebook import LANGUAGES, Variable, build_codebook, format_versions, spss_names
from .selection import EVERY_ROW, Selection

FORMATS = ("csv", "xlsx", "sav")

__all__ = ["EVERY_ROW", "FORMATS", "LANGUAGES", "Selection", "Variable", "build_codebook", "export_instrument", "spss_names"]


def export_instrument(session, instrument: Instrument, path, fmt: str = "csv", lang: str = "fa",
                      timezone: str = "Asia/Tehran", selection: Selection = EVERY_ROW) -> int:
    """Write the responses (questionnaire) or submitted inspections (checklist) of ``instrument``
    that ``selection`` keeps (every one by default) to ``path`` as ``fmt``; labels in ``lang``.
    The file names the filters of ``selection``. Returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if instrument.kind == "checklist":
        from ..inspect.export import rows, write_csv
    else:
        from ..responses.export import rows, write_csv
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as stream:
            return write_csv(session, instrument, stream, timezone, selection)
    stream = rows(session, instrument, timezone, selection)
    header = next(stream)
    codebook = build_codebook(instrument, header, lang)
    title = f"{instrument.code} {localized(instrument.latest.definition.get('title'), lang)}".strip()
    # The writers load openpyxl and pyreadstat, about a second: only when such a file is written.
    if fmt == "xlsx":
        from .xlsx import write_xlsx

        return write_xlsx(chain([header], stream), codebook, path, lang=lang, title=title,
                          filters=selection.filters)
    from .sav import write_sav

    versions = format_versions(tuple(version.number for version in instrument.versions))
    return write_sav(chain([header], stream), codebook, path, file_label=title,
                     note=f"Surveyor export of {instrument.code}, versions {versions}, labels: {lang}; "
                          f"filters: {selection.describe()}")
