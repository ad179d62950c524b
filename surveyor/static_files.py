"""Static files for slow networks: content-fingerprinted URLs kept for a year, compressed text,
and a favicon, so that a repeat visit to a survey page makes no request for them at all.

- ``url_for("static", filename=...)`` adds ``?v=<first 10 hex digits of the file's SHA-256>``.
  A request carrying the file's current fingerprint is answered ``public, max-age=31536000,
  immutable``: the browser never asks again. The fingerprint follows the file's content (it is
  recomputed when the file's size or modification time changes), so an edited stylesheet gets a
  new URL and every page made after the edit links to it.
- A request carrying another fingerprint (a page cached before a release, a page made by another
  server during a rolling release) is redirected (302, ``no-cache``) to the current URL: it still
  gets a working file, and an old file is never kept for a year under a new name or a new one
  under an old name.
- A request without a fingerprint keeps Flask's revalidating policy (``no-cache`` with an ETag:
  a 304 when unchanged).
- ``/favicon.ico`` answers the icon (cached for a day, then revalidated); pages link the
  fingerprinted copy from their head (templates/_head.html), so browsers never ask for a 404.

Compression of static text (CSS, JavaScript, SVG) is in :mod:`surveyor.compression`.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app, redirect, request, send_from_directory, url_for

YEAR = 365 * 24 * 3600
DAY = 24 * 3600
FAVICON = "icons/favicon.ico"


@lru_cache(maxsize=256)
def _hash(path: str, size: int, mtime_ns: int) -> str:
    """The fingerprint of one state of a file (its size and modification time are in the key,
    so that an edited file is hashed afresh)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def version(folder: str, filename: str) -> str | None:
    """The file's current fingerprint, or None when there is no such file."""
    path = Path(folder) / filename
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    return _hash(str(path), stat.st_size, stat.st_mtime_ns)


def init_app(app) -> None:
    @app.url_defaults
    def version_static_urls(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = version(app.static_folder, values["filename"]) or "0"

    @app.before_request
    def redirect_stale_fingerprints():
        if request.endpoint != "static" or "v" not in request.args:
            return None
        filename = (request.view_args or {}).get("filename", "")
        current = version(app.static_folder, filename)
        if current is None or request.args["v"] == current:
            return None  # a missing file stays a 404; the current fingerprint is served below
        response = redirect(url_for("static", filename=filename), 302)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.after_request
    def cache_versioned_static(response):
        if request.endpoint == "static" and "v" in request.args and response.status_code in (200, 304):
            response.cache_control.no_cache = None  # Flask's default for files; it would undo the rest
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response

    app.add_url_rule("/favicon.ico", "favicon", favicon)


def favicon():
    response = send_from_directory(current_app.static_folder, FAVICON, mimetype="image/x-icon")
    response.cache_control.no_cache = None
    response.cache_control.public = True
    response.cache_control.max_age = DAY
    return response
