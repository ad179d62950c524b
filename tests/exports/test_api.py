"""The dashboard API: bearer tokens (made, used, revoked), indicators checked against a direct
pandas computation on the CSV export of the same data, and the OpenAPI document."""
from __future__ import annotations

import jsonschema
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from surveyor.inspect.export import rows as inspection_rows
from surveyor.responses.export import rows as response_rows
from tests.exports.conftest import METRO, STATIONS


def make_token(runner, name="city-dashboard") -> str:
    result = runner.invoke(args=["api-tokens", "create", name])
    assert result.exit_code == 0, result.output
    return result.output.split(f"API token {name}: ")[1].split()[0]


def get(client, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers)


def csv_frame(rows) -> pd.DataFrame:
    """An export's rows (header first) as a DataFrame, numbers as numbers."""
    rows = iter(rows)
    header = next(rows)
    return pd.DataFrame(list(rows), columns=header).replace("", None).infer_objects()


def schema_validator(document: dict, name: str) -> jsonschema.Draft202012Validator:
    """A validator for one of the document's schemas, its $refs resolved within the document."""
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                            "components": document["components"]})


def test_tokens_are_required_and_revocable(synced, client, runner):
    token = make_token(runner)
    assert "svy_" in token and len(token) > 40
    assert runner.invoke(args=["api-tokens", "create", "city-dashboard"]).exit_code != 0  # one active per name
    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer svy_not-a-token"},
                    {"Authorization": f"Bearer {token[:-1]}"}):
        response = client.get("/api/v1/instruments", headers=headers)
        assert response.status_code == 401 and response.is_json, headers
        assert response.get_json()["error"]["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = get(client, "/api/v1/instruments", token)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    listed = {i["code"]: i for i in response.get_json()["instruments"]}
    assert set(listed) == {METRO, STATIONS}
    assert listed[METRO]["kind"] == "questionnaire" and listed[STATIONS]["kind"] == "checklist"
    assert listed[METRO]["title"]["en"] == "Metro passenger satisfaction" and listed[METRO]["latest_version"] == 1

    result = runner.invoke(args=["api-tokens", "revoke", "city-dashboard"])
    assert result.exit_code == 0, result.output
    assert get(client, "/api/v1/instruments", token).status_code == 401
    assert runner.invoke(args=["api-tokens", "revoke", "city-dashboard"]).exit_code != 0
    renewed = make_token(runner)  # the name is free again once its token is revoked
    assert get(client, "/api/v1/instruments", renewed).status_code == 200
    listing = runner.invoke(args=["api-tokens", "list"]).output.splitlines()
    assert len(listing) == 2 and listing[0].startswith("city-dashboard") and "active" in listing[1]


def test_questionnaire_indicators_match_pandas(metro_responses, make_response, db, client, runner, app):
    make_response(metro_responses.latest, {"overall": 3})  # taken without a service point: district null
    token = make_token(runner)
    response = get(client, f"/api/v1/indicators?instrument={METRO.lower()}", token)
    assert response.status_code == 200, response.get_json()
    document = response.get_json()
    assert (document["instrument"], document["kind"], document["from"], document["to"]) == (
        METRO, "questionnaire", None, None)
    assert document["satisfaction_scale"] == {"item": "overall", "min": 1, "max": 5}
    cells = {(cell["district"], cell["period"]): cell for cell in document["indicators"]}

    # Independently: the CSV export's rows, unflagged, grouped by district and the Jalali month
    # of the local submission date it prints; intervals with scipy's t distribution.
    frame = csv_frame(response_rows(db.session, metro_responses, app.config["DISPLAY_TIMEZONE"]))
    frame = frame[frame["flags"].isna()]
    frame["period"] = frame["submitted_jalali"].str[:7].str.replace("/", "-")
    frame["district"] = frame["district"].astype("Int64")
    expected = frame.groupby(["district", "period"], dropna=False)["overall"].agg(["size", "mean", "std", "count"])
    expected.index = [(None if pd.isna(d) else d, p) for d, p in expected.index]
    assert set(cells) == set(expected.index) and sum(c["n"] for c in cells.values()) == len(frame) < 301
    assert any(district is None for district, _ in cells)
    for (district, period), row in expected.iterrows():
        cell = cells[(district, period)]
        assert cell["n"] == row["size"] and cell["satisfaction"]["n"] == row["count"]
        assert cell["satisfaction"]["mean"] == pytest.approx(row["mean"], abs=1e-4)
        if row["count"] > 1:
            half = scipy_stats.t.ppf(0.975, row["count"] - 1) * row["std"] / row["count"] ** 0.5
            assert cell["satisfaction"]["ci_low"] == pytest.approx(row["mean"] - half, abs=1e-4)
            assert cell["satisfaction"]["ci_high"] == pytest.approx(row["mean"] + half, abs=1e-4)
        else:
            assert cell["satisfaction"]["ci_low"] is None
    assert schema_validator(client.get("/api/v1/openapi.json").get_json(),
                            "QuestionnaireIndicators").is_valid(document)

    periods = sorted(frame["period"].unique())
    first, last = periods[2], periods[4]
    window = get(client, f"/api/v1/indicators?instrument={METRO}&from={first}&to={last}", token).get_json()
    assert (window["from"], window["to"]) == (first, last)
    assert {c["period"] for c in window["indicators"]} == set(periods[2:5])
    assert all(c == cells[(c["district"], c["period"])] for c in window["indicators"])


def test_checklist_indicators_match_pandas(station_inspections, db, client, runner, app):
    token = make_token(runner)
    document = get(client, f"/api/v1/indicators?instrument={STATIONS}", token).get_json()
    assert document["kind"] == "checklist"
    frame = csv_frame(inspection_rows(db.session, station_inspections, app.config["DISPLAY_TIMEZONE"]))
    frame["period"] = frame["submitted_jalali"].str[:7].str.replace("/", "-")
    expected = frame.groupby(["district", "period"]).agg(n=("score_percent", "size"),
                                                         compliance=("score_percent", "mean"),
                                                         failures=("critical_failed", "sum"))
    cells = {(c["district"], c["period"]): c for c in document["indicators"]}
    assert set(cells) == set(expected.index) and {d for d, _ in cells} == {3, 8}
    for key, row in expected.iterrows():
        cell = cells[key]
        assert cell["n"] == row["n"] == cell["compliance"]["n"]
        assert cell["compliance"]["mean"] == pytest.approx(row["compliance"], abs=0.01)  # the CSV rounds to 0.01
        assert cell["critical_failures"] == row["failures"]
        assert cell["critical_failure_rate"] == pytest.approx(row["failures"] / row["n"], abs=1e-4)
    assert schema_validator(client.get("/api/v1/openapi.json").get_json(), "ChecklistIndicators").is_valid(document)


def test_indicator_requests_that_cannot_be_answered(synced, client, runner):
    token = make_token(runner)
    for query, status in (("", 400), ("?instrument=XYZ-Q99", 404), (f"?instrument={METRO}&from=1403-13", 400),
                          (f"?instrument={METRO}&from=1403/07", 400),
                          (f"?instrument={METRO}&from=1403-09&to=1403-07", 400)):
        response = get(client, f"/api/v1/indicators{query}", token)
        assert response.status_code == status and response.get_json()["error"]["message"], query
    empty = get(client, f"/api/v1/indicators?instrument={METRO}&from=۱۴۰۳-۰۷", token)  # Persian digits too
    assert empty.status_code == 200 and empty.get_json()["indicators"] == [] and empty.get_json()["from"] == "1403-07"


def test_the_openapi_document_is_valid_and_public(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "description": document["components"]["securitySchemes"][
            "bearerToken"]["description"]}
    served = {rule.rule.removeprefix("/api/v1") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.")}
    assert served == set(document["paths"])  # every route documented, nothing documented that is not served
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert operation["responses"] and operation["operationId"], path
    for schema in document["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    try:
        from openapi_spec_validator import validate
    except ImportError:  # the structural checks above still hold
        return
    validate(document)
