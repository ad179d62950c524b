"""XLSForm import and export of instruments, for staff who author in Excel for KoboToolbox or ODK.

Export writes the instrument file as written (before normalize, so choice lists keep their
names and ranges); import reads such a workbook, or an ordinary XLSForm as far as it maps,
back into that document and runs the normal validation (schema, then rules). Stages:
``reader`` (cells by sheet and row) -> ``unsupported`` (features we do not support) ->
``builder`` (the document, remembering each part's row) -> validation, with every problem
named by file, sheet, row and column. ``writer`` builds the workbook for an export.

Workbook layout
---------------
Texts are given once per language in columns named ``label::Persian (fa)``,
``label::English (en)``, ``label::Arabic (ar)`` (likewise ``hint::``, ``unit::``,
``anchor::``). Import also reads ``label::fa``, ``label::Farsi`` and, when ``settings`` names
a ``default_language``, plain ``label`` and ``hint`` columns. Yes/no cells take ``yes``/``no``
(also ``true``/``false``, ``1``/``0``); an empty cell leaves the key out of the YAML.

``survey`` -- one row per item, in order.
    ``type``            XLSForm type: ``select_one LIST`` (rating, choice), ``integer`` or
                        ``decimal`` (number; ``integer`` when its bounds are whole numbers),
                        ``decimal`` (measurement), ``text``; pass_fail and rating4 items are
                        ``select_one surveyor-pass-fail`` and ``select_one surveyor-rating4``.
    ``name``            item code.
    ``label::``, ``hint::``, ``required``   as in XLSForm.
    ``surveyor_type``   the item type (rating, choice, number, text, pass_fail, rating4,
                        measurement). If empty, import derives it from ``type`` and ``role``:
                        select_one is a rating for outcome, driver and recommend items and a
                        choice otherwise; a number of a check item is a measurement.
    ``role``, ``dimension``, ``dont_know``, ``min``, ``max``, ``unit::``, ``max_length``,
    ``weight``, ``critical``, ``not_applicable``, ``acceptable_min``, ``acceptable_max``,
    ``photo_on_fail``, ``action_on_fail``   the item keys of the same names.
    ``begin_group``/``end_group`` (import only) -- a group named like a dimension gives that
    dimension to the driver and check items inside it that have none; a group not declared in
    ``dimensions`` declares it with the group's labels. Groups in groups are not supported.
``choices`` -- ``list_name``, ``name`` (the option value; numbers stay numbers), ``label::``.
    A range list (``from``/``to``/``anchors``) is one row per point with ``range`` = yes, the
    number as its label and the end texts in ``anchor::`` columns. ``surveyor-pass-fail``
    (1 pass, 0 fail) and ``surveyor-rating4`` (0-4) are written for KoboToolbox and skipped
    on import.
``settings`` -- one row: ``form_id`` (code), ``form_title`` (title in the first language),
    ``default_language``, ``kind``, ``domain``, ``languages`` (``fa en ar``). On import, kind
    and domain default to what the code and the catalog say, languages to the label columns
    present; ``version`` is ignored (Surveyor versions every change of the file itself).
``instrument`` -- one row per instrument-level part: ``name``, ``value``, ``label::``. Rows:
    ``title``, ``respondents``, ``introduction``, ``thank_you``, ``dont_know`` (texts);
    ``service_standard`` (minutes in value, wording in labels); ``service_standard.measured_by``
    (the checklist item measuring the same time, ``CODE.item``); ``provenance.model``,
    ``provenance.standards`` (one row each), ``provenance.dimensions`` (codes separated by
    spaces), ``provenance.notes``; ``scoring.critical_rule``, ``scoring.cap_percent`` (values),
    ``scoring.rule_text`` (texts).
``dimensions`` -- ``name`` (code) and ``label::``, one row per dimension.
``grades`` -- checklists: ``name`` (letter), ``min_percent``, ``label::``, best grade first.

Not supported, and reported with sheet, row and what to do: ``calculate``, ``note``,
``select_multiple``, repeats, ``geopoint``, date/time, media and metadata questions,
``relevant``, ``constraint``, ``choice_filter``, ``appearance``, ``default`` and every other
column or sheet not listed above that holds something.
"""
from .importer import check_workbook, import_xlsform
from .writer import build_workbook, write_xlsform
from .yaml_text import dump_yaml

__all__ = ["build_workbook", "check_workbook", "dump_yaml", "import_xlsform", "write_xlsform"]
