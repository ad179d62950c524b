"""Security headers on every response: what a penetration test of the municipality checks first.

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

Headers already set by a view are left alone.
"""
from __future__ import annotations

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


def init_app(app) -> None:
    headers = dict(HEADERS)
    if app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = HSTS

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
