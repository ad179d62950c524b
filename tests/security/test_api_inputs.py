"""Penetration test finding Low 8 (issue 12): the dashboard API's answers to bad input.

The attack: ask ``/api/v1/indicators`` for a month the calendar code cannot handle
(``from=0000-01``, ``to=9999-12``): the API answered 500. Its 400 answers quoted the input back
the way Python prints it (``got '1403/07'``) and were English whatever the client's language.

What Surveyor promises (README, "Pages, headers and imports"): the API takes months written
``YYYY-MM`` from 1300-01 to 1499-12 (Persian or Arabic digits too); anything else is a 400 whose
message says which parameter is wrong and what it should look like, in the client's language
(``?lang=fa|ar|en``, Persian by default), and never repeats the input or Python's words. An
unknown instrument is a 404 that does not repeat the code either.
"""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from surveyor.models import Instrument
from tests.exports.conftest import METRO, STATIONS, synced  # noqa: F401  (synced: a fixture)
from tests.exports.test_api import get, make_token

HOSTILE_MONTHS = ("0000-01", "9999-12", "0001-01", "1299-12", "1500-01", "99999-01", "1403-00", "1403-13",
                  "1403-7-1", "1403/07", "-1403-07", "+1403-07", "1403-+7", "²³⁴⁵-07", "1403-²", "١٤٠٣-٠٧٧",
                  "1e3-07", " ", "-", "x" * 5000, "1403-0007", "1403- 7", "۱۴۰۳-۱۳")
PYTHON_WORDS = re.compile(r"Traceback|Error\b|ValueError|OverflowError|int\(\)|'.*'|got |None|\\x|"
                          r"year \d+ is out of range|invalid literal", re.IGNORECASE)


@pytest.fixture
def token(synced, runner):
    return make_token(runner)


def _error(response) -> str:
    assert response.is_json, response.status_code
    error = response.get_json()["error"]
    assert error["status"] == response.status_code
    return error["message"]


@pytest.mark.parametrize("parameter", ["from", "to"])
def test_months_outside_the_calendar_are_a_400_naming_the_parameter(client, token, parameter):
    for month in HOSTILE_MONTHS:
        response = get(client, f"/api/v1/indicators?instrument={METRO}&{parameter}={quote(month)}&lang=en", token)
        assert response.status_code == 400, (month, response.status_code)
        message = _error(response)
        assert parameter in message and "YYYY-MM" in message and "1300-01" in message, message
        assert not PYTHON_WORDS.search(message.replace(f"“{parameter}”", "")), message
        assert len(month.strip()) < 2 or month.strip() not in message, message  # the input is not echoed


def test_the_report_attacks(client, token):
    for query in ("from=0000-01", "to=9999-12", "from=0000-01&to=9999-12"):
        response = get(client, f"/api/v1/indicators?instrument={METRO}&{query}", token)
        assert response.status_code == 400, query


def test_the_first_and_last_months_of_the_range_are_answered(client, token):
    for instrument in (METRO, STATIONS):
        response = get(client, f"/api/v1/indicators?instrument={instrument}&from=1300-01&to=1499-12", token)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["from"] == "1300-01" and response.get_json()["to"] == "1499-12"


def test_the_messages_are_in_the_clients_language(client, token):
    url = f"/api/v1/indicators?instrument={METRO}&from=1403/07"
    persian = _error(get(client, url, token))  # Persian by default
    english = _error(get(client, url + "&lang=en", token))
    arabic = _error(get(client, url + "&lang=ar", token))
    assert english.startswith("“from”") and "Jalali month" in english
    assert "ی" in persian and "ي" not in persian and "۱۳۰۰-۰۱" in persian and "1300" not in persian
    assert "١٣٠٠-٠١" in arabic and arabic != persian
    for query in ("&from=1403-09&to=1403-07", ""):
        for lang in ("fa", "ar", "en"):
            message = _error(get(client, f"/api/v1/indicators?instrument={METRO if query else ''}{query}&lang={lang}",
                                 token))
            assert not PYTHON_WORDS.search(message), message


def test_an_unknown_instrument_is_a_404_that_does_not_repeat_the_code(client, token, db):
    for code in ("XYZ-Q99", "<script>alert(1)</script>", "'; DROP TABLE x; --", "x" * 5000):
        response = get(client, f"/api/v1/indicators?instrument={code}&lang=en", token)
        assert response.status_code == 404, code
        message = _error(response)
        assert code.upper() not in message and "/api/v1/instruments" in message
    assert db.session.query(Instrument).count() == 2
