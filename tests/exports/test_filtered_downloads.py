"""Issue 11, defect 5: a results page's downloads follow its filters, and each file names them.

The page's CSV, Excel and SPSS buttons carry the page's filters; the file holds exactly the
responses (or inspections) the page's figures count, and says which filters made it: the CSV
on its first line, the workbook on a ``filters`` sheet, the SPSS file in its notes.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import openpyxl
import pyreadstat
import pytest

from surveyor.formatting import jalali_date
from tests.exports.conftest import METRO, STATIONS

SINCE = dt.date.today() - dt.timedelta(days=180)
FROM = jalali_date(SINCE, "en")


def _csv(data: bytes) -> tuple[str, list[dict]]:
    first_line, *lines = data.decode("utf-8-sig").splitlines()
    return next(csv.reader([first_line])), list(csv.DictReader(lines))


def _page_count(client, url: str, label: str) -> int:
    """The count on the page's first card ("Responses" or "Inspections")."""
    body = client.get(url).get_data(as_text=True)
    value = re.search(rf'{label}</span><span class="stat-value">([^<]+)<', body).group(1)
    return int(value.replace(",", ""))


def _sav(data: bytes, tmp_path):
    path = tmp_path / "download.sav"
    path.write_bytes(data)
    return pyreadstat.read_sav(str(path))


def _download_links(client, url: str) -> list[str]:
    body = client.get(url).get_data(as_text=True)
    return [html.unescape(href) for href in re.findall(r'href="([^"]+\.(?:csv|xlsx|sav)[^"]*)"', body)]


def test_questionnaire_downloads_hold_what_the_page_counts(metro_responses, researcher, tmp_path):
    query = f"lang=en&district=3&from={FROM}"
    shown = _page_count(researcher, f"/results/{METRO}?{query}", "Responses")
    assert 0 < shown < 300
    described = f"filters: from={FROM}; district=3; flagged=excluded"

    first_line, rows = _csv(researcher.get(f"/results/{METRO}/responses.csv?{query}").data)
    assert first_line == [f"# Surveyor export of {METRO} (responses); {described}"]
    assert len(rows) == shown
    assert {row["district"] for row in rows} == {"3"} and {row["flags"] for row in rows} == {""}
    assert min(row["submitted_utc"][:10] for row in rows) >= (SINCE - dt.timedelta(days=1)).isoformat()

    workbook = openpyxl.load_workbook(io.BytesIO(researcher.get(f"/results/{METRO}/responses.xlsx?{query}").data))
    assert workbook["data"].max_row - 1 == shown
    assert [[c.value for c in row] for row in workbook["filters"].iter_rows()] == [
        ["filter", "value"], ["from", FROM], ["district", "3"], ["flagged", "excluded"]]

    frame, meta = _sav(researcher.get(f"/results/{METRO}/responses.sav?{query}").data, tmp_path)
    assert len(frame) == shown and set(frame["district"]) == {3}
    assert described in " ".join(meta.notes)


def test_by_default_flagged_responses_stay_out_of_the_download_as_out_of_the_figures(metro_responses, researcher):
    shown = _page_count(researcher, f"/results/{METRO}?lang=en", "Responses")
    _line, rows = _csv(researcher.get(f"/results/{METRO}/responses.csv").data)
    _line, everything = _csv(researcher.get(f"/results/{METRO}/responses.csv?flagged=1").data)
    assert len(rows) == shown < len(everything) == 300
    assert not [row for row in rows if row["flags"]] and [row for row in everything if row["flags"]]


@pytest.mark.parametrize("query", ["language=ar", "channel=demo&district=8", "respondent=rider_type:resident",
                                   "district=5&language=fa&flagged=1"])
def test_every_questionnaire_filter_reaches_the_file(metro_responses, researcher, query):
    shown = _page_count(researcher, f"/results/{METRO}?lang=en&{query}", "Responses")
    first_line, rows = _csv(researcher.get(f"/results/{METRO}/responses.csv?{query}").data)
    assert len(rows) == shown > 0
    for pair in query.split("&"):
        name, value = pair.split("=")
        if name == "respondent":
            code, answer = value.split(":")
            assert f"respondent={code}={answer}" in first_line[0] and {row[code] for row in rows} == {answer}
        elif name == "flagged":
            assert "flagged=included" in first_line[0]
        else:
            assert f"{name}={value}" in first_line[0] and {row[name] for row in rows} == {value}


def test_checklist_downloads_follow_the_district_and_point(station_inspections, researcher, tmp_path):
    from sqlalchemy import select

    from surveyor.extensions import db
    from surveyor.models import ServicePoint
    point = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-08"))
    for query, described, site in ((f"district=3&from={FROM}", f"from={FROM}; district=3", "MET-03"),
                                   (f"point={point.id}", "service_point=MET-08", "MET-08")):
        shown = _page_count(researcher, f"/results/{STATIONS}?lang=en&{query}", "Inspections")
        assert shown == 6
        first_line, rows = _csv(researcher.get(f"/results/{STATIONS}/inspections.csv?{query}").data)
        assert first_line == [f"# Surveyor export of {STATIONS} (inspections); filters: {described}"]
        assert len(rows) == shown and {row["service_point"] for row in rows} == {site}
        workbook = openpyxl.load_workbook(io.BytesIO(
            researcher.get(f"/results/{STATIONS}/inspections.xlsx?{query}").data))
        assert workbook["data"].max_row - 1 == shown
        assert ["district", "3"] in [[c.value for c in row] for row in workbook["filters"].iter_rows()] or \
            ["service_point", "MET-08"] in [[c.value for c in row] for row in workbook["filters"].iter_rows()]
        frame, meta = _sav(researcher.get(f"/results/{STATIONS}/inspections.sav?{query}").data, tmp_path)
        assert len(frame) == shown and described in " ".join(meta.notes)


def test_the_page_buttons_carry_its_filters_and_the_page_says_what_they_hold(metro_responses, researcher):
    links = _download_links(researcher, f"/results/{METRO}?lang=en&district=3&from={FROM}")
    assert len(links) == 3 and all("district=3" in link and f"from={FROM}" in link for link in links)
    body = researcher.get(f"/results/{METRO}?lang=en&district=3").get_data(as_text=True)
    shown = _page_count(researcher, f"/results/{METRO}?lang=en&district=3", "Responses")
    assert f"The downloads hold the {shown} responses that the filters above select" in body
    fa = researcher.get(f"/results/{METRO}?lang=fa&district=3").get_data(as_text=True)
    assert "فایل‌های دانلودی همان" in fa and "بازرسی" not in fa


def test_an_invalid_filter_is_refused_not_answered_with_every_row(metro_responses, researcher):
    response = researcher.get(f"/results/{METRO}/responses.csv?from=1403/13/40")
    assert response.status_code == 400 and b"response_id" not in response.data
