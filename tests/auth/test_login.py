"""Staff login: CSRF, hashed passwords, one-time passwords, safe redirects. Throttling, enumeration and
sessions are in tests/security/."""
from __future__ import annotations

from sqlalchemy import select

from surveyor.models import User
from tests.conftest import csrf_token


def login(client, username, password, next_url=None):
    page = client.get("/login?lang=en")
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                  "username": username, "password": password})


def test_login_and_logout(client, make_user):
    make_user("nasrin", "researcher", "a strong pass phrase")
    response = login(client, "nasrin", "a strong pass phrase")
    assert response.status_code == 302 and response.headers["Location"] == "/home"  # the role's home
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie  # survives closing the browser, for a day
    home = client.get("/").get_data(as_text=True)
    assert "nasrin" in home and "Log out" in home
    token = csrf_token(home)
    assert client.get("/logout").status_code == 405  # logging out takes a POST with a token
    out = client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 302
    assert "nasrin" not in client.get("/").get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_politely(client, make_user):
    make_user("nasrin", "researcher", "a strong pass phrase")
    client.get("/?lang=fa")
    response = client.post("/login", data={"username": "nasrin", "password": "a strong pass phrase"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "اعتبار این فرم تمام شده" in body and "Traceback" not in body


def test_wrong_password_is_reported_in_the_users_language(client, make_user):
    make_user("nasrin", "researcher", "a strong pass phrase")
    client.get("/?lang=fa")
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                           "username": "nasrin", "password": "wrong"})
    assert response.status_code == 400
    assert "نام کاربری یا گذرواژه درست نیست." in response.get_data(as_text=True)


def test_empty_fields_are_explained_next_to_them(client):
    page = client.get("/login?lang=ar")
    response = client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "أدخل اسم المستخدم." in body and 'aria-describedby="username-error"' in body


def test_a_one_time_password_must_be_replaced_before_anything_else(client, db):
    from surveyor.auth.accounts import create_user
    _, one_time = create_user(db.session, "omid", "inspector")
    db.session.commit()
    assert login(client, "omid", one_time).headers["Location"] == "/password"
    assert client.get("/").headers["Location"] == "/password"
    page = client.get("/password")
    token = csrf_token(page.get_data(as_text=True))
    short = client.post("/password", data={"csrf_token": token, "current": one_time, "new": "short",
                                           "confirm": "short"})
    assert short.status_code == 400
    done = client.post("/password", data={"csrf_token": token, "current": one_time,
                                          "new": "my own long password", "confirm": "my own long password"})
    assert done.status_code == 302 and client.get("/").status_code == 200
    user = db.session.scalar(select(User).where(User.username == "omid"))
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password("my own long password")


def test_login_never_redirects_to_another_site(client, make_user):
    make_user("nasrin", "researcher", "a strong pass phrase")
    response = login(client, "nasrin", "a strong pass phrase", next_url="//evil.example/x")
    assert response.headers["Location"] == "/home"


def test_change_password_needs_a_login(client):
    response = client.get("/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
