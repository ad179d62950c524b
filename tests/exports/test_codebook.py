"""The codebook: SPSS names that SPSS accepts, labels in the chosen language, versions per column."""
from __future__ import annotations

import re

import pytest

from surveyor.exports.codebook import build_codebook, format_versions, spss_names
from surveyor.responses.export import FIXED_COLUMNS, item_columns
from tests.exports.conftest import METRO, add_version, instrument

VALID_SPSS_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def test_spss_names_are_valid_unique_and_deterministic():
    long_name = "a" * 70
    columns = ["overall", "section:access", "2nd_visit", "to", "Overall", long_name, long_name + "b", "_x"]
    names = spss_names(columns)
    assert names[:5] == ["overall", "section_access", "v_2nd_visit", "v_to", "Overall_2"]
    assert len(names[5]) == 64 and names[5].startswith("a" * 55 + "_") and names[5] != names[6]
    assert names[7] == "v__x"
    assert all(VALID_SPSS_NAME.fullmatch(n) and len(n.encode()) <= 64 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert spss_names(columns) == names  # the same columns always give the same names


def test_format_versions_joins_runs():
    assert format_versions((1, 2, 3, 5, 7, 8)) == "1-3, 5, 7-8"
    assert format_versions((2,)) == "2"


def test_codebook_of_two_versions(synced):
    long_code = "comment_about_the_accessibility_of_the_station_entrances_for_wheelchairs"

    def second_version(definition):
        definition["items"] = [i for i in definition["items"] if i["code"] != "gender"]
        definition["items"].append({"code": "2nd_visit", "role": "respondent", "type": "choice", "dimension": None,
                                    "required": False, "dont_know": False,
                                    "labels": {"fa": "بار دوم است؟", "en": "Second visit?"},
                                    "options": [{"value": "yes", "labels": {"fa": "بله", "en": "Yes"}},
                                                {"value": "no", "labels": {"fa": "نه", "en": "No"}}]})
        definition["items"].append({"code": long_code, "role": "comment", "type": "text", "dimension": None,
                                    "required": False, "dont_know": False, "labels": {"en": "Wheelchair access"}})
    metro = add_version(synced, METRO, second_version)
    header = [*FIXED_COLUMNS, *item_columns(metro)]
    assert header[-3:] == ["comment", "2nd_visit", long_code]  # new items follow; none move

    book = {v.column: v for v in build_codebook(metro, header, "fa")}
    assert list(book) == header
    overall = book["overall"]
    assert (overall.label, overall.type, overall.role, overall.storage, overall.measure, overall.versions) == (
        "روی‌هم‌رفته چقدر از خدمات قطار شهری راضی هستید؟", "rating", "outcome", "numeric", "ordinal", (1, 2))
    assert overall.values[0] == (1, "خیلی ناراضی") and overall.values[-1] == (5, "خیلی راضی")
    assert book["headway"].dimension == "reliability" and "dont_know_items" in book["headway"].missing_note
    assert book["recommend"].values == ((0, "اصلاً احتمال ندارد"), (10, "کاملاً محتمل است"))  # anchors only
    assert book["gender"].versions == (1,) and book["gender"].storage == "string"
    assert book["2nd_visit"].versions == (2,) and book["2nd_visit"].spss_name == "v_2nd_visit"
    assert book["2nd_visit"].note == "نام متغیر در SPSS: v_2nd_visit"
    assert len(book[long_code].spss_name) == 64 and book[long_code].note.endswith(book[long_code].spss_name)
    assert book[long_code].label == "Wheelchair access"  # no Persian wording: English, as on the pages
    assert book["wait_minutes"].unit == "دقیقه" and book["wait_minutes"].measure == "scale"
    assert book["channel"].values[0] == ("qr", "کد QR") and book["response_id"].note == ""

    english = {v.column: v for v in build_codebook(metro, header, "en")}
    assert english["overall"].label == "Overall, how satisfied are you with the metro service?"
    assert english["recommend"].values == ((0, "Not at all likely"), (10, "Extremely likely"))
    assert english["channel"].label == "Channel"


def test_codebook_refuses_unknown_columns_and_languages(synced):
    metro = instrument(synced, METRO)
    with pytest.raises(ValueError, match="neither a known column"):
        build_codebook(metro, [*FIXED_COLUMNS, "no_such_item"], "fa")
    with pytest.raises(ValueError, match="unknown label language"):
        build_codebook(metro, list(FIXED_COLUMNS), "de")


def test_every_fixed_column_has_labels_in_every_language():
    from surveyor.exports.vocabulary import CODES, INSPECTION_COLUMNS, RESPONSE_COLUMNS, TEXTS
    from surveyor.inspect.export import FIXED as INSPECTION_FIXED
    assert list(RESPONSE_COLUMNS) == list(FIXED_COLUMNS) and list(INSPECTION_COLUMNS) == list(INSPECTION_FIXED)
    labels = [spec[2] for spec in [*RESPONSE_COLUMNS.values(), *INSPECTION_COLUMNS.values()]]
    labels += [text for codes in CODES.values() for text in codes.values()] + list(TEXTS.values())
    for text in labels:
        assert set(text) == {"fa", "en", "ar"} and all(text.values()), text
        assert "ي" not in text["fa"] and "ك" not in text["fa"], text["fa"]  # Persian, not Arabic, letters
