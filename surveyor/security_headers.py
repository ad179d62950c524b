"""Security and caching headers on every response: what a penetration test of the municipality
checks first.

- ``Content-Security-Policy``: scripts, styles, images, fonts, workers and connections only from
  the app itself (no CDN is ever used), no plugins, no framing, forms post only to the app.
  Styles allow ``'unsafe-inline'`` because the server-drawn SVG charts are inlined with their
  ``style`` attributes; scripts never run inline (the one JSON block the inspector app reads
  is data, which CSP does not execute). ``blob:`` images are the photo previews the inspector
  app draws from the camera before upload.
- ``X-Frame-Options`` for browsers older than ``frame-ancestors``; ``X-Content-Type-Options``
  so an uploaded or exported file is never sniffed into HTML.
- ``Referrer-Policy: same-origin``: a survey link's signed token never leaves in a Referer.
- ``Permissions-Policy``: the camera and position only for the app's own pages (the inspector
  app), nothing else.
- ``Strict-Transport-Security`` where cookies are marked secure (production behind HTTPS).
- ``Cache-Control``: every answer to a logged-in member of staff (pages, exports, reports,
  photos) and every answer that sets a cookie is ``private, no-store``, whatever the view said:
  no shared cache, and no shared computer's browser, keeps it. Other answers default to
  ``no-store`` (a survey page carries a signed token of its own, a login page its form token);
  versioned static files keep their year-long caching (:mod:`surveyor.static_files`).

The fixed headers are added by :class:`SecurityHeaders`, a WSGI layer around the whole
application rather than a Flask hook: a hook is skipped when something fails while the answer is
being made, and a failure of the error page itself escapes Flask altogether. The layer sees
every answer, and when nothing inside could answer it sends a plain 500 of its own. Headers
already set by a view are left alone.
"""
from __future__ import annotations

import logging

from flask import request, session

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()",
}

HSTS = "max-age=31536000"
NOT_STORED = "no-store"
STAFF_ONLY = "private, no-store"

# The answer when the application failed to make one: no template, no translation, nothing that
# could fail again. Persian first, as the app's pages are.
PLAIN_ERROR = ("<!doctype html><meta charset=utf-8><title>500</title>"
               "<p lang=fa dir=rtl>خطایی در سامانه رخ داد. لطفاً کمی بعد دوباره تلاش کنید.</p>"
               "<p lang=en>Something went wrong on our side. Please try again later.</p>").encode()


class SecurityHeaders:
    """WSGI middleware: the fixed security headers, and ``Cache-Control: no-store`` where the
    application set none (static files excepted), on every answer that passes through."""

    def __init__(self, app, wsgi_app, headers: dict[str, str]):
        self.app = app
        self.wsgi_app = wsgi_app
        self.headers = list(headers.items())
        self.static_prefix = (app.static_url_path or "/static").rstrip("/") + "/"

    def _with_headers(self, environ, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        present = {name.lower() for name, _ in headers}
        added = [(name, value) for name, value in self.headers if name.lower() not in present]
        if "cache-control" not in present and not environ.get("PATH_INFO", "").startswith(self.static_prefix):
            added.append(("Cache-Control", NOT_STORED))
        return headers + added if added else headers

    def _propagates(self) -> bool:
        """Whether failures go on to the debugger or the tests, as Flask itself decides."""
        propagate = self.app.config.get("PROPAGATE_EXCEPTIONS")
        return (self.app.testing or self.app.debug) if propagate is None else propagate

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            return start_response(status, self._with_headers(environ, headers), exc_info)
        try:
            return self.wsgi_app(environ, start_with_headers)
        except Exception:
            if self._propagates():
                raise
            log.exception("no answer could be made to %s %s", environ.get("REQUEST_METHOD"),
                          environ.get("PATH_INFO"))
            start_with_headers("500 INTERNAL SERVER ERROR", [
                ("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PLAIN_ERROR)))])
            return [PLAIN_ERROR]


def _staff_answer() -> bool:
    """An answer to a request that came logged in (a logout included) or leaves logged in (a login)."""
    from flask_login import current_user

    from .auth.sessions import USER_KEY
    return USER_KEY in getattr(session, "arrived_with", {}) or current_user.is_authenticated


def init_app(app) -> None:
    headers = dict(HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS
    app.wsgi_app = SecurityHeaders(app, app.wsgi_app, headers)

    @app.after_request
    def keep_staff_answers_private(response):
        if request.endpoint != "static" and _staff_answer():
            response.headers["Cache-Control"] = STAFF_ONLY
            response.headers.pop("Expires", None)
        return response
