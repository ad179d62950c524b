"""Who owns the work kept on a shared tablet: an opaque key per account, and a cookie that tells
the inspector app's service worker, even offline, whose login this browser holds.

The key is a keyed hash of the account id: the same for every login of one inspector, so drafts
and an outbox left on the tablet find their owner again at the next login, and meaningless to
anyone without the secret key. The app names its cached pages and its local records after it,
and every inspection it uploads carries it (field ``owner``): the server refuses one whose owner
is not the account logged in (issue 12, fault 1).

The cookie holds only the key, never a credential: the session stays in its own HttpOnly cookie.
It is readable by scripts on purpose: the service worker reads it (Cookie Store API) before it
serves a cached page, so after a logout, or another inspector's login, nobody gets the previous
inspector's pages from the cache (issue 12, M2). Login sets it and logout deletes it; no other
answer touches it, so a late answer to a request still in flight cannot bring it back.
"""
from __future__ import annotations

from flask import current_app

from .throttle import keyed_hash

OWNER_COOKIE = "surveyor_inspector"
OWNER_FIELD = "owner"


def owner_key(user_id: int) -> str:
    """The opaque key of an account's work on a tablet."""
    return keyed_hash(current_app.config["SECRET_KEY"], "tablet-owner", str(user_id), length=24)


def remember_owner(response, user_id: int) -> None:
    """At login: this browser now holds this account's login, for as long as the login lives."""
    from .sessions import lifetime_seconds
    config = current_app.config
    response.set_cookie(OWNER_COOKIE, owner_key(user_id), max_age=lifetime_seconds(current_app), path="/",
                        secure=config["SESSION_COOKIE_SECURE"], httponly=False, samesite="Lax")


def forget_owner(response) -> None:
    """At logout: nobody's pages may be served from the cache any more."""
    response.delete_cookie(OWNER_COOKIE, path="/", secure=current_app.config["SESSION_COOKIE_SECURE"],
                           httponly=False, samesite="Lax")
