"""Account rules: creating staff, passwords (chosen or one-time), logging in, ending sessions."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..display_names import MarkedMessage, as_html
from ..models import ROLES, User, audit, utcnow
from .passwords import password_problem, problem_messages
from .throttle import LoginClient, LoginThrottle, keyed_hash

GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters
DEFAULT_ONE_TIME_HOURS = 72


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the messages say why.

    The messages are lazy translations: each reader (a page, the command line in English) reads
    them in its own language."""

    def __str__(self) -> str:
        return "; ".join(str(message) for message in self.args)

    def html(self) -> Markup:
        """The messages for a page: usernames and roles marked as code (see MarkedMessage)."""
        return Markup("; ").join(as_html(message) for message in self.args)


@cache
def _dummy_hash() -> str:
    # Hashed like every stored password (werkzeug's default method and cost), so that checking a
    # password against it takes as long as checking a real account's.
    return generate_password_hash(secrets.token_hex(8))


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def one_time_hours() -> int:
    if has_app_context():
        return current_app.config.get("ONE_TIME_PASSWORD_HOURS", DEFAULT_ONE_TIME_HOURS)
    return DEFAULT_ONE_TIME_HOURS


def check_new_password(password: str, username: str) -> None:
    """Raise :class:`AccountError` with the policy's reason when ``password`` is too weak."""
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem_messages()[problem])


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(MarkedMessage(_l("Unknown role %(role)s; use one of: %(roles)s."), role=role, roles=", ".join(ROLES)))


def create_user(session, username: str, role: str, password: str | None = None,
                must_change_password: bool | None = None, by_id: int | None = None) -> tuple[User, str]:
    """Create a staff account; returns it with its password (generated when none is given).

    A generated password is one-time: it expires after SURVEYOR_ONE_TIME_PASSWORD_HOURS, and the
    user must choose their own at first login.
    """
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError(_l("A username is 1-64 characters without spaces."))
    _check_role(role)
    if session.scalar(select(User).where(User.username == username)):
        raise AccountError(MarkedMessage(_l("A user named %(name)s already exists."), name=username))
    generated = password is None
    if generated:
        password = generate_password()
    else:
        check_new_password(password, username)
    user = User(username=username, role=role,
                must_change_password=generated if must_change_password is None else must_change_password)
    user.set_password(password)
    if generated:
        user.password_expires_at = utcnow() + dt.timedelta(hours=one_time_hours())
    session.add(user)
    session.flush()
    audit(session, "user.create", f"user:{user.id}", user_id=by_id, username=username, role=role)
    return user, password


def end_sessions(session, user: User) -> None:
    """End every session of ``user``: each carries the version it started with, and this one is
    gone. An SQL increment, so that two bumps at once are both counted."""
    user.session_version = User.session_version + 1
    session.flush()  # the new value is read back from the database on next access


def reset_password(session, user: User, by_id: int | None = None) -> str:
    """Give ``user`` a new one-time password and end every session of theirs."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.password_expires_at = utcnow() + dt.timedelta(hours=one_time_hours())
    end_sessions(session, user)
    audit(session, "user.reset_password", f"user:{user.id}", user_id=by_id)
    return password


def change_password(session, user: User, new_password: str) -> None:
    """The user's own choice: checked by the policy, never expiring, ending their other sessions
    (the caller renews the session the change was made in)."""
    check_new_password(new_password, user.username)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_expires_at = None
    end_sessions(session, user)
    audit(session, "user.change_password", f"user:{user.id}", user_id=user.id)


def _other_active_admins(session, user: User) -> int:
    return len(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True),
                                                     User.id != user.id)).all())


def set_active(session, user: User, active: bool, by_id: int | None = None) -> None:
    """Deactivate (ending every session at once) or reactivate an account. Nobody deactivates
    themselves, nor the last active administrator: the office would be locked out of its own setup."""
    if not active:
        if by_id is not None and by_id == user.id:
            raise AccountError(_l("You cannot deactivate your own account. Ask another administrator."))
        if user.role == "admin" and user.active and not _other_active_admins(session, user):
            raise AccountError(MarkedMessage(_l("%(name)s is the last active administrator and cannot be deactivated. "
                                  "Make another user an administrator first."), name=user.username))
    user.active = active
    if not active:
        end_sessions(session, user)
    audit(session, "user.activate" if active else "user.deactivate", f"user:{user.id}", user_id=by_id)


def set_role(session, user: User, role: str, by_id: int | None = None) -> None:
    """Give ``user`` another role. The last active administrator keeps theirs; a supervisor who
    leads inspectors keeps theirs until the team is moved; an inspector who stops being one
    leaves their team. The role is read at every request, so the change holds at once."""
    _check_role(role)
    if role == user.role:
        return
    if user.role == "admin" and user.active and not _other_active_admins(session, user):
        raise AccountError(MarkedMessage(_l("%(name)s is the last active administrator and keeps that role. "
                              "Make another user an administrator first."), name=user.username))
    if user.role == "supervisor" and session.scalar(select(User.id).where(User.supervisor_id == user.id).limit(1)):
        raise AccountError(MarkedMessage(_l("%(name)s leads a team of inspectors. Remove them from the team first."),
                              name=user.username))
    details = {"old": user.role, "new": role}
    if user.supervisor_id is not None:
        details["left_team_of"] = user.supervisor_id
        user.supervisor_id = None
    user.role = role
    audit(session, "user.role", f"user:{user.id}", user_id=by_id, **details)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    failure: str | None = None  # "throttled", "one_time_password_expired", or another reason


def attempt_login(session, username: str, password: str, client: LoginClient,
                  throttle: LoginThrottle) -> LoginResult:
    """Check a password, the same way and with the same cost whatever the outcome.

    Every attempt computes exactly one password hash (against a dummy for unknown names and for
    throttled clients too) and writes one audit event, so neither the answer nor its timing tells
    whether a name exists. Failures are audited with the reason, a keyed hash of the address and,
    for an unknown name, a keyed hash of the name (a password typed into the name field must not
    be stored).
    """
    name = username.strip()
    user = session.scalar(select(User).where(User.username == name))
    user_id = user.id if user else None
    throttled = throttle.refused(name, client, user_id)
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password)
    if throttled:
        reason = "throttled"
    elif user is None:
        reason = "unknown_name"
    elif not matches:
        reason = "wrong_password"
    elif not user.active:
        reason = "inactive"
    elif user.password_expires_at is not None and user.password_expires_at <= utcnow():
        reason = "one_time_password_expired"  # said only to whoever knows the password
    else:
        user.last_login_at = utcnow()
        throttle.succeeded(name, client, user.id)
        audit(session, "user.login", f"user:{user.id}", user_id=user.id, client=client.address[:16])
        return LoginResult(user)
    if reason in ("unknown_name", "wrong_password", "inactive"):
        throttle.failed(name, client, user_id)
    details = {"reason": reason, "client": client.address[:16]}
    if user is None:
        details["name"] = keyed_hash(throttle.secret, "audit-name", name, 16)
    audit(session, "login.failed", f"user:{user.id}" if user else None, **details)
    return LoginResult(None, reason)
