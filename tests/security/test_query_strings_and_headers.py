"""Penetration test findings Low 1 and Low 5 (issue 12): query strings, security headers, caching.

Low 1, the attack: add a query parameter to any page, such as ``?_method=PUT``, ``?endpoint=x``,
``/results/TRN-Q01?code=X`` or ``/admin/points/1?point_id=x``. The language switch in every
page's header rebuilt the page's address by passing the whole query string to ``url_for``, so a
parameter named like one of ``url_for``'s options or like a part of the path made every HTML
page a 500. The 500 then came without the security headers, because they were added by a hook
that a failure while answering skips.

Low 5, the gap: photos were sent ``Cache-Control: public, max-age=86400`` and results pages,
exports, reports and inspection pages with no ``Cache-Control`` at all, so a shared cache (a
proxy, the municipality's gateway) or the browser of a shared computer could keep and serve them.

What Surveyor promises (README, "Pages, headers and imports"):

- no query parameter makes a page fail: every GET route of the app's URL map, for every role,
  with hostile parameters, answers below 500; the language switch keeps the page and its query
  and changes only ``lang``;
- every response carries the security headers, error pages and failures included: they are
  added by a WSGI layer around the whole app, which also answers a plain 500 when everything
  inside has failed;
- every response to a logged-in member of staff is ``Cache-Control: private, no-store`` (photos
  included); static files keep their year-long caching; other pages default to ``no-store``.
"""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from surveyor.models import ROLES, ServicePoint, SurveyLink
from surveyor.security_headers import HEADERS
from tests.inspect.conftest import client_as, field  # noqa: F401  (field: a fixture)
from tests.test_roles import reza_inspection  # noqa: F401  (a fixture: an inspection with a photo and an action)

PASSWORD = "a strong pass phrase"

# The parameters of the penetration test, url_for's own options, and junk for every route's
# path arguments and common query parameters.
HOSTILE = {
    "_method": "PUT", "endpoint": "x", "_external": "1", "_anchor": "x", "_scheme": "javascript",
    "values": "x", "filename": "../../etc/passwd", "v": "x",
    "code": "X", "point_id": "x", "token": "x", "kind": "x", "fmt": "x", "inspection_id": "x",
    "photo_id": "x", "action_id": "x",
    "district": "²", "point": "x", "size": "Z", "assignment": "x", "checklist": "x", "thumb": "1",
    "from": "0000-01", "to": "9999-12", "instrument": "x", "month": "x", "page": "-1",
    "user_id": "x", "action": "x", "user": "x",
}


@pytest.fixture
def site(app, db, station, reza_inspection, make_user):  # noqa: F811
    """Real values for every path argument: a point with a live link, an inspection with a photo
    and a corrective action (Reza's, see tests/test_roles.py), and one user per role."""
    link = db.session.scalar(select(SurveyLink).join(ServicePoint).where(ServicePoint.code == "MET-01")
                             .where(SurveyLink.retired_at.is_(None)).order_by(SurveyLink.id))
    users = {role: make_user(f"{role}1", role, PASSWORD) for role in ROLES}
    return {"user_id": users["supervisor"].id, "filename": "css/surveyor.css", "code": "TRN-Q01", "token": link.token,
            "point_id": link.service_point_id, "fmt": "svg", "kind": "responses",
            "inspection_id": reza_inspection["inspection"], "photo_id": reza_inspection["photo"],
            "action_id": reza_inspection["action"]}


def get_routes(app, values: dict) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET route of the URL map, its arguments filled from ``values``."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = rule.arguments - set(values)
        assert not missing, f"give the sweep a value for {missing} ({rule.rule})"
        arguments = {name: values[name] for name in rule.arguments}
        if rule.endpoint == "research.export":
            arguments["fmt"] = "csv"
        routes.append((rule.endpoint, rule.build(arguments, append_unknown=False)[1]))
    return sorted(set(routes))


def assert_security_headers(response, where):
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (where, name, response.status_code)


def browsers(app):
    """A browser per identity: nobody logged in, then one per role."""
    yield None, app.test_client()
    for role in ROLES:
        yield role, client_as(app, f"{role}1")


def test_the_attacks_of_the_report_no_longer_fail(app, site):
    admin = client_as(app, "admin1")
    for url in ("/login?_method=PUT", "/login?endpoint=x", "/?_external=1&_anchor=x", "/results/TRN-Q01?code=X",
                f"/admin/points/{site['point_id']}?point_id=x", "/no-such-page?_method=PUT&endpoint=x"):
        response = admin.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert_security_headers(response, url)
    assert admin.get("/results/TRN-Q01?code=X").status_code == 200
    assert admin.get(f"/admin/points/{site['point_id']}?point_id=x").status_code == 200


def test_every_get_route_for_every_role_with_hostile_parameters(app, site):
    routes = get_routes(app, site)
    assert len(routes) >= 25
    query = "&".join(f"{name}={value}" for name, value in HOSTILE.items())
    for role, browser in browsers(app):
        for endpoint, path in routes:
            response = browser.get(f"{path}?{query}")
            assert response.status_code < 500, (role, endpoint, response.status_code)
            assert_security_headers(response, (role, endpoint))
            assert b"Traceback" not in response.get_data()


def test_the_language_switch_keeps_the_page_and_its_query_and_changes_only_the_language(app, site):
    admin = client_as(app, "admin1")
    html = admin.get("/results/TRN-Q01?code=X&district=3&_method=PUT&lang=fa").get_data(as_text=True)
    switch = unescape(re.search(r'<a href="([^"]+)" lang="en"', html).group(1))
    parts = urlsplit(switch)
    assert parts.path == "/results/TRN-Q01" and not parts.netloc and not parts.scheme
    assert parse_qsl(parts.query) == [("code", "X"), ("district", "3"), ("_method", "PUT"), ("lang", "en")]


def test_a_page_reached_by_a_path_of_two_slashes_does_not_link_to_another_site(client):
    """``GET //attacker.example/x`` is a 404 whose language links stay on this site."""
    html = client.get("//attacker.example/x?a=1").get_data(as_text=True)
    for link in re.findall(r'<a href="([^"]+)" lang="', html):
        assert unescape(link).startswith("/") and not unescape(link).startswith("//"), link


@pytest.fixture
def database_stops(app):
    """A hook that fails after the page was made, as when the database stops while the session
    is saved: Flask then answers its error page without running the remaining hooks."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production

    @app.after_request
    def database_stopped(_response):
        raise ConnectionError("the database is not answering")
    return app


def test_a_failure_while_answering_still_carries_the_headers(database_stops, client):
    response = client.get("/login")
    assert response.status_code == 500
    assert_security_headers(response, "a failing hook")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_failure_of_the_error_page_itself_still_answers_a_plain_500_with_the_headers(database_stops, client):
    @database_stops.errorhandler(500)
    def error_page_fails(_error):
        raise LookupError("the error page could not be made")
    response = client.get("/login")
    assert response.status_code == 500
    assert_security_headers(response, "a failing error page")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "LookupError" not in body and "ConnectionError" not in body


# ---- Low 5: caching ----

def test_every_response_to_staff_is_private_and_not_stored(app, site):
    routes = get_routes(app, site)
    for role, browser in browsers(app):
        if role is None:
            continue
        for endpoint, path in routes:
            response = browser.get(path)
            if endpoint == "static":  # the static files' own policy (versioned: a year; see below)
                assert response.headers["Cache-Control"] != "private, no-store", role
                continue
            assert response.headers.get("Cache-Control") == "private, no-store", (role, endpoint, response.status_code)
            assert "Expires" not in response.headers, (role, endpoint)


def test_photos_are_no_longer_public_for_a_day(app, site, reza_inspection):  # noqa: F811
    root = client_as(app, "admin1")
    for url in (f"/inspect/photos/{reza_inspection['photo']}", f"/inspect/photos/{reza_inspection['photo']}?thumb=1"):
        response = root.get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "public" not in response.headers["Cache-Control"] and "Expires" not in response.headers


def test_anonymous_pages_are_not_stored_either_and_static_files_keep_their_caching(app, site):
    browser = app.test_client()
    for url in ("/", "/login", f"/s/{site['token']}", "/no-such-page", "/api/v1/openapi.json"):
        response = browser.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
    import re
    css = re.search(r"/static/css/surveyor.css\?v=[0-9a-f]{10}", browser.get("/login").get_data(as_text=True)).group(0)
    static = browser.get(css)
    assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_login_and_a_logout_are_not_stored(app, site):
    browser = app.test_client()
    from tests.conftest import csrf_token
    token = csrf_token(browser.get("/login").get_data(as_text=True))
    response = browser.post("/login", data={"csrf_token": token, "username": "admin1", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Cache-Control"] == "private, no-store"
    token = csrf_token(browser.get("/").get_data(as_text=True))
    response = browser.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Cache-Control"] == "private, no-store"
