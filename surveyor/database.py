"""The database connection: binds Flask-SQLAlchemy and sets SQLite up for concurrent use."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers work while a response is being written; foreign keys are off by default.

    synchronous=FULL: every commit is on disk (the WAL synced) before it returns, so a response
    we thanked someone for survives a power cut. NORMAL, WAL's usual companion, syncs only at
    checkpoints and may lose the last commits; measured with benchmarks/submissions.py, FULL
    costs Surveyor's submissions about a tenth of their rate (and the bare endpoint a fifth).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def init_app(app) -> None:
    from . import models  # noqa: F401  (registers every table on the metadata)

    db.init_app(app)
