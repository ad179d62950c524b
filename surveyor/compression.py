"""Gzip for text responses, so a survey page reaches a phone on a slow network in a few KB.

Pages are compressed as they are made. Static text files (the stylesheet, scripts, SVG) are
compressed once per file version at the highest level and kept in memory; their ETag becomes
weak (the same content, another encoding), so a revalidation still gets a 304. The font is
WOFF2, which is already Brotli-compressed inside: gzip would only add bytes, so it is sent as it
is. Ranges (206) are never compressed.

A reverse proxy may compress instead; responses it already compressed are left alone.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask import current_app, request

from .static_files import version

COMPRESSIBLE = ("text/html", "text/css", "text/csv", "application/javascript", "text/javascript",
                "application/json", "image/svg+xml")
MIN_BYTES = 500


@lru_cache(maxsize=64)
def _compressed_file(path: str, fingerprint: str) -> bytes:
    """A static file gzipped at the highest level, once per version of the file."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)


def _static_body(response) -> bytes | None:
    """The compressed body of a static file response, or None to send it as it is."""
    if response.status_code != 200 or "Content-Range" in response.headers:
        return None
    filename = (request.view_args or {}).get("filename", "")
    fingerprint = version(current_app.static_folder, filename)
    if fingerprint is None:
        return None
    path = str(Path(current_app.static_folder) / filename)
    if Path(path).stat().st_size < MIN_BYTES:
        return None
    if hasattr(response.response, "close"):
        response.response.close()  # the file Flask opened to send as it is
    response.direct_passthrough = False
    return _compressed_file(path, fingerprint)


def init_app(app) -> None:
    @app.after_request
    def compress(response):
        if (response.status_code < 200 or response.status_code >= 300
                or "gzip" not in request.headers.get("Accept-Encoding", "")
                or "Content-Encoding" in response.headers
                or response.mimetype not in COMPRESSIBLE):
            return response
        if response.direct_passthrough:
            if request.endpoint != "static":
                return response
            body = _static_body(response)
            if body is None:
                return response
            etag, weak = response.get_etag()
            if etag:
                response.set_etag(etag, weak=True)
        else:
            data = response.get_data()
            if len(data) < MIN_BYTES:
                return response
            body = gzip.compress(data, compresslevel=6)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        response.vary.add("Accept-Encoding")
        return response
