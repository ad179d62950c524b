"""`--format sav`: an SPSS file that pyreadstat opens with the expected names, variable labels,
value labels, user-missing codes, measurement levels and column order."""
from __future__ import annotations

import math

import pyreadstat
import pytest

from surveyor.exports.codebook import NOT_APPLICABLE_CODE
from surveyor.exports.sav import fit_bytes
from surveyor.responses.export import FIXED_COLUMNS
from tests.exports.conftest import METRO, STATIONS, add_version
from tests.exports.test_xlsx import export

SATISFACTION = {"fa": {1.0: "خیلی ناراضی", 2.0: "ناراضی", 3.0: "نه راضی نه ناراضی", 4.0: "راضی", 5.0: "خیلی راضی"},
                "en": {1.0: "Very dissatisfied", 2.0: "Dissatisfied", 3.0: "Neither satisfied nor dissatisfied",
                       4.0: "Satisfied", 5.0: "Very satisfied"}}
LABELS = {"fa": {"overall": "روی‌هم‌رفته چقدر از خدمات قطار شهری راضی هستید؟",
                 "wait_minutes": "امروز چند دقیقه روی سکو منتظر قطار ماندید؟ (دقیقه)",
                 "instrument_version": "نسخه پرسشنامه"},
          "en": {"overall": "Overall, how satisfied are you with the metro service?",
                 "wait_minutes": "How many minutes did you wait on the platform for a train today? (minutes)",
                 "instrument_version": "Questionnaire version"}}
RECOMMEND = {"fa": {0.0: "اصلاً احتمال ندارد", 10.0: "کاملاً محتمل است"},
             "en": {0.0: "Not at all likely", 10.0: "Extremely likely"}}
RIDER = {"fa": "ساکن این شهر", "en": "Resident of this city"}


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_responses_sav_has_variable_and_value_labels(synced, metro_responses, make_response, runner, tmp_path,
                                                     lang):
    def second_version(definition):
        definition["items"] = [i for i in definition["items"] if i["code"] != "gender"]
        definition["items"].append({"code": "2nd_visit", "role": "respondent", "type": "choice", "dimension": None,
                                    "required": False, "dont_know": False,
                                    "labels": {"fa": "بار دوم است؟", "en": "Second visit?"},
                                    "options": [{"value": "yes", "labels": {"fa": "بله", "en": "Yes"}},
                                                {"value": "no", "labels": {"fa": "نه", "en": "No"}}]})
    metro = add_version(synced, METRO, second_version)
    make_response(metro.latest, {"overall": 2, "recommend": 10, "2nd_visit": "yes", "comment": "ایستگاه «شلوغ» بود"})

    path = export(runner, "responses", METRO, "sav", tmp_path / f"metro-{lang}.sav", lang=lang)
    frame, meta = pyreadstat.read_sav(str(path))
    items = ["overall", "headway", "punctuality", "crowding", "ventilation", "station_cleanliness",
             "train_cleanliness", "staff_courtesy", "signage", "announcements", "personal_security",
             "platform_safety", "wait_minutes", "recommend", "rider_type", "age_band", "gender", "frequency",
             "comment", "v_2nd_visit"]
    assert meta.column_names == [*FIXED_COLUMNS, *items]  # version 1's columns stay, version 2's follow
    assert len(frame) == 301 and set(frame["instrument_version"]) == {1.0, 2.0}
    for name, label in LABELS[lang].items():
        assert meta.column_names_to_labels[name] == label
    assert meta.variable_value_labels["overall"] == SATISFACTION[lang]
    assert meta.variable_value_labels["recommend"] == RECOMMEND[lang]
    assert meta.variable_value_labels["rider_type"]["resident"] == RIDER[lang]
    assert meta.variable_value_labels["v_2nd_visit"] == ({"yes": "بله", "no": "نه"} if lang == "fa"
                                                         else {"yes": "Yes", "no": "No"})
    assert meta.readstat_variable_types["comment"] == "string"
    assert meta.readstat_variable_types["overall"] == "double"
    assert meta.original_variable_types["submitted_utc"].startswith("DATETIME")
    assert meta.variable_measure["overall"] == "ordinal" and meta.variable_measure["wait_minutes"] == "scale"
    assert meta.file_label.startswith("TRN-Q01")
    last = frame.iloc[-1]
    assert (last["instrument_version"], last["overall"], last["v_2nd_visit"], last["gender"]) == (2.0, 2.0, "yes", "")
    assert last["comment"] == "ایستگاه «شلوغ» بود" and math.isnan(last["headway"])


def test_inspections_sav_declares_not_applicable_as_missing(station_inspections, runner, tmp_path):
    path = export(runner, "inspections", STATIONS, "sav", tmp_path / "stations.sav", lang="fa")
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert len(frame) == 12 and "section_access" in meta.column_names and "section:access" not in meta.column_names
    assert meta.column_names_to_labels["section_access"] == "ورودی‌ها، جابه‌جایی و گیت‌ها: درصد انطباق"
    assert meta.variable_value_labels["entrances_open"] == {"pass": "قبول", "fail": "مردود"}
    assert meta.variable_value_labels["escalators_working"] == {"pass": "قبول", "fail": "مردود", "na": "مورد ندارد"}
    assert meta.missing_ranges["escalators_working"] == [{"lo": "na", "hi": "na"}]
    assert meta.missing_ranges["lux_platform"] == [{"lo": NOT_APPLICABLE_CODE, "hi": NOT_APPLICABLE_CODE}]
    assert meta.variable_value_labels["critical_failed"] == {0.0: "خیر", 1.0: "بله"}
    assert meta.variable_value_labels["grade"]["A"] == "عالی"
    na_rows = frame["lux_platform"] == NOT_APPLICABLE_CODE
    plain, _ = pyreadstat.read_sav(str(path))  # without user_missing, SPSS's missing codes read as NaN
    assert plain["lux_platform"][na_rows].isna().all() and plain["lux_platform"][~na_rows].notna().all()
    assert set(plain["escalators_working"].dropna()) <= {"pass", "fail"}


def test_fit_bytes_cuts_on_a_character_boundary():
    text = "نمی‌دانم " * 40  # Persian letters take 2 bytes, the zero-width non-joiner 3
    cut = fit_bytes(text, 120)
    assert len(cut.encode("utf-8")) <= 120 and cut.endswith("…") and text.startswith(cut[:-1])
    assert fit_bytes("short", 120) == "short"


@pytest.mark.parametrize("note", ["filters: " + "; ".join(f"district={d}" for d in range(40)),
                                  "filters: service_point=" + "ایستگاه" * 30, "x" * 300])
def test_a_long_note_is_kept_in_lines_spss_accepts(note, tmp_path):
    """SPSS keeps notes in lines of 80 bytes, and readstat refuses a longer line: a file whose
    filters make a long note is written, and the note reads back whole."""
    import pandas as pd

    from surveyor.exports.sav import NOTE_LINE_BYTES, note_lines
    lines = note_lines(note)
    assert all(len(line.encode("utf-8")) <= NOTE_LINE_BYTES for line in lines)
    assert "".join(lines).replace(" ", "") == note.replace(" ", "")
    path = tmp_path / "long-note.sav"
    pyreadstat.write_sav(pd.DataFrame({"a": [1.0]}), str(path), note=lines)
    assert " ".join(pyreadstat.read_sav(str(path))[1].notes).replace(" ", "") == note.replace(" ", "")
