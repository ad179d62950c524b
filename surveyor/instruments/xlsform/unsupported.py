"""Stage 2 of an import: the XLSForm features Surveyor does not support, one small check each.

Each check yields ``(place, column, message, fix)`` for every use of a feature, so that a
form from KoboToolbox or ODK is never imported with a part of it silently left out.
"""
from __future__ import annotations

from collections.abc import Iterator

from .layout import (CHOICES, IGNORED_COLUMNS, INSTRUMENT, LANGUAGES, PLAIN_COLUMNS, SETTINGS, SHEETS, SURVEY,
                     TEXT_COLUMNS)
from .reader import Place, Sheet

Finding = tuple[Place, str, str, str]
Found = Iterator[Finding]

QUESTION_TYPES = {"select_one", "integer", "decimal", "text"}
GROUP_TYPES = {"begin_group", "end_group"}
_TYPE_SPELLINGS = {"begin group": "begin_group", "end group": "end_group", "begin repeat": "begin_repeat",
                   "end repeat": "end_repeat", "select one": "select_one", "select multiple": "select_multiple",
                   "select_one_external": "select_one_external"}

_METADATA = "Surveyor records when, in which language and through which channel each answer was given; delete the row"
_MEDIA = "photos of failed checklist items are asked with the photo_on_fail column; delete the row"
UNSUPPORTED_TYPES = {
    "calculate": "Surveyor computes scores and indices itself; delete the row",
    "note": "put the text in the introduction row of the instrument sheet or in a question's hint, and delete the row",
    "select_multiple": "ask one select_one question per option (with a yes/no list), or one select_one question",
    "select_one_from_file": "put the options in the choices sheet and use select_one",
    "select_multiple_from_file": "put the options in the choices sheet and use select_one",
    "select_one_external": "cascading selects are not supported; use select_one with one flat list",
    "begin_repeat": "repeats are not supported; ask the questions once per response, or split the instrument",
    "end_repeat": "repeats are not supported; delete the row together with its begin_repeat",
    "range": "use select_one with a choice list marked range: yes in the choices sheet",
    "rank": "ask one rating question per option",
    "date": "ask the date as a choice or number, or leave it out: Surveyor dates every response itself",
    "time": "Surveyor records the time of every response itself; delete the row",
    "datetime": "Surveyor records the time of every response itself; delete the row",
    "image": _MEDIA, "audio": _MEDIA, "video": _MEDIA, "file": _MEDIA, "background-audio": _MEDIA,
    "barcode": "ask for the code as text instead",
    "acknowledge": "use a select_one question, or put the statement in the introduction",
    "hidden": "delete the row: Surveyor keeps no hidden values", "trigger": "use a select_one question",
    "xml-external": "external data is not supported; delete the row",
    "csv-external": "external data is not supported; delete the row",
    "geotrace": "Surveyor does not record lines or shapes; delete the row",
    "geoshape": "Surveyor does not record lines or shapes; delete the row",
    **{name: _METADATA for name in ("start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
                                    "subscriberid", "email", "audit", "start-geopoint")},
}

COLUMN_FIXES = {
    "relevant": "Surveyor asks every question of every respondent; delete the condition, or word the question "
                "so everyone can answer it (with dont_know: yes)",
    "constraint": "give number bounds in the min and max (or acceptable_min and acceptable_max) columns and "
                  "delete the expression",
    "constraint_message": "messages for out-of-range numbers are built in; delete it",
    "calculation": "Surveyor computes scores and indices itself; delete it",
    "choice_filter": "cascading selects are not supported; give the question one flat choice list",
    "appearance": "Surveyor lays out each kind of question itself; delete it",
    "default": "Surveyor starts every answer empty; delete it",
    "read_only": "delete it", "repeat_count": "repeats are not supported; delete it",
    "required_message": "the message for a required question is built in; delete it",
    "guidance_hint": "move the text to the hint:: columns",
    "media": "images and sounds in questions are not supported; delete it",
    "image": "images in questions or choices are not supported; delete it",
    "audio": "sounds in questions or choices are not supported; delete it",
    "video": "videos in questions or choices are not supported; delete it",
    "parameters": "delete it", "trigger": "delete it",
}
_OTHER_COLUMN = ("delete the column, or move its content to a column Surveyor reads (see the layout in "
                 "surveyor/instruments/xlsform/__init__.py)")
_OTHER_LANGUAGE = ("Surveyor's languages are Persian (fa), English (en) and Arabic (ar); delete the column "
                   "or name its language like label::English (en)")
SHEET_FIXES = {
    "external_choices": "choice lists from external files are not supported; move them to the choices sheet",
    "entities": "entities are not supported; delete the sheet",
}


def parse_type(text: str | None) -> tuple[str | None, str | None, str]:
    """``"select_one gender"`` -> ``("select_one", "gender", "")``; anything after the list
    name (such as ``or_other``) comes back as the third part."""
    if not text:
        return None, None, ""
    words = text.split()
    keyword = words[0].lower()
    if len(words) > 1 and f"{keyword} {words[1].lower()}" in _TYPE_SPELLINGS:
        keyword, words = _TYPE_SPELLINGS[f"{keyword} {words[1].lower()}"], words[1:]
    keyword = _TYPE_SPELLINGS.get(keyword, keyword)
    if keyword in {"select_one", "select_multiple"}:
        return keyword, (words[1] if len(words) > 1 else None), " ".join(words[2:])
    return keyword, None, " ".join(words[1:])


def sheets_are_known(sheets: dict[str, Sheet]) -> Found:
    for name, sheet in sheets.items():
        if name not in SHEETS and (sheet.rows or sheet.columns):
            yield (Place(sheet.title), "", "this sheet is not read",
                   SHEET_FIXES.get(name, "Surveyor reads only the sheets " + ", ".join(SHEETS)
                                   + "; delete it or move its content there"))


def columns_are_known(sheets: dict[str, Sheet]) -> Found:
    """One finding per non-empty cell of a column Surveyor does not read (an empty one is harmless)."""
    for name in SHEETS:
        sheet = sheets.get(name)
        if sheet is None:
            continue
        known = set(PLAIN_COLUMNS[name]) | IGNORED_COLUMNS.get(name, set())
        for column in sheet.columns:
            base, lang = column.key
            if (lang is None and base in known) or (lang in LANGUAGES and base in TEXT_COLUMNS[name]):
                continue
            if lang is None and base in TEXT_COLUMNS[name]:
                continue                    # a label column without a language: see text_columns_name_a_language
            if lang is not None and base in TEXT_COLUMNS[name]:
                message, fix = "text in a language Surveyor does not support", _OTHER_LANGUAGE
            elif base in COLUMN_FIXES:
                message, fix = f"uses {base}, an XLSForm feature Surveyor does not support", COLUMN_FIXES[base]
            else:
                message, fix = "a column Surveyor does not read", _OTHER_COLUMN
            for row in sheet.rows:
                if column.key in row.cells:
                    yield row.place(_row_name(row)), column.header, message, fix


def text_columns_name_a_language(sheets: dict[str, Sheet], default_language: str | None) -> Found:
    """A ``label`` column is read in settings' default_language, unless that column is also given."""
    for sheet in sheets.values():
        for column in sheet.columns:
            base, lang = column.key
            if lang is not None or base not in TEXT_COLUMNS.get(sheet.name, ()) or not sheet.rows:
                continue
            if default_language:
                yield (Place(sheet.name, 1), column.header,
                       f"both {column.header} and {sheet.header((base, default_language))} hold the default language",
                       "keep one of the two columns")
            else:
                yield (Place(sheet.name, 1), column.header, "the column does not say its language",
                       f"rename it like {base}::Persian (fa), or set default_language in the settings sheet")


def question_types_are_supported(sheets: dict[str, Sheet], kind: str | None) -> Found:
    sheet = sheets.get(SURVEY)
    for row in sheet.rows if sheet else ():
        keyword, list_name, rest = parse_type(row.text("type"))
        place = row.place(row.text("name"))
        if keyword is None:
            yield place, "type", "the row has no type", "write a type such as select_one LIST, integer or text"
        elif keyword == "geopoint":
            yield place, "type", "geopoint questions are not supported", (
                "Surveyor records the location of every inspection itself; delete the row" if kind == "checklist"
                else "Surveyor does not ask respondents for their location; delete the row")
        elif keyword in UNSUPPORTED_TYPES:
            yield place, "type", f"{keyword} is not supported", UNSUPPORTED_TYPES[keyword]
        elif keyword not in QUESTION_TYPES | GROUP_TYPES:
            yield place, "type", f"unknown type {keyword!r}", \
                "use select_one LIST, integer, decimal, text, begin_group or end_group"
        elif keyword == "select_one" and not list_name:
            yield place, "type", "select_one needs the name of a choice list", "write select_one LIST_NAME"
        elif rest:
            yield place, "type", f"{rest!r} after the type is not supported", \
                "delete it; add an 'other' option to the choice list if one is needed"


def settings_have_one_row(sheets: dict[str, Sheet]) -> Found:
    sheet = sheets.get(SETTINGS)
    for row in (sheet.rows[1:] if sheet else ()):
        yield row.place(), "", "only the first row of settings is read", \
            "move these values to row 2 and delete this row"


def _row_name(row) -> str | None:
    if row.sheet == CHOICES:
        return " ".join(filter(None, (row.text("list_name"), row.text("name")))) or None
    return row.text("name") if row.sheet in (SURVEY, INSTRUMENT) else None


def unsupported_features(sheets: dict[str, Sheet], kind: str | None, default_language: str | None) -> list[Finding]:
    """Every use of an XLSForm feature Surveyor does not support."""
    return [*sheets_are_known(sheets), *columns_are_known(sheets),
            *text_columns_name_a_language(sheets, default_language),
            *question_types_are_supported(sheets, kind), *settings_have_one_row(sheets)]
