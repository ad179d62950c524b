"""Error pages: a translated page for browsers, JSON for API clients, never a stack trace."""
from __future__ import annotations

import errno
import logging

from flask import abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check what you entered and try again."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist. The link may be mistyped or out of date."),
        405: _("This page cannot be used that way."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Your request was not completed; please try again later."),
        503: _("Surveyor cannot save anything just now: its database or its storage is unavailable. Nothing "
               "was saved; please try again in a few minutes. An inspection waiting on the tablet is kept "
               "there and sent again."),
    }


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(status: int, message: str | None = None, code: str | None = None):
    """The error page, or JSON for API clients; ``code`` tells a program which error it was."""
    message = message or _messages().get(status, _messages()[400])
    if _wants_json():
        return jsonify(error={"status": status, "message": message, **({"code": code} if code else {})}), status
    return render_template("error.html", status=status, message=message), status


# How long a client should wait before sending again when storage is unavailable (a full disk,
# a read-only folder, a database stopped or restarting): long enough for an operator or a
# restarting database, short enough that a tablet's outbox empties soon after.
RETRY_AFTER_SECONDS = 60

# What the operating system says when a folder cannot take a write: full (ENOSPC, EDQUOT),
# read-only (EROFS), not writable for the server's user (EACCES, EPERM) or failing (EIO).
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO})


def is_storage_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means that the database or the disk cannot serve now (the server's
    state, not the request's): a connection refused or lost, a locked, read-only or full SQLite
    file, a pool with no free connection, or a folder that cannot take a write."""
    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout
    if isinstance(error, (OperationalError, PoolTimeout)):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OSError) and error.errno in STORAGE_ERRNOS


def _service_unavailable():
    """503 with Retry-After, rendered without the database: the page is drawn as for a visitor
    who is not logged in when the user could not be loaded (the database is what failed)."""
    from flask import current_app, g
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()
    response = render_error(503)
    return response[0], response[1], {"Retry-After": str(RETRY_AFTER_SECONDS)}


# The largest id a database column holds (64-bit): a larger number in a URL names nothing, and
# SQLite (OverflowError) and PostgreSQL (out of range) would fail on it rather than find nothing.
MAX_ID = 2**63 - 1


def init_app(app) -> None:
    @app.url_value_preprocessor
    def refuse_impossible_ids(_endpoint, values):
        if values and any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in values.values()):
            abort(404)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        # "csrf": the inspector app's outbox reads it as "the login changed while sending" (a
        # shared tablet), and sends again with the session current then.
        return render_error(400, _("This form has expired or did not come from this site. "
                                   "Please go back, reload the page and send it again."), code="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        from sqlalchemy.exc import DataError

        from .extensions import db
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001  (the database that failed may fail the rollback too)
            log.warning("rollback failed after an error on %s %s", request.method, request.path, exc_info=True)
        if is_storage_unavailable(error):
            log.error("storage unavailable on %s %s: %s", request.method, request.path, error, exc_info=error)
            return _service_unavailable()
        if isinstance(error, (OverflowError, DataError)):
            # A number from the request too large for the database (SQLite: OverflowError;
            # PostgreSQL: out of range): the request was wrong, not the server.
            return render_error(400)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)
