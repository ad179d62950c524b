"""Role by route: every route of the app is listed here with who may use it, and checked for
every role. A new route fails this test until it is added to the table."""
from __future__ import annotations

import pytest

from surveyor.models import ROLES

PUBLIC = "public"
TOKEN = "token"  # the JSON API: an API token, not a staff login (see test_api_routes_need_a_token)
ANY_STAFF = set(ROLES)
FIELD = {"inspector", "supervisor"}

# endpoint -> (method, url, who may use it)
ROUTES = {
    "static": ("GET", "/static/css/surveyor.css", PUBLIC),
    "web.home": ("GET", "/", PUBLIC),
    "auth.login": ("GET", "/login", PUBLIC),
    "survey.take": ("GET", "/s/unknown-token", PUBLIC),
    "survey.thanks": ("GET", "/s/unknown-token/thanks", PUBLIC),
    "inspect.manifest": ("GET", "/inspect/manifest.webmanifest", PUBLIC),
    "auth.logout": ("POST", "/logout", PUBLIC),
    "auth.change_password": ("GET", "/password", ANY_STAFF),
    "web.instrument": ("GET", "/instruments/TRN-Q01", ANY_STAFF),
    "admin.points": ("GET", "/admin/points", {"admin"}),
    "admin.import_points_upload": ("POST", "/admin/points/import", {"admin"}),
    "admin.edit_point": ("GET", "/admin/points/new", {"admin"}),
    "admin.point": ("GET", "/admin/points/999999", {"admin"}),
    "admin.reissue": ("POST", "/admin/points/999999/links/TRN-Q01/reissue", {"admin"}),
    "admin.qr": ("GET", "/admin/points/999999/links/TRN-Q01/qr.svg", {"admin"}),
    "admin.posters": ("GET", "/admin/posters.pdf", {"admin"}),
    "admin.collection": ("GET", "/admin/collection/TRN-Q01", {"admin"}),
    "inspect.app_shell": ("GET", "/inspect/", FIELD),
    "inspect.assignments_json": ("GET", "/inspect/assignments.json", FIELD),
    "inspect.form": ("GET", "/inspect/form?assignment=999999", FIELD),
    "inspect.submit": ("POST", "/inspect/submit", FIELD),
    "inspect.service_worker": ("GET", "/inspect/sw.js", FIELD),
    "inspect.inspection": ("GET", "/inspect/inspections/999999", ANY_STAFF),
    "inspect.photo": ("GET", "/inspect/photos/999999", ANY_STAFF),
    "inspect.team": ("GET", "/inspect/team", {"supervisor", "admin"}),
    "inspect.actions": ("GET", "/inspect/actions", {"supervisor", "researcher", "admin"}),
    "inspect.action": ("GET", "/inspect/actions/999999", {"supervisor", "admin"}),
    "inspect.action_done": ("POST", "/inspect/actions/999999/done", {"inspector", "supervisor", "admin"}),
    "inspect.action_verify": ("POST", "/inspect/actions/999999/verify", {"supervisor", "admin"}),
    "research.results": ("GET", "/results/TRN-C01", {"researcher", "admin", "supervisor"}),
    "research.export": ("GET", "/results/TRN-Q01/responses.xlsx", {"researcher", "admin"}),
    "research.report_pdf": ("GET", "/results/TRN-C01/report.pdf", {"researcher", "admin", "supervisor"}),
    "api.openapi": ("GET", "/api/v1/openapi.json", PUBLIC),
    "api.instruments": ("GET", "/api/v1/instruments", TOKEN),
    "api.indicators_view": ("GET", "/api/v1/indicators?instrument=TRN-Q01", TOKEN),
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(ROUTES), "add new routes to ROUTES with the roles that may use them"


def test_the_declared_roles_match_the_code(app):
    for endpoint, (_method, _url, allowed) in ROUTES.items():
        declared = getattr(app.view_functions[endpoint], "allowed_roles", None)
        if allowed is TOKEN:
            assert getattr(app.view_functions[endpoint], "token_required", False), endpoint
            continue
        if allowed is PUBLIC or endpoint == "auth.change_password":
            continue
        assert set(declared or ()) == allowed, endpoint


@pytest.mark.parametrize("role", [None, "admin"])
def test_api_routes_need_a_token(app, client, db, make_user, role):
    """A staff login opens no API route: without a token every one answers 401 in JSON."""
    if role:
        make_user(f"{role}1", role, "a strong pass phrase")
        app.config["WTF_CSRF_ENABLED"] = False
        client.post("/login", data={"username": f"{role}1", "password": "a strong pass phrase"})
    for endpoint, (method, url, allowed) in ROUTES.items():
        if allowed is TOKEN:
            response = client.open(url, method=method)
            assert response.status_code == 401, (endpoint, role, response.status_code)
            assert response.is_json and response.get_json()["error"]["status"] == 401, endpoint


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_on_each_route(app, client, loaded, make_user, role):
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about roles; CSRF has its own tests
    if role:
        make_user(f"{role}1", role, "a strong pass phrase")
        client.post("/login", data={"username": f"{role}1", "password": "a strong pass phrase"})
    for endpoint, (method, url, allowed) in ROUTES.items():
        if allowed is TOKEN:
            continue  # token routes ignore staff logins; see test_api_routes_need_a_token
        response = client.open(url, method=method)
        if allowed is PUBLIC:
            assert response.status_code not in (401, 403), (endpoint, role)
        elif role is None:
            assert response.status_code == 302 and "/login" in response.headers["Location"], (endpoint, role)
        elif role in allowed:
            assert response.status_code != 403, (endpoint, role, response.status_code)
        else:
            assert response.status_code == 403, (endpoint, role, response.status_code)
        if endpoint == "auth.logout" and role:
            client.post("/login", data={"username": f"{role}1", "password": "a strong pass phrase"})
