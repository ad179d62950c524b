"""Surveyor: survey and service-quality measurement for a municipality.

:func:`create_app` builds the Flask application: settings, extensions, blueprints and CLI.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from .config import PROJECT_ROOT, finish_config, read_settings

if TYPE_CHECKING:
    from flask import Flask

PHOTOS_PER_REQUEST = 16


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app. ``test_config`` overrides settings read from the environment."""
    # Flask is imported here, not at the top, so that ``import surveyor.stats`` (pure
    # statistics, used by scripts and notebooks) does not load the web framework.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .commands import LazyCommands

    settings = read_settings()
    if test_config:
        settings.update(test_config)
    instance_path = Path(settings.get("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()
    finish_config(settings, instance_path)  # refuses a bad configuration before anything is created
    instance_path.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, instance_path=str(instance_path))
    app.cli = LazyCommands(app.name)  # Surveyor's commands, each imported when it runs
    app.config.update(settings)
    app.config.update(
        TESTING=settings["SURVEYOR_ENV"] == "test",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings["SQLALCHEMY_DATABASE_URI"]),
        PERMANENT_SESSION_LIFETIME=settings["SESSION_HOURS"] * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        RATELIMIT_STORAGE_URI=settings["REDIS_URL"] or "memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        # The largest request: an inspection with PHOTOS_PER_REQUEST photos at the size limit.
        MAX_CONTENT_LENGTH=settings["PHOTO_MAX_MB"] * 1024 * 1024 * PHOTOS_PER_REQUEST,
    )
    from .request_text import Request
    app.request_class = Request  # text without NUL characters, the same on SQLite and PostgreSQL
    logging.getLogger("surveyor").setLevel(settings["LOG_LEVEL"].upper())
    if settings["PROXY_COUNT"]:
        n = settings["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    from . import branding, database, i18n
    from .auth import init_app as init_auth
    from .errors import init_app as init_errors
    from .request_size import init_app as init_request_size
    from .compression import init_app as init_compression
    from .extensions import csrf, db, limiter, migrate
    from .security_headers import init_app as init_security_headers
    from .static_files import init_app as init_static
    from .admin import bp as admin_bp
    from .alerts import bp as alerts_bp
    from .api import bp as api_bp
    from .home import bp as home_bp
    from .inspect import bp as inspect_bp
    from .research import bp as research_bp
    from .survey import bp as survey_bp
    from .web import bp as web_bp

    database.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    init_static(app)
    init_compression(app)
    init_security_headers(app)
    i18n.init_app(app)
    branding.init_app(app)
    init_auth(app)
    init_errors(app)
    init_request_size(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(inspect_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(research_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(alerts_bp)
    from .results.cache import ResponseTables
    app.extensions["response_tables"] = ResponseTables(
        instance_path / "cache", database_key=settings["SQLALCHEMY_DATABASE_URI"])
    return app


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Several gunicorn threads may write; wait for the lock rather than fail.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}
