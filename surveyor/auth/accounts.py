"""Account rules: creating staff, generated passwords, and login with temporary locks."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ROLES, User, audit, utcnow

GENERATED_PASSWORD_BYTES = 12  # 16 URL-safe characters


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


def generate_password() -> str:
    return secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)


def create_user(session, username: str, role: str, password: str | None = None,
                must_change_password: bool | None = None) -> tuple[User, str]:
    """Create a staff account; returns it with its password (generated when none is given).

    A generated password is one-time: the user must choose their own at first login.
    """
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError("a username is 1-64 characters without spaces")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if session.scalar(select(User).where(User.username == username)):
        raise AccountError(f"user {username!r} already exists")
    generated = password is None
    password = generate_password() if generated else password
    if len(password) < 10:
        raise AccountError("a password needs at least 10 characters")
    user = User(username=username, role=role,
                must_change_password=generated if must_change_password is None else must_change_password)
    user.set_password(password)
    session.add(user)
    session.flush()
    audit(session, "user.create", f"user:{user.id}", username=username, role=role)
    return user, password


def reset_password(session, user: User) -> str:
    """Give ``user`` a new one-time password and unlock the account."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    audit(session, "user.reset_password", f"user:{user.id}")
    return password


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: dt.datetime | None = None


def attempt_login(session, username: str, password: str, max_failures: int, lock_minutes: int) -> LoginResult:
    """Check a password; after ``max_failures`` misses in a row the account is locked for a while.

    A locked account refuses even the right password until the lock ends, so guessing gains nothing.
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    now = utcnow()
    if user is None:
        # Hash anyway so that unknown names take as long as known ones.
        check_password_hash(_dummy_hash(), password)
        return LoginResult(None)
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, user.locked_until)
    if not user.active or not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + dt.timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            audit(session, "user.locked", f"user:{user.id}")
        return LoginResult(None, user.locked_until if user.locked_until and user.locked_until > now else None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit(session, "user.login", f"user:{user.id}", user_id=user.id)
    return LoginResult(user)
