"""Staff sessions that can be ended: a version per account, an absolute lifetime, and a cookie
that is only ever set when the session changed, and only for a session that is still current.

Flask keeps the session in a signed cookie, so the server cannot delete one; it can only stop
honouring it. A login's session carries three keys: ``_user_id`` (Flask-Login's), ``_sv``, the
account's ``session_version`` at login, and ``_auth_at``, the moment of login. On every request
the session counts only if the account is active, its version is still ``_sv`` and the login is
younger than SURVEYOR_SESSION_HOURS. Logout, a password change or reset and a deactivation bump
the version (:func:`surveyor.auth.accounts.end_sessions`): every copy of every cookie of the
account dies at its next request.

What a response may do to the cookie (fault 1 of the penetration test: on a shared tablet, the
answer to A's upload, still in flight while A logged out and B logged in, set A's cookie again):

- it sets the cookie only when the session's content changed during the request (a login, a
  logout, a language switch, a message for the next page), never merely to refresh it: the
  expiry is fixed at login, so there is nothing to refresh. An upload or a page changes nothing
  and its answer carries no ``Set-Cookie``;
- it never writes a login that is no longer current: the version is read again from the
  database as the cookie is written, so a request that was already running when the account
  logged out cannot write its session back;
- a request that arrived with a login cookie replaces it with a logged-out one only when it is
  the logout of a current login; a request whose login had already ended touches no cookie at
  all, so it cannot delete a newer login's cookie either.

What the server cannot do is recall an answer already sent: a response that legitimately changed
A's session (a language switch) and reaches the tablet after B's login would replace B's cookie
with A's, which is dead by then; B is asked to log in again, and never works as A.
"""
from __future__ import annotations

import copy
import datetime as dt
import logging
import time

from flask import current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

log = logging.getLogger(__name__)

USER_KEY = "_user_id"   # Flask-Login's
VERSION_KEY = "_sv"
STARTED_KEY = "_auth_at"
KEPT_ACROSS_LOGIN = ("lang",)  # a preference of the browser, not of the person
CLOCK_SKEW = 300  # seconds a login may seem to start in the future, logged in on another host


class StaffSession(SecureCookieSession):
    """The session of one request, with what it held when the request arrived."""

    arrived_with: dict = {}
    ended_login = False  # this request replaced the login it brought by a logged-out session, on purpose

    def changed(self) -> bool:
        return dict.copy(self) != self.arrived_with


class StaffSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, written only when changed and still current."""

    session_class = StaffSession

    def open_session(self, app, request):
        opened = super().open_session(app, request)
        if opened is not None:
            # dict.copy reads without marking the session accessed (which would add Vary: Cookie).
            opened.arrived_with = copy.deepcopy(dict.copy(opened))
        return opened

    def should_set_cookie(self, app, session) -> bool:
        return True  # save_session has decided: only a changed, current session gets here

    def get_expiration_time(self, app, session):
        started = session.get(STARTED_KEY)
        if session.permanent and isinstance(started, int):
            return dt.datetime.fromtimestamp(started + lifetime_seconds(app), dt.timezone.utc)
        return super().get_expiration_time(app, session)

    def save_session(self, app, session, response) -> None:
        if session.changed() and _may_write(app, session):
            super().save_session(app, session, response)
        elif session.accessed:
            response.vary.add("Cookie")


def lifetime_seconds(app) -> int:
    return app.config["SESSION_HOURS"] * 3600


def _within_lifetime(app, started) -> bool:
    return isinstance(started, int) and -CLOCK_SKEW <= time.time() - started < lifetime_seconds(app)


def _may_write(app, session: StaffSession) -> bool:
    if USER_KEY in session:
        return _still_current(app, session)
    if USER_KEY in session.arrived_with:
        return session.ended_login
    return True


def _still_current(app, session) -> bool:
    """Whether the login in ``session`` is current in the database right now.

    Read on a connection of its own: the request's transaction may have started before a logout
    committed (SQLite's snapshot would not show it). Only responses that set the cookie pay for
    it, and they are few.
    """
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from ..extensions import db
    from ..models import User

    user_id = str(session.get(USER_KEY, ""))
    if not user_id.isdecimal() or not _within_lifetime(app, session.get(STARTED_KEY)):
        return False
    try:
        with db.engine.connect() as conn:
            row = conn.execute(select(User.session_version, User.active).where(User.id == int(user_id))).first()
    except SQLAlchemyError:
        log.exception("could not check a session before writing it; the cookie is left as it was")
        return False
    return row is not None and row.active and row.session_version == session.get(VERSION_KEY)


def session_user(db_session, user_id: str):
    """The user of this request's login, or None when it has ended (Flask-Login's user loader)."""
    from ..models import User

    if not user_id.isdecimal():
        return None
    user = db_session.get(User, int(user_id))
    if user is None or not user.active or session.get(VERSION_KEY) != user.session_version:
        return None
    return user if _within_lifetime(current_app, session.get(STARTED_KEY)) else None


def _keep_only_preferences() -> None:
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)


def _new_csrf_secret() -> None:
    """A CSRF secret of this login's own: a token read before it (a planted cookie) is worthless."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    g.pop(field, None)
    session.pop(field, None)
    generate_csrf()


def begin(user) -> None:
    """Log ``user`` in on a new session: of the cookie the browser brought, only its language
    survives (no planted value, no CSRF secret)."""
    _keep_only_preferences()
    login_user(user)
    session[VERSION_KEY] = user.session_version
    session[STARTED_KEY] = int(time.time())
    session.permanent = True  # until _auth_at + SURVEYOR_SESSION_HOURS, across closing the browser
    _new_csrf_secret()


def renew(user) -> None:
    """Keep this session, and only this one, after ``user``'s version was bumped (a password
    change): the new version and a new CSRF secret; the login time, and so the lifetime, stay."""
    session[VERSION_KEY] = user.session_version
    _new_csrf_secret()


def log_out() -> None:
    """Log out: end every session of the account (this browser's and every other device's) and
    forget the login in this browser. A browser whose login had already ended is only forgotten."""
    from ..extensions import db
    from ..models import audit
    from .accounts import end_sessions

    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None:
        end_sessions(db.session, user)
        audit(db.session, "user.logout", f"user:{user.id}", user_id=user.id)
        db.session.commit()
    finish(ended_login=user is not None)


def finish(ended_login: bool) -> None:
    """Forget the login in this browser (the account's version has been bumped by the caller)."""
    logout_user()
    _keep_only_preferences()
    session.ended_login = ended_login


def forget_ended_login() -> None:
    """On the login page, replace a cookie whose login has ended (logged out on another device,
    expired) with a logged-out one and a fresh CSRF secret. The person at this browser is about
    to log in; elsewhere such a cookie is left alone (see the module docstring)."""
    if USER_KEY in session and not current_user.is_authenticated:
        finish(ended_login=True)
