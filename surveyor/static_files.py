"""Static files with content-versioned URLs, so browsers may keep them for a year."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import request

YEAR = 365 * 24 * 3600


@cache
def _version(folder: str, filename: str) -> str:
    path = Path(folder) / filename
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.is_file() else "0"


def init_app(app) -> None:
    @app.url_defaults
    def version_static_urls(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = _version(app.static_folder, values["filename"])

    @app.after_request
    def cache_versioned_static(response):
        if request.endpoint == "static" and "v" in request.args and response.status_code == 200:
            response.cache_control.no_cache = None  # Flask's default for files; it would undo the rest
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
