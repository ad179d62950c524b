"""PDF builders: data in, bytes out. No Flask, no database.

:mod:`.persian_text` lays out Persian, Arabic and English text for ReportLab, :mod:`.fonts`
provides the fonts, and :mod:`.posters` makes the QR codes and the printable posters.
"""
