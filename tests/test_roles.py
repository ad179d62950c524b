"""Role by route: every route of the app is listed here with who may use it, and checked for
every role. A new route fails this test until it is added to the table."""
from __future__ import annotations

import pytest

from surveyor.models import ROLES
from tests.conftest import csrf_token

PUBLIC = "public"
TOKEN = "token"  # the JSON API: an API token, not a staff login (see test_api_routes_need_a_token)
ANY_STAFF = set(ROLES)
FIELD = {"inspector", "supervisor"}

# endpoint -> (method, url, who may use it)
ROUTES = {
    "static": ("GET", "/static/css/surveyor.css", PUBLIC),
    "favicon": ("GET", "/favicon.ico", PUBLIC),
    "web.home": ("GET", "/", PUBLIC),
    "web.logo": ("GET", "/branding/logo", PUBLIC),
    "auth.login": ("GET", "/login", PUBLIC),
    "survey.take": ("GET", "/s/unknown-token", PUBLIC),
    "survey.thanks": ("GET", "/s/unknown-token/thanks", PUBLIC),
    "survey.preview": ("GET", "/s/unknown-token/preview", {"admin"}),
    "inspect.manifest": ("GET", "/inspect/manifest.webmanifest", PUBLIC),
    "auth.logout": ("POST", "/logout", PUBLIC),
    "auth.change_password": ("GET", "/password", ANY_STAFF),
    "web.instrument": ("GET", "/instruments/TRN-Q01", ANY_STAFF),
    "home.home": ("GET", "/home", ANY_STAFF),
    "home.results": ("GET", "/home/results", {"researcher", "admin"}),
    "admin.points": ("GET", "/admin/points", {"admin"}),
    "admin.import_points_upload": ("POST", "/admin/points/import", {"admin"}),
    "admin.edit_point": ("GET", "/admin/points/new", {"admin"}),
    "admin.point": ("GET", "/admin/points/999999", {"admin"}),
    "admin.confirm_reissue": ("GET", "/admin/points/999999/links/TRN-Q01/reissue", {"admin"}),
    "admin.reissue": ("POST", "/admin/points/999999/links/TRN-Q01/reissue", {"admin"}),
    "admin.confirm_detach": ("GET", "/admin/points/999999/instruments/TRN-Q01/detach", {"admin"}),
    "admin.detach": ("POST", "/admin/points/999999/instruments/TRN-Q01/detach", {"admin"}),
    "admin.qr": ("GET", "/admin/points/999999/links/TRN-Q01/qr.svg", {"admin"}),
    "admin.posters": ("GET", "/admin/posters.pdf", {"admin"}),
    "admin.collection": ("GET", "/admin/collection/TRN-Q01", {"admin"}),
    "admin.users": ("GET", "/admin/users", {"admin"}),
    "admin.create_user_view": ("POST", "/admin/users/new", {"admin"}),
    "admin.user": ("GET", "/admin/users/999999", {"admin"}),
    "admin.change_role": ("POST", "/admin/users/999999/role", {"admin"}),
    "admin.set_access": ("POST", "/admin/users/999999/deactivate", {"admin"}),
    "admin.reset_password_view": ("POST", "/admin/users/999999/reset-password", {"admin"}),
    "admin.team_add": ("POST", "/admin/users/999999/team", {"admin"}),
    "admin.team_remove": ("POST", "/admin/users/999999/team/999998/remove", {"admin"}),
    "admin.audit_trail": ("GET", "/admin/audit?action=user.create&page=2", {"admin"}),
    "inspect.app_shell": ("GET", "/inspect/", FIELD),
    "inspect.assignments_json": ("GET", "/inspect/assignments.json", FIELD),
    "inspect.form": ("GET", "/inspect/form?assignment=999999", FIELD),
    "inspect.submit": ("POST", "/inspect/submit", FIELD),
    "inspect.service_worker": ("GET", "/inspect/sw.js", FIELD),
    "inspect.inspection": ("GET", "/inspect/inspections/999999", ANY_STAFF),
    "inspect.photo": ("GET", "/inspect/photos/999999", ANY_STAFF),
    "inspect.team": ("GET", "/inspect/team", {"supervisor", "admin"}),
    "inspect.actions": ("GET", "/inspect/actions", {"supervisor", "researcher", "admin"}),
    "inspect.actions_download": ("GET", "/inspect/actions.xlsx?district=7", {"supervisor", "researcher", "admin"}),
    "inspect.action": ("GET", "/inspect/actions/999999", {"supervisor", "admin"}),
    "inspect.action_done": ("POST", "/inspect/actions/999999/done", {"inspector", "supervisor", "admin"}),
    "inspect.action_verify": ("POST", "/inspect/actions/999999/verify", {"supervisor", "admin"}),
    "research.results": ("GET", "/results/TRN-C01", {"researcher", "admin", "supervisor"}),
    "research.export": ("GET", "/results/TRN-Q01/responses.xlsx", {"researcher", "admin"}),
    "research.report_pdf": ("GET", "/results/TRN-C01/report.pdf", {"researcher", "admin", "supervisor"}),
    "alerts.alerts": ("GET", "/alerts?district=99&kind=nonsense&status=x&page=abc", {"researcher", "supervisor", "admin"}),
    "alerts.set_status": ("POST", "/alerts/999999/status", {"researcher", "supervisor", "admin"}),
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


def test_every_admin_page_is_for_administrators_only(app):
    """A new route of the admin blueprint that forgets ``roles_required("admin")`` fails here, even
    before it is added to the table."""
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith("admin."):
            assert getattr(view, "allowed_roles", None) == ("admin",), endpoint


@pytest.mark.parametrize("role", sorted(ANY_STAFF))
def test_every_staff_post_refuses_a_missing_csrf_token(app, client, loaded, make_user, role):
    """Every POST of the table that ``role`` may send is refused without its CSRF token (400),
    before the route runs: a page on another site cannot post as a logged-in member of staff."""
    make_user(f"{role}1", role, "a strong pass phrase")
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(login_page), "username": f"{role}1",
                                "password": "a strong pass phrase"})
    for endpoint, (method, url, allowed) in ROUTES.items():
        if method == "POST" and isinstance(allowed, set) and role in allowed:
            response = client.post(url, data={})
            assert response.status_code == 400, (endpoint, role, response.status_code)


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
        assert response.status_code < 500, (endpoint, role, response.status_code)  # allowed or not: never a crash
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


# ---- Object by object: whose inspection, photo and corrective action each role reaches ----

from tests.inspect.conftest import all_pass, client_as, field, jpeg, visit_fields  # noqa: E402,F401 (field: a fixture)

SEES_ALL = {"reza", "sara", "rana", "root"}  # the inspector, their supervisor, a researcher, an admin
SEES_NONE = {"omid", "nima"}                 # another team's inspector and supervisor


@pytest.fixture
def reza_inspection(app, db, field, make_user):
    """Reza (Sara's team) failed an item with a photo and a corrective action. Omid is in Nima's
    team; Rana is a researcher and root an admin."""
    import io

    from sqlalchemy import select

    from surveyor.models import CorrectiveAction, InspectionPhoto
    nima = make_user("nima", "supervisor", "a strong pass phrase")
    field["other"].supervisor_id = nima.id
    make_user("rana", "researcher", "a strong pass phrase")
    make_user("root", "admin", "a strong pass phrase")
    db.session.commit()
    definition = field["definition"]
    item = next(i for i in definition["items"] if i.get("photo_on_fail") and i["type"] == "pass_fail")
    p = f"item-{item['code']}-"
    reza = client_as(app, "reza")
    data = {**visit_fields(reza, field), **all_pass(definition), p + "result": "fail", p + "action": "تعمیر شود",
            p + "photo": (io.BytesIO(jpeg()), "bins.jpg")}
    response = reza.post("/inspect/submit", data=data, headers={"Accept": "application/json"},
                         content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    photo = db.session.scalar(select(InspectionPhoto))
    action = db.session.scalar(select(CorrectiveAction))
    return {"inspection": response.json["id"], "photo": photo.id, "action": action.id}


def test_each_user_reaches_only_the_inspections_and_photos_they_may_see(app, reza_inspection):
    ids = reza_inspection
    for name in sorted(SEES_ALL | SEES_NONE):
        user = client_as(app, name)
        expected = 200 if name in SEES_ALL else 404  # 404, not 403: nobody learns that it exists
        for url in (f"/inspect/inspections/{ids['inspection']}", f"/inspect/photos/{ids['photo']}",
                    f"/inspect/photos/{ids['photo']}?thumb=1"):
            assert user.get(url).status_code == expected, (name, url)


def test_each_user_reaches_only_the_corrective_actions_they_may_follow(app, db, reza_inspection):
    from surveyor.models import CorrectiveAction
    from tests.conftest import csrf_token
    action_id = reza_inspection["action"]
    listing = {"reza": 403, "omid": 403, "sara": True, "nima": False, "rana": True, "root": True}
    follow = {"reza": 403, "omid": 403, "sara": 200, "nima": 404, "rana": 403, "root": 200}
    clients = {name: client_as(app, name) for name in listing}
    for name, client in clients.items():
        page = client.get("/inspect/actions")
        if listing[name] == 403:
            assert page.status_code == 403, name
        else:
            assert page.status_code == 200 and ("تعمیر شود" in page.get_data(as_text=True)) is listing[name], name
        assert client.get(f"/inspect/actions/{action_id}").status_code == follow[name], name

    def post(name, what):
        client = clients[name]
        token = csrf_token(client.get("/password").get_data(as_text=True))  # any page with the session's token
        return client.post(f"/inspect/actions/{action_id}/{what}", data={"csrf_token": token}).status_code

    def status():
        db.session.expire_all()
        return db.session.get(CorrectiveAction, action_id).status

    # Marking done: its inspector, the team's supervisor, admins; others are refused and change nothing.
    assert {name: post(name, "done") for name in ("omid", "nima", "rana")} == {"omid": 404, "nima": 404, "rana": 403}
    assert status() == "open"
    assert post("reza", "done") == 302 and status() == "done"
    # Verifying: the team's supervisor or an admin only.
    assert {name: post(name, "verify") for name in ("reza", "omid", "nima", "rana")} == {
        "reza": 403, "omid": 403, "nima": 404, "rana": 403}
    assert status() == "done"
    assert post("sara", "verify") == 302 and status() == "verified"
