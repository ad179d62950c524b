"""Penetration test of the users and teams pages (issue 13, item 3): what an attacker or a
clumsy administrator tries, and what the server answers.

- a forged form from another site (no CSRF token) changes nobody;
- a logged-in researcher, supervisor or inspector who posts to the admin forms is refused (403)
  and changes nobody;
- a duplicate or malformed username is refused with a translated message, never a 500;
- the password policy is not bypassed by a reset: the one-time password must be replaced at
  first login by one that passes the existing rules;
- a deactivated user's session that is already open dies at its next request;
- an administrator cannot deactivate themselves, nor take away the last active administrator's
  role: the office would be locked out of its own setup;
- the one-time password is on the answer page only: not in the audit log, the logs, the session
  cookie or any later page;
- a username carrying markup is shown as text.
"""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from surveyor.models import AuditEvent, User
from tests.auth.test_login import login
from tests.conftest import csrf_token, visible_text

PASSWORD = "a strong pass phrase"


@pytest.fixture
def people(db, make_user):
    """An administrator, a researcher, a supervisor and an inspector."""
    return {role: make_user(f"{role}1", role, PASSWORD) for role in ("admin", "researcher", "supervisor", "inspector")}


def browser(app, username):
    client = app.test_client()
    login(client, username, PASSWORD)
    return client


def token(client, url="/password"):
    return csrf_token(client.get(url).get_data(as_text=True))


def fresh(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def posts(people):
    """Every POST of the new pages, aimed at the inspector (and the supervisor's team)."""
    inspector, supervisor = people["inspector"].id, people["supervisor"].id
    return [
        ("/admin/users/new", {"username": "mallory", "role": "admin"}),
        (f"/admin/users/{inspector}/role", {"role": "admin"}),
        (f"/admin/users/{inspector}/deactivate", {}),
        (f"/admin/users/{inspector}/reset-password", {}),
        (f"/admin/users/{supervisor}/team", {"inspector": str(inspector)}),
        (f"/admin/users/{supervisor}/team/{inspector}/remove", {}),
    ]


def state(db):
    db.session.expire_all()
    return sorted((u.username, u.role, u.active, u.supervisor_id, u.password_hash, u.session_version)
                  for u in db.session.scalars(select(User)))


def test_a_forged_form_without_the_csrf_token_changes_nobody(app, db, people):
    admin = browser(app, "admin1")
    before = state(db)
    for url, data in posts(people):
        response = admin.post(url, data=data)
        assert response.status_code == 400, url
        assert "did not come from this site" in response.get_data(as_text=True)
    assert state(db) == before


@pytest.mark.parametrize("role", ["researcher", "supervisor", "inspector"])
def test_staff_who_are_not_administrators_are_refused_and_change_nobody(app, db, people, role):
    client = browser(app, f"{role}1")
    before = state(db)
    for url, data in posts(people):
        assert client.post(url, data={**data, "csrf_token": token(client)}).status_code == 403, url
    assert client.get("/admin/users").status_code == 403 and client.get("/admin/audit").status_code == 403
    assert state(db) == before


def test_a_visitor_is_sent_to_the_login_page(client, people):
    for url in ("/admin/users", "/admin/audit", f"/admin/users/{people['inspector'].id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("lang, message", [
    ("fa", "کاربری با نام inspector1 از پیش وجود دارد."),
    ("ar", "يوجد مستخدم باسم inspector1 بالفعل."),
    ("en", "A user named inspector1 already exists."),
])
def test_a_duplicate_username_is_refused_in_the_pages_language(app, db, people, lang, message):
    admin = browser(app, "admin1")
    admin.get(f"/admin/users?lang={lang}")
    response = admin.post("/admin/users/new", data={"csrf_token": token(admin, "/admin/users"),
                                                    "username": " inspector1 ", "role": "admin"})
    assert response.status_code == 400 and message in visible_text(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(User)) == 4
    assert fresh(db, people["inspector"]).role == "inspector"


@pytest.mark.parametrize("username, role", [("two words", "inspector"), ("", "inspector"), ("x" * 65, "inspector"),
                                            ("newbie", "superuser")])
def test_a_malformed_username_or_an_unknown_role_is_a_400_with_a_reason(app, db, people, username, role):
    admin = browser(app, "admin1")
    admin.get("/admin/users?lang=fa")
    response = admin.post("/admin/users/new", data={"csrf_token": token(admin, "/admin/users"),
                                                    "username": username, "role": role})
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 4


def test_a_reset_does_not_bypass_the_password_policy(app, db, people):
    from surveyor.auth.passwords import password_problem
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['researcher'].id}"
    page = admin.post(url + "/reset-password", data={"csrf_token": token(admin, url)}).get_data(as_text=True)
    one_time = re.search(r"data-one-time-password>([^<]+)<", page).group(1)
    assert password_problem(one_time, "researcher1") is None
    user = app.test_client()
    assert login(user, "researcher1", one_time).headers["Location"].endswith("/password")
    assert user.get("/admin/users").status_code in (302, 403)
    form = user.get("/password?lang=en").get_data(as_text=True)
    weak = user.post("/password", data={"csrf_token": csrf_token(form), "current": one_time,
                                        "new": "password123", "confirm": "password123"})
    assert weak.status_code == 400 and "one of the most common" in weak.get_data(as_text=True)
    assert fresh(db, people["researcher"]).must_change_password


def test_a_deactivated_users_open_session_dies_at_its_next_request(app, db, people):
    inspector = browser(app, "inspector1")
    assert inspector.get("/inspect/").status_code == 200
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['inspector'].id}"
    admin.post(url + "/deactivate", data={"csrf_token": token(admin, url)})
    response = inspector.get("/inspect/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert login(app.test_client(), "inspector1", PASSWORD).status_code == 400  # and cannot log in again


@pytest.mark.parametrize("lang, message", [
    ("fa", "نمی‌توانید حساب خودتان را غیرفعال کنید."),
    ("ar", "لا يمكنك تعطيل حسابك."),
    ("en", "You cannot deactivate your own account."),
])
def test_an_administrator_cannot_deactivate_themselves(app, db, people, make_user, lang, message):
    make_user("admin2", "admin", PASSWORD)  # even with another administrator
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['admin'].id}"
    admin.get(f"{url}?lang={lang}")
    response = admin.post(url + "/deactivate", data={"csrf_token": token(admin, url)}, follow_redirects=True)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert fresh(db, people["admin"]).active
    assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.deactivate"))


def test_the_last_active_administrator_keeps_the_role(app, db, people, make_user):
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['admin'].id}"
    admin.get(f"{url}?lang=fa")
    refused = admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "researcher"},
                         follow_redirects=True)
    assert "admin1 آخرین مدیر فعال سامانه است و نقشش را نگه می‌دارد." in visible_text(refused.get_data(as_text=True))
    assert fresh(db, people["admin"]).role == "admin"
    # A deactivated administrator does not count: they cannot log in to set things right.
    other = make_user("admin2", "admin", PASSWORD)
    other.active = False
    db.session.commit()
    admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "researcher"})
    assert fresh(db, people["admin"]).role == "admin"
    # With another active administrator, stepping down is allowed, and takes effect at once.
    other.active = True
    db.session.commit()
    admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "researcher"})
    assert fresh(db, people["admin"]).role == "researcher"
    assert admin.get("/admin/users").status_code == 403


def test_the_command_line_keeps_the_last_administrator_too(runner, db, people):
    result = runner.invoke(args=["users", "deactivate", "admin1"])
    assert result.exit_code == 1 and "admin1 is the last active administrator" in result.output
    result = runner.invoke(args=["users", "role", "admin1", "inspector"])
    assert result.exit_code == 1 and "keeps that role" in result.output
    assert runner.invoke(args=["users", "role", "researcher1", "admin"]).exit_code == 0
    assert fresh(db, people["researcher"]).role == "admin"


def test_a_supervisor_who_leads_a_team_keeps_the_role_until_the_team_is_moved(app, db, people):
    people["inspector"].supervisor_id = people["supervisor"].id
    db.session.commit()
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['supervisor'].id}"
    admin.get(f"{url}?lang=en")
    refused = admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "inspector"},
                         follow_redirects=True)
    assert "supervisor1 leads a team of inspectors." in visible_text(refused.get_data(as_text=True))
    assert fresh(db, people["supervisor"]).role == "supervisor"
    # An inspector who becomes a researcher leaves the team.
    url = f"/admin/users/{people['inspector'].id}"
    admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "researcher"})
    assert fresh(db, people["inspector"]).supervisor_id is None


def test_team_changes_that_make_no_sense_are_refused_with_a_reason(app, db, people, make_user):
    other = make_user("supervisor2", "supervisor", PASSWORD)
    people["inspector"].supervisor_id = other.id
    db.session.commit()
    admin = browser(app, "admin1")
    url = f"/admin/users/{people['supervisor'].id}"
    admin.get(f"{url}?lang=fa")
    cases = [(url + "/team", {"inspector": str(people["inspector"].id)}, "در تیم supervisor2 است"),
             (url + "/team", {"inspector": str(people["researcher"].id)}, "بازرس نیست"),
             (url + "/team", {"inspector": "999999"}, "یک بازرس را از فهرست برگزینید."),
             (f"{url}/team/{people['inspector'].id}/remove", {}, "در تیم supervisor1 نیست"),
             (f"/admin/users/{people['researcher'].id}/team", {"inspector": str(people["inspector"].id)},
              "سرپرست نیست")]
    for target, data, message in cases:
        response = admin.post(target, data={**data, "csrf_token": token(admin, url)}, follow_redirects=True)
        assert response.status_code == 200 and message in visible_text(response.get_data(as_text=True)), target
    assert fresh(db, people["inspector"]).supervisor_id == other.id
    assert admin.post("/admin/users/999999/team/1/remove",
                      data={"csrf_token": token(admin, url)}).status_code == 404


def test_the_one_time_password_is_on_its_answer_page_only(app, db, people, caplog):
    caplog.set_level(logging.DEBUG)
    admin = browser(app, "admin1")
    created = admin.post("/admin/users/new", data={"csrf_token": token(admin, "/admin/users"),
                                                   "username": "nasrin", "role": "inspector"})
    url = f"/admin/users/{people['researcher'].id}"
    reset = admin.post(url + "/reset-password", data={"csrf_token": token(admin, url)})
    passwords = [re.search(r"data-one-time-password>([^<]+)<", r.get_data(as_text=True)).group(1)
                 for r in (created, reset)]
    for response in (created, reset):
        assert "no-store" in response.headers["Cache-Control"]
        assert "Set-Cookie" not in response.headers  # nothing of it in the session (no flash message)
    audit_text = repr([(e.action, e.target, e.details) for e in db.session.scalars(select(AuditEvent))])
    later = "".join(admin.get(u).get_data(as_text=True) for u in
                    ("/admin/users", url, "/admin/audit", "/admin/audit?action=user.create"))
    for password in passwords:
        assert password not in audit_text and password not in caplog.text and password not in later
        assert password not in admin.get_cookie("session").value


def test_a_username_with_markup_is_shown_as_text(app, db, people):
    admin = browser(app, "admin1")
    name = "<img/src=x/onerror=alert(1)>"
    created = admin.post("/admin/users/new", data={"csrf_token": token(admin, "/admin/users"),
                                                   "username": name, "role": "inspector"})
    assert created.status_code == 200
    for page in (created, admin.get("/admin/users"), admin.get("/admin/audit")):
        body = page.get_data(as_text=True)
        assert name not in body and "&lt;img/src=x/onerror=alert(1)&gt;" in body
