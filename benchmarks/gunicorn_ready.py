"""Gunicorn settings for the submission benchmark: each worker says when its app is loaded.

``python -m benchmarks.submissions`` serves both apps with ``-c python:benchmarks.gunicorn_ready``
and sends no request until every worker has left its mark in ``BENCH_READY_DIR``. The listening
socket opens long before that (the master binds it, then the workers import the app), and
Surveyor's workers take seconds to import their dependencies (pandas, SciPy, matplotlib, ...)
where the bare app takes a fraction of one; requests queued meanwhile would count start-up as
serving time, unequally for the two sides.
"""
from __future__ import annotations

import os
from pathlib import Path


def post_worker_init(worker) -> None:
    """Called by gunicorn in each worker once the app is loaded, before it takes requests."""
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        Path(folder, str(worker.pid)).touch()
