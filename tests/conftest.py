"""Fixtures: a migrated database (SQLite, or PostgreSQL when SURVEYOR_TEST_DATABASE_URL is set),
the ``app``, ``client``, ``runner`` and ``db`` fixtures, and small factories.

The schema is built once per run (once per pytest-xdist worker, each PostgreSQL worker in a
database of its own) by the real Alembic migrations; each test starts from empty tables. Tests that use the database are marked ``db`` automatically, so
``pytest -m db`` runs exactly them against PostgreSQL.
"""
from __future__ import annotations

import copy
import os
import re
import shutil
import threading

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, select, text

from surveyor import create_app
from surveyor.config import PROJECT_ROOT

DB_FIXTURES = {"app", "client", "runner", "db", "loaded", "live_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        if DB_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.db)


def _worker_database(url: str, worker: str) -> str:
    """The PostgreSQL database of one pytest-xdist worker (``test_gw0``, ...), created beside
    the configured one, so parallel workers never empty each other's tables."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    url = os.environ.get("SURVEYOR_TEST_DATABASE_URL")
    if url:
        if worker_id != "master":
            url = _worker_database(url, worker_id)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'surveyor-test.sqlite3'}"
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
        from surveyor.extensions import db
        db.engine.dispose()
    return url


def _empty_tables(db):
    from surveyor.models import Base
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


class FreshLoginClient(FlaskClient):
    """A test client that never sees another client's user. The ``db`` fixture keeps one app
    context open for the whole test, so every request shares its ``g``, where Flask-Login keeps
    the user it loaded and Flask-WTF the session's CSRF token: without forgetting them, a request
    would run as whoever asked last, with their token. A real server gives each request its own."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            g.pop(self.application.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": database_url,
                      "INSTANCE_PATH": str(tmp_path / "instance"), "INSTRUMENTS_DIR": str(PROJECT_ROOT)})
    app.test_client_class = FreshLoginClient
    yield app
    from surveyor.extensions import db
    from surveyor.forms.survey import survey_form_class
    from surveyor.instruments.versions import version_definition
    version_definition.cache_clear()  # ids restart once the tables are emptied
    survey_form_class.cache_clear()
    with app.app_context():
        db.session.remove()
        _empty_tables(db)
        db.engine.dispose()


@pytest.fixture
def live_server(app, loaded):
    """The app on a local port with the instruments loaded, one thread per request as in production."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def db(app):
    from surveyor.extensions import db
    with app.app_context():
        yield db
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def instruments_dir(tmp_path):
    """A private copy of the instrument files that a test may edit."""
    target = tmp_path / "instruments"
    for folder in ("questionnaires", "checklists"):
        if (PROJECT_ROOT / folder).is_dir():
            shutil.copytree(PROJECT_ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="session")
def instrument_files():
    """Every shipped instrument file, read and validated once per test run."""
    from surveyor.instruments import load_all
    return load_all(PROJECT_ROOT)


@pytest.fixture
def loaded(db, instrument_files):
    """The database with every instrument file synced."""
    from surveyor.instruments.sync import sync_instruments
    sync_instruments(db.session, copy.deepcopy(instrument_files))
    db.session.commit()
    return db


def visible_text(html: str) -> str:
    """A page's text as its reader sees it: tags (such as the ``<code>`` around a username inside a
    translated message) removed and entities decoded."""
    from html import unescape
    return unescape(re.sub(r"<[^>]+>", "", html))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def make_user(db):
    """Factory: a staff account with a known password that need not be changed."""
    from surveyor.auth.accounts import create_user

    def make(username="researcher1", role="researcher", password="correct horse battery"):
        user, _ = create_user(db.session, username, role, password, must_change_password=False)
        db.session.commit()
        return user
    return make


@pytest.fixture
def researcher(client, make_user):
    """A client logged in as a researcher, who sees questionnaire results and reports."""
    make_user("nahid", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "nahid",
                                "password": "a strong pass phrase"})
    return client


@pytest.fixture
def make_response(db):
    """Factory: a stored response to an instrument version (idempotent per client id)."""
    import uuid

    from surveyor.responses import record_response

    def make(version, answers, client_id=None, language="fa", channel="qr"):
        response, _ = record_response(db.session, version, answers, client_id=client_id or str(uuid.uuid4()),
                                      channel=channel, language=language)
        return response
    return make


POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-01,ایستگاه میدان شهدا,Shohada Square station,محطة ميدان الشهداء,8,36.2878,59.6153,TRN-Q01;SRV-Q04\n")


@pytest.fixture
def station(loaded):
    """A metro station with TRN-Q01 (open everywhere) and SRV-Q04 (left closed): links by code."""
    from surveyor.models import Instrument, SurveyLink
    from surveyor.service_points.importer import import_points
    from surveyor.service_points.windows import set_window

    session = loaded.session
    import_points(session, POINTS)
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    set_window(session, metro.id, True)
    session.commit()
    return {link.instrument.code: link.token for link in session.scalars(select(SurveyLink))}


def form_token(html: str) -> str:
    """The signed form token of a survey page."""
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


GOOD_ANSWERS = {"overall": "4", "headway": "2", "punctuality": "dk", "crowding": "3", "wait_minutes": "۱۲",
                "recommend": "8", "rider_type": "foreign_visitor", "comment": "قطارها <b>شلوغ</b> است"}
