"""Request body limits: the anonymous pages (the survey, the login) read small bodies; only the
inspection upload, which carries photos, reads up to ``MAX_CONTENT_LENGTH``."""
from __future__ import annotations

from flask import request

ANONYMOUS_BODY_BYTES = 128 * 1024  # a survey page with every comment at its longest is about 30 KB
SMALL_BODY_ENDPOINTS = frozenset({"survey.take", "auth.login"})


def init_app(app) -> None:
    def limit_anonymous_bodies():
        if request.endpoint in SMALL_BODY_ENDPOINTS:
            request.max_content_length = ANONYMOUS_BODY_BYTES

    # First of all before-request functions: CSRF protection reads the login form in its own.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_anonymous_bodies)
