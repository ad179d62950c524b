"""Fixtures shared by the penetration-test modules: a clock that can be moved forward, and
browsers at chosen network addresses."""
from __future__ import annotations

import time

import pytest

from surveyor.survey import counters


@pytest.fixture
def clock(monkeypatch):
    """Moves this process's clock forward: ``clock(hours=20)``. Signed cookies, session ages and
    rate-limit windows read ``time.time``, so the app sees the time pass as a real server would."""
    real = time.time
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])
    # The counters' next sweep is kept per process: one that another test's clock put hours ahead
    # would skip this test's sweeps.
    monkeypatch.setattr(counters, "_next_sweep", [0.0])

    def advance(hours: float = 0, minutes: float = 0) -> None:
        offset[0] += hours * 3600 + minutes * 60
    return advance


def browser_at(app, address: str):
    """A new browser (no cookies) at a network address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client
