"""The layout every report shares, whatever it reports on: report definitions (sections and
texts from ``reports/<kind>.yaml``), pages, flowables, the :class:`~.writer.Writer` that formats
numbers and dates in the report's language, and the cover page.

Nothing here knows of questionnaires or checklists: the report packages use this one, never
the other way round (``tests/reporting/test_reporting_imports.py`` checks it).
"""
