"""PDF builders: data in, bytes out. No Flask, no database.

The folder shows the layers, each using only those below it:

- :mod:`.report` reads an instrument's figures and calls a report builder (the results pages'
  download button and ``surveyor report``, in :mod:`.cli`, both go through it);
- :mod:`.questionnaire` and :mod:`.checklist` are the two reports, one module per group of
  sections; neither imports the other;
- :mod:`.layout` is what every report shares (definitions, pages, flowables, the writer, the
  cover) and knows nothing of either report;
- :mod:`.persian_text`, :mod:`.fonts` and :mod:`._bidi` lay out Persian, Arabic and English
  text for ReportLab; :mod:`.posters` makes the QR codes and the printable posters.
"""
