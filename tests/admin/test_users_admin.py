"""Admin pages for staff accounts, teams and the audit trail: the happy paths, in English and Persian."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from surveyor.models import AuditEvent, User, audit
from tests.auth.test_login import login
from tests.conftest import csrf_token

PASSWORD = "a strong pass phrase"


@pytest.fixture
def admin(app, db, make_user):
    """An administrator's browser, in English, and their account."""
    root = make_user("root", "admin", PASSWORD)
    client = app.test_client()
    login(client, "root", PASSWORD)
    client.root = root
    return client


def token(client, url="/admin/users") -> str:
    return csrf_token(client.get(url).get_data(as_text=True))


def one_time_password(html: str) -> str:
    return re.search(r"data-one-time-password>([^<]+)<", html).group(1)


def user_named(db, name) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == name))


def test_the_admin_navigation_links_to_users_and_teams(admin):
    page = admin.get("/admin/points").get_data(as_text=True)
    assert 'href="/admin/users"' in page


def test_create_a_user_with_a_role_and_a_one_time_password_shown_once(app, admin, db):
    response = admin.post("/admin/users/new", data={"csrf_token": token(admin), "username": "nasrin",
                                                    "role": "researcher"})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    password = one_time_password(response.get_data(as_text=True))
    nasrin = user_named(db, "nasrin")
    assert nasrin.role == "researcher" and nasrin.must_change_password
    for url in ("/admin/users", f"/admin/users/{nasrin.id}", "/admin/audit"):
        assert password not in admin.get(url).get_data(as_text=True), url  # shown once, never again
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.target == f"user:{nasrin.id}"))
    assert event.user_id == admin.root.id and event.details == {"username": "nasrin", "role": "researcher"}
    first = login(app.test_client(), "nasrin", password)
    assert first.status_code == 302 and first.headers["Location"].endswith("/password")


def test_the_list_shows_role_status_last_login_and_team_in_persian(app, admin, db, make_user):
    sara = make_user("sara", "supervisor", PASSWORD)
    reza = make_user("reza", "inspector", PASSWORD)
    reza.supervisor_id = sara.id
    make_user("omid", "inspector", PASSWORD).active = False
    db.session.commit()
    login(app.test_client(), "sara", PASSWORD)
    page = admin.get("/admin/users?lang=fa").get_data(as_text=True)
    assert 'dir="rtl"' in page and "کاربران و تیم‌ها" in page
    assert "سرپرست" in page and "بازرس" in page and "مدیر سامانه" in page
    assert "غیرفعال" in page and "هرگز" in page  # omid: deactivated, never logged in
    assert re.search(r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}", page)  # sara's and root's last login
    assert "۱ نفر در تیم" in page  # sara leads one inspector
    row = page[page.index(">reza<"):]
    assert row[:row.index("</tr>")].count("sara") == 1


def test_change_role_reset_password_deactivate_and_activate(app, admin, db, make_user):
    nasrin = make_user("nasrin", "researcher", PASSWORD)
    url = f"/admin/users/{nasrin.id}"
    changed = admin.post(url + "/role", data={"csrf_token": token(admin, url), "role": "supervisor"},
                         follow_redirects=True)
    assert "The role has been changed." in changed.get_data(as_text=True)
    assert user_named(db, "nasrin").role == "supervisor"
    reset = admin.post(url + "/reset-password", data={"csrf_token": token(admin, url)})
    assert reset.status_code == 200 and "no-store" in reset.headers["Cache-Control"]
    password = one_time_password(reset.get_data(as_text=True))
    assert login(app.test_client(), "nasrin", PASSWORD).status_code == 400  # the old one no longer works
    assert login(app.test_client(), "nasrin", password).headers["Location"].endswith("/password")
    admin.post(url + "/deactivate", data={"csrf_token": token(admin, url)})
    assert not user_named(db, "nasrin").active
    admin.post(url + "/activate", data={"csrf_token": token(admin, url)})
    assert user_named(db, "nasrin").active
    actions = [(e.action, e.user_id, e.details) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.target == f"user:{nasrin.id}",
                                 AuditEvent.action.startswith("user."), AuditEvent.action != "user.login")
        .order_by(AuditEvent.id))]
    assert actions == [("user.create", None, {"username": "nasrin", "role": "researcher"}),  # make_user: no one
                       ("user.role", admin.root.id, {"old": "researcher", "new": "supervisor"}),
                       ("user.reset_password", admin.root.id, None),
                       ("user.deactivate", admin.root.id, None),
                       ("user.activate", admin.root.id, None)]


def test_a_supervisors_team_page_adds_and_removes_inspectors(admin, db, make_user):
    sara = make_user("sara", "supervisor", PASSWORD)
    reza = make_user("reza", "inspector", PASSWORD)
    url = f"/admin/users/{sara.id}"
    page = admin.get(url).get_data(as_text=True)
    assert 'id="team"' in page and f'<option dir="ltr" translate="no" value="{reza.id}">reza</option>' in page
    added = admin.post(url + "/team", data={"csrf_token": token(admin, url), "inspector": str(reza.id)},
                       follow_redirects=True)
    # The username is marked as code: kept left to right, and out of the language scan.
    assert '<code class="code" dir="ltr" translate="no">reza</code> has joined the team.' in added.get_data(as_text=True)
    assert user_named(db, "reza").supervisor_id == sara.id
    admin.post(f"{url}/team/{reza.id}/remove", data={"csrf_token": token(admin, url)})
    assert user_named(db, "reza").supervisor_id is None
    events = [(e.action, e.user_id, e.details) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("team.%")).order_by(AuditEvent.id))]
    assert events == [("team.add", admin.root.id, {"supervisor_id": sara.id}),
                      ("team.remove", admin.root.id, {"supervisor_id": sara.id})]


def test_the_audit_trail_says_who_changed_what_and_when_paged_and_filtered(admin, db, make_user):
    nasrin = make_user("nasrin", "researcher", PASSWORD)
    for _ in range(60):
        audit(db.session, "point.save", "point:7", user_id=admin.root.id)
    url = f"/admin/users/{nasrin.id}"
    admin.post(url + "/deactivate", data={"csrf_token": token(admin, url)})
    first = admin.get("/admin/audit?lang=fa").get_data(as_text=True)
    assert "صفحه ۱ از ۲" in first and "غیرفعال‌سازی کاربر" in first
    assert re.search(r"<td class=\"number\">۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}</td>", first)
    assert admin.get("/admin/audit?page=2").status_code == 200
    only = admin.get("/admin/audit?lang=en&action=user.deactivate").get_data(as_text=True)
    rows = re.findall(r'<tr>\s*<td class="number">.*?</tr>', only, re.S)
    assert len(rows) == 1 and "root" in rows[0] and "nasrin" in rows[0] and "User deactivated" in rows[0]
    about = admin.get("/admin/audit?user=nasrin").get_data(as_text=True)
    assert "point:7" not in about and "User deactivated" in about and "User created" in about
    assert "There is no user with this username." in admin.get("/admin/audit?user=nobody").get_data(as_text=True)
    assert admin.get("/admin/audit?page=999").status_code == 200  # past the end: the last page
