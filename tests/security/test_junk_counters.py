"""Pentest finding Low 14 (part): rate-limit counters from junk requests piled up in memory.

Each junk survey post made a counter per link token in its URL, and each failed login one per
name typed, kept in the process until its window ended. The survey now counts in the database
(rows deleted once their window ends, and unknown links counted nowhere); the login's
in-process counters are capped."""
from __future__ import annotations

import secrets

from sqlalchemy import func, select

from surveyor.extensions import ProcessCounterStorage, limiter
from surveyor.models import RateCounter
from tests.security.conftest import browser_at


def test_junk_posts_to_made_up_links_leave_no_counter_anywhere(app, db, station):
    junk = browser_at(app, "198.51.100.99")
    storage = limiter.storage
    assert isinstance(storage, ProcessCounterStorage)
    before = len(storage._counts)
    statuses = {junk.post(f"/s/{secrets.token_urlsafe(9)}", data={"form_token": "x"}).status_code for _ in range(300)}
    assert statuses == {404}
    assert len(storage._counts) == before
    assert db.session.scalar(select(func.count()).select_from(RateCounter)) == 0


def test_junk_posts_to_a_real_link_add_one_counter_per_address_and_window(app, db, station):
    junk = browser_at(app, "198.51.100.98")
    for _ in range(100):
        junk.post(f"/s/{station['TRN-Q01']}", data={"form_token": secrets.token_urlsafe(20)})
    assert db.session.scalar(select(func.count()).select_from(RateCounter)) == 1


def test_in_process_counters_stay_under_their_cap(monkeypatch):
    monkeypatch.setattr(ProcessCounterStorage, "MAX_KEYS", 1000)
    storage = ProcessCounterStorage()
    storage.incr("login:the-admin", 3600)  # a counter an attacker would like to push out
    for n in range(5000):
        storage.incr(f"login-name:{n}", 900)  # one per made-up name, all within their window
    assert len(storage._counts) <= 1000
    assert storage.get("login:the-admin") == 1  # those expiring soonest go first, not the older ones
