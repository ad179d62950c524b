"""Where a form may send the browser back to: a page of this app named by its path, never a
page elsewhere (an open redirect helps phishing) and never the Referer, which the sender chooses."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def same_app_path(target: str | None) -> str | None:
    """``target`` if it is the path (and query) of a page of this app, as ``request.full_path``
    writes it, else None: a relative path starting with one ``/``, no scheme or host, no
    backslash or control character (browsers read ``/\\evil.example`` as another host), and a
    route of the app that answers GET."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect:
        pass  # a path the app redirects itself (a missing trailing slash): still this app
    except HTTPException:
        return None
    return target.rstrip("?")


def back_to(field: str, default: str) -> str:
    """The URL to return to: the form's ``field`` if it names a page of this app, else ``default``."""
    path = same_app_path(request.form.get(field))
    return request.script_root + path if path else default
