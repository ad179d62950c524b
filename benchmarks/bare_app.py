"""The baseline for the submission benchmark: a bare Flask endpoint that inserts one row.

Served by gunicorn exactly like Surveyor, on the same database, so the ratio shows what
Surveyor's validation, idempotency and durability cost over the least a web app can do.
"""
from __future__ import annotations

import os

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, event, insert

metadata = MetaData()
bare = Table("bench_bare", metadata, Column("id", Integer, primary_key=True),
             Column("client_id", String(64), unique=True), Column("payload", Text))


def create_app() -> Flask:
    url = os.environ["SURVEYOR_DATABASE_URL"]
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _wal(conn, _record):
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # as Surveyor (surveyor/database.py): durable commits
            conn.execute("PRAGMA busy_timeout=30000")
    metadata.create_all(engine)
    app = Flask(__name__)

    @app.post("/bare")
    def bare_insert():
        with engine.begin() as conn:
            conn.execute(insert(bare).values(client_id=request.form["client_id"], payload=request.form.get("overall")))
        return "", 303, {"Location": "/done"}

    return app
