"""Gzip for text responses, so a survey page reaches a phone on a slow network in a few KB.

A reverse proxy may compress instead; responses it already compressed are left alone.
"""
from __future__ import annotations

import gzip

from flask import request

COMPRESSIBLE = ("text/html", "text/css", "text/csv", "application/javascript", "text/javascript",
                "application/json", "image/svg+xml")
MIN_BYTES = 500


def init_app(app) -> None:
    @app.after_request
    def compress(response):
        if (response.direct_passthrough or response.status_code < 200 or response.status_code >= 300
                or "gzip" not in request.headers.get("Accept-Encoding", "")
                or "Content-Encoding" in response.headers
                or response.mimetype not in COMPRESSIBLE):
            return response
        data = response.get_data()
        if len(data) < MIN_BYTES:
            return response
        response.set_data(gzip.compress(data, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(response.get_data()))
        response.vary.add("Accept-Encoding")
        return response
