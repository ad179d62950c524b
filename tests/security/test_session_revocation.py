"""Penetration test, issue 12, finding M3 and fault 1: staff sessions can be revoked.

Each test replays what the testers did:

- a session cookie copied before logout kept working afterwards;
- a second session (another browser) survived a password change, a password reset by an
  administrator and a deactivation;
- every response re-issued the cookie, so a stolen cookie used once a day never expired;
- a cookie planted before login (session fixation) kept its CSRF secret through the login;
- on a shared tablet, the answer to inspector A's upload, still in flight while A logged out and
  B logged in, set A's cookie again: the tablet was A's, and B worked as A.

What the server guarantees (README, "Accounts and sessions"): a login lives at most
SURVEYOR_SESSION_HOURS from the moment of logging in; logout, a password change or reset and a
deactivation end every other session of the account at its next request; and a response sets
the session cookie only when the session changed in that request, never for a session that is no
longer current, so an answer that arrives late cannot bring a logged-out session back or replace
a newer login's cookie.
"""
from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import time
import urllib.parse
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import pytest
from flask import request
from sqlalchemy import func, select

from surveyor.models import Assignment, Inspection
from tests.auth.test_login import login
from tests.conftest import csrf_token
from tests.inspect.conftest import all_pass, field, field_assignment_id  # noqa: F401 (field: a fixture)

PASSWORD = "a strong pass phrase"


def who(client) -> str | None:
    """The name in the page header, or None when the client is not logged in."""
    match = re.search(r'<span class="who"[^>]*>([^<]+)</span>', client.get("/").get_data(as_text=True))
    return match.group(1) if match else None


def copy_of(client):
    """Another browser holding a copy of ``client``'s session cookie (a thief, or a second device)."""
    other = client.application.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def log_out(client):
    token = csrf_token(client.get("/").get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})


def test_a_cookie_copied_before_logout_is_dead_after_it(client, make_user):
    make_user("nasrin", "researcher", PASSWORD)
    assert login(client, "nasrin", PASSWORD).status_code == 302
    thief = copy_of(client)
    assert who(thief) == "nasrin"
    assert log_out(client).status_code == 302
    assert who(client) is None
    assert who(thief) is None
    assert thief.get("/password").status_code == 302  # to the login page


def test_a_second_session_dies_when_the_password_changes_and_the_changing_one_lives(client, make_user):
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    office = client.application.test_client()
    login(office, "nasrin", PASSWORD)
    token = csrf_token(client.get("/password").get_data(as_text=True))
    changed = client.post("/password", data={"csrf_token": token, "current": PASSWORD,
                                             "new": "another quiet morning", "confirm": "another quiet morning"})
    assert changed.status_code == 302
    assert who(client) == "nasrin"
    assert who(office) is None


@pytest.mark.parametrize("command", [["users", "reset-password", "nasrin"], ["users", "deactivate", "nasrin"]])
def test_every_session_dies_when_an_administrator_resets_the_password_or_deactivates(
        client, runner, make_user, command):
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    tablet = client.application.test_client()
    login(tablet, "nasrin", PASSWORD)
    result = runner.invoke(args=command)
    assert result.exit_code == 0, result.output
    for browser in (client, tablet):  # /password answers any login, even one that must change it
        assert browser.get("/password").status_code == 302


def test_logging_out_ends_the_accounts_other_sessions_too(client, make_user):
    """A logout bumps the account's session version: every device is logged out, not only this one."""
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    desk = client.application.test_client()
    login(desk, "nasrin", PASSWORD)
    log_out(client)
    assert who(desk) is None
    page = desk.get("/login")  # the login page replaces the dead cookie with a logged-out one
    serializer = desk.application.session_interface.get_signing_serializer(desk.application)
    assert "_user_id" not in serializer.loads(desk.get_cookie("session").value)
    assert page.status_code == 200
    assert login(desk, "nasrin", PASSWORD).status_code == 302 and who(desk) == "nasrin"


def test_a_cookie_used_once_a_day_still_expires_at_the_absolute_lifetime(app, client, make_user, clock):
    make_user("nasrin", "researcher", PASSWORD)
    logged_in = time.time()
    response = login(client, "nasrin", PASSWORD)
    lifetime = app.config["SESSION_HOURS"] * 3600
    assert abs(_expires(response) - (logged_in + lifetime)) < 5  # the browser drops it then, too
    thief = copy_of(client)
    clock(hours=lifetime / 3600 - 4)                 # the thief uses it 20 hours later ...
    assert who(thief) == "nasrin"
    switched = thief.get("/?lang=ar")                # ... even in a way that re-issues the cookie
    assert abs(_expires(switched) - (logged_in + lifetime)) < 5  # not a second longer
    clock(hours=5)                                   # the next day: past the lifetime
    assert who(thief) is None and who(client) is None
    assert thief.get("/password").status_code == 302


def _expires(response) -> float:
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    return parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1)).timestamp()


def test_pages_and_uploads_do_not_reissue_the_cookie(client, make_user):
    """Only a change to the session (login, logout, language, a message for the next page) sets
    the cookie; a page or an upload leaves it alone, so a late answer has nothing to set."""
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    client.get("/")  # shows the login's welcome, if any
    for _ in range(3):
        response = client.get("/password")
        assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_a_cookie_planted_before_login_does_not_survive_it(client, make_user):
    make_user("nasrin", "researcher", PASSWORD)
    attacker = client.application.test_client()
    page = attacker.get("/login?lang=en")
    planted, attackers_token = attacker.get_cookie("session").value, csrf_token(page.get_data(as_text=True))
    client.set_cookie("session", planted)            # e.g. through a shared computer or a subdomain
    assert login(client, "nasrin", PASSWORD).status_code == 302
    assert client.get_cookie("session").value != planted
    assert who(attacker) is None
    # The CSRF secret was renewed at login: the token the attacker read before is worth nothing now.
    forged = client.post("/logout", data={"csrf_token": attackers_token})
    assert forged.status_code == 400
    assert who(client) == "nasrin"


# ---- Fault 1: a shared tablet, an upload in flight, one inspector logs out and another logs in ----

class Tablet:
    """One browser on a shared tablet: a single cookie jar that each answer updates when it
    arrives, the way a browser applies ``Set-Cookie`` (the last answer to arrive wins)."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def cookie_header(self) -> str:
        with self.lock:
            return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def take(self, response: http.client.HTTPResponse) -> list[str]:
        """Apply the answer's cookies; returns the names it set or deleted."""
        touched = []
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                touched.append(name)
                with self.lock:
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return touched

    def request(self, method: str, path: str, form: dict | None = None, cookie: str | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Cookie": self.cookie_header() if cookie is None else cookie, "Accept": "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        touched = self.take(response)
        conn.close()
        return response.status, text, touched

    def log_in(self, username: str) -> None:
        _, page, _ = self.request("GET", "/login")
        status, _, _ = self.request("POST", "/login", {"csrf_token": csrf_token(page), "username": username,
                                                       "password": PASSWORD})
        assert status == 302

    def log_out(self) -> None:
        _, page, _ = self.request("GET", "/")
        status, _, _ = self.request("POST", "/logout", {"csrf_token": csrf_token(page)})
        assert status == 302

    def who(self) -> str | None:
        _, page, _ = self.request("GET", "/")
        match = re.search(r'<span class="who"[^>]*>([^<]+)</span>', page)
        return match.group(1) if match else None


def _upload_form(tablet: Tablet, field) -> dict:
    """The checklist form as Reza's tablet fills it: every item passed, ready for the outbox."""
    assignment_id = field_assignment_id(field)
    _, page, _ = tablet.request("GET", f"/inspect/form?assignment={assignment_id}")
    return {"csrf_token": csrf_token(page), "client_id": "8a0e3b52-1d4c-4f6e-9a57-3c2b1d0e9f11",
            "version_id": str(field["version_id"]), "point_id": str(field["points"][0].id),
            "assignment_id": str(assignment_id), "started_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            **all_pass(field["definition"])}


def _stored(db) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Inspection.inspector_id)))


def test_an_upload_in_flight_cannot_log_the_tablet_back_in_as_the_inspector_who_left(app, db, field, live_server):
    started, finish = threading.Event(), threading.Event()

    @app.before_request
    def slow_upload():
        """The upload's work, stretched (photos re-encoded on a busy server): it runs after the
        app's own hooks, so Reza's session has been checked and his user loaded."""
        if request.path == "/inspect/submit":
            started.set()
            finish.wait(20)

    tablet = Tablet(live_server)
    tablet.log_in("reza")
    body = urllib.parse.urlencode(_upload_form(tablet, field)).encode()
    upload = http.client.HTTPConnection(tablet.host, tablet.port, timeout=30)
    upload.request("POST", "/inspect/submit", body=body, headers={
        "Cookie": tablet.cookie_header(), "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert started.wait(20), "the server never started on the upload"
    tablet.log_out()         # while the upload is being processed as Reza ...
    tablet.log_in("omid")    # ... and Omid takes the tablet
    assert tablet.who() == "omid"
    finish.set()
    answer = upload.getresponse()
    answer.read()
    touched = tablet.take(answer)
    upload.close()
    assert answer.status == 201
    assert "session" not in touched, "the late answer set a session cookie"
    assert tablet.who() == "omid"
    # Sent by Reza while logged in, so stored once and credited to Reza; nothing as Omid.
    assert _stored(db) == [field["inspector"].id]


def test_an_upload_that_reaches_the_server_after_the_logout_is_refused_and_sets_no_cookie(db, field, live_server):
    tablet = Tablet(live_server)
    tablet.log_in("reza")
    form = _upload_form(tablet, field)
    reza_cookie = tablet.cookie_header()  # the request left the tablet with this cookie ...
    tablet.log_out()
    tablet.log_in("omid")                 # ... and reaches the server only now
    status, _, touched = tablet.request("POST", "/inspect/submit", form, cookie=reza_cookie)
    assert status in (302, 401, 403) and "session" not in touched
    assert tablet.who() == "omid"
    assert _stored(db) == []              # not stored as Reza, whose session is over, nor as Omid
    assert db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.completed_at.is_not(None))) == 0
