"""API tokens: made, checked and revoked here; only their SHA-256 is stored (see models.api_token)."""
from __future__ import annotations

import hashlib
import re
import secrets
from functools import wraps

from flask import g, jsonify, make_response, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..models import ApiToken, audit, utcnow

TOKEN_PREFIX = "svy_"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session, name: str) -> tuple[ApiToken, str]:
    """A new token named ``name``; returns the stored row and the token, which is shown once.
    Raises ValueError for a malformed name or one that already has an active token."""
    if not NAME_PATTERN.fullmatch(name or ""):
        raise ValueError(f"{name!r} is not a usable token name: use up to 64 letters, digits, '.', '_' "
                         "or '-', starting with a letter or digit (e.g. city-dashboard)")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))):
        raise ValueError(f"{name!r} already has an active token; revoke it first or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(name=name, token_hash=hash_token(token))
    session.add(row)
    audit(session, "api_token.create", name)
    return row, token


def revoke_token(session, name: str) -> int:
    """Revoke the active token named ``name``; ValueError if there is none."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))))
    if not rows:
        raise ValueError(f"no active API token named {name!r}; see `surveyor api-tokens list`")
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    audit(session, "api_token.revoke", name)
    return len(rows)


def active_token(session, presented: str) -> ApiToken | None:
    """The active token whose hash matches ``presented``, or None."""
    if not presented.startswith(TOKEN_PREFIX):
        return None
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(presented),
                                                 ApiToken.revoked_at.is_(None)))


def unauthorized(message: str):
    response = jsonify(error={"status": 401, "message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="surveyor"'
    return response


def token_required(view):
    """Answer 401 (JSON) unless the request carries ``Authorization: Bearer <active token>``."""
    @wraps(view)
    def guarded(*args, **kwargs):
        from ..extensions import db
        scheme, _space, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return unauthorized(_("Send an API token as “Authorization: Bearer <token>”."))
        token = active_token(db.session, presented.strip())
        if token is None:
            return unauthorized(_("This API token is not valid or has been revoked."))
        g.api_token_name = token.name
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response
    guarded.token_required = True  # read by the role-by-route tests
    return guarded
