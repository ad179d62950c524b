"""The submission hot path: what it reads and writes, and what it must still refuse."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import event, func, select

from surveyor.extensions import ProcessCounterStorage
from surveyor.models import Answer, Instrument, Response
from surveyor.responses import VersionRef
from surveyor.responses.store import store_response, submission_connection
from surveyor.service_points.windows import set_window
from surveyor.survey import routes
from tests.conftest import GOOD_ANSWERS, form_token


def count(db, model=Response):
    return db.session.scalar(select(func.count()).select_from(model))


def page_data(client, url):
    return {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS}


def test_a_submission_reads_once_then_writes_and_says_thank_you_without_a_body(app, client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=ar"
    data = page_data(client, url)
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement.split()[0].upper())  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.post(url, data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 303 and response.data == b""
    assert response.headers["Location"] == f"/s/{station['TRN-Q01']}/thanks?lang=ar"
    # one read (link, window, stored?, seen today?), one upsert of the abuse counters (shared by
    # every process: surveyor/survey/counters.py); PostgreSQL stores in one statement
    assert statements == (["SELECT", "INSERT", "WITH"] if db.engine.dialect.name == "postgresql"
                          else ["SELECT", "INSERT", "INSERT", "INSERT"])
    assert count(db) == 1 and count(db, Answer) == 8


def test_closing_the_instrument_refuses_the_very_next_submission(client, db, station):
    url = f"/s/{station['TRN-Q01']}?lang=en"
    data = page_data(client, url)
    metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    set_window(db.session, metro.id, False)
    db.session.commit()
    refused = client.post(url, data=data)
    assert refused.status_code == 403 and "This survey is not open now" in refused.get_data(as_text=True)
    set_window(db.session, metro.id, True)
    db.session.commit()
    assert client.post(url, data=data).status_code == 303
    assert count(db) == 1


def test_a_page_of_a_retired_link_is_refused(client, db, station):
    from surveyor.models import SurveyLink
    from surveyor.service_points.links import reissue_link
    url = f"/s/{station['TRN-Q01']}?lang=en"
    data = page_data(client, url)
    reissue_link(db.session, db.session.scalar(select(SurveyLink).where(SurveyLink.token == station["TRN-Q01"])))
    db.session.commit()
    assert client.post(url, data=data).status_code == 410
    assert count(db) == 0


def test_a_copy_that_loses_the_race_still_gets_the_thank_you_page(client, db, station, monkeypatch):
    """Two copies of one page both find it not yet stored; the unique client id stores one."""
    def never_stored(*args, **kwargs):
        state = lookup(*args, **kwargs)
        return state and routes.SubmissionState(state.link, False, state.seen_today)
    lookup = routes.submission_state
    monkeypatch.setattr(routes, "submission_state", never_stored)
    url = f"/s/{station['TRN-Q01']}"
    data = page_data(client, url)
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(db) == 1 and count(db, Answer) == 8


def test_the_rate_limits_still_count_submissions(app, client, station):
    url = f"/s/{station['TRN-Q01']}"
    app.config["SURVEY_ADDRESS_CEILING"] = "2 per hour"
    statuses = [client.post(url, data=page_data(client, url)).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    app.config["SURVEY_ADDRESS_CEILING"] = "100 per hour"
    app.config["LINK_RATE_LIMIT"] = "3 per minute"  # the two above were counted through this link
    statuses = [client.post(url, data=page_data(client, url), headers={"User-Agent": f"phone {n}"},
                            environ_base={"REMOTE_ADDR": f"10.0.{n}.1"}).status_code for n in range(2)]
    assert statuses == [303, 429]  # two addresses, one link


def test_a_response_without_answers_is_stored_once(db, loaded):
    metro = loaded.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01")).latest
    definition = copy.deepcopy(metro.definition)
    for item in definition["items"]:
        item["required"] = False
    version = VersionRef(metro.id, metro.instrument_id, definition)
    with submission_connection(db.engine) as connection:
        first = store_response(connection, version, {}, client_id="empty", channel="qr", language="fa")
        again = store_response(connection, version, {}, client_id="empty", channel="qr", language="fa")
    assert first is not None and again is None
    assert count(db) == 1 and count(db, Answer) == 0


def test_process_counters_expire_and_are_swept(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("surveyor.extensions.time.time", lambda: now[0])
    storage = ProcessCounterStorage()
    assert [storage.incr("a", 60), storage.incr("a", 60), storage.incr("b", 10)] == [1, 2, 1]
    assert storage.get("a") == 2 and storage.get_expiry("a") == 1060
    now[0] = 1030
    assert storage.get("b") == 0 and storage.incr("b", 10) == 1  # a new window
    now[0] = 1100  # past every window and the sweep time: all expired keys go
    storage.incr("c", 10)
    assert set(storage._counts) == {"c"}


def test_the_limiter_skips_its_hook_only_while_every_limit_is_on_a_view():
    """Flask-Limiter's before_request pass is skipped for Surveyor (limits on views only) and
    still enforces default limits when some are configured (a separate limiter and app here)."""
    from flask import Flask

    from surveyor.extensions import SurveyorLimiter, limiter
    assert not limiter._limits_outside_views()
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limited = SurveyorLimiter(key_func=lambda: "everyone", default_limits=["1 per minute"])
    limited.init_app(app)
    app.add_url_rule("/", "home", lambda: "ok")
    client = app.test_client()
    assert limited._limits_outside_views()
    assert app.config["RATELIMIT_STORAGE_URI"] == "surveyor-memory://"
    assert [client.get("/").status_code for _ in range(2)] == [200, 429]


@pytest.mark.parametrize("path", ["/s/no-such-link", "/s/no-such-link?lang=fa"])
def test_an_unknown_link_is_not_found_when_posted_to(client, db, path):
    assert client.post(path, data=GOOD_ANSWERS).status_code == 404


def test_a_comment_longer_than_the_page_allows_is_sent_back_not_a_500(client, db, station):
    """The textarea's maxlength stops a person; a script that ignores it gets the page again."""
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    data = {**page_data(client, url), "comment": "ایستگاه " * 200}
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    assert "لطفاً پاسخ خود را به حداکثر ۱۰۰۰ نویسه کوتاه کنید." in refused.get_data(as_text=True)
    assert count(db) == 0


def test_the_device_hash_turns_over_at_tehran_midnight(app, client, db, station, monkeypatch):
    """At 01:30 in Tehran (22:00 UTC the evening before) the hash belongs to Tehran's new day."""
    import datetime as dt

    from surveyor.survey.abuse import device_hash
    tehran_day = dt.date(2026, 3, 21)  # Nowruz; the server's UTC date is still 20 March
    monkeypatch.setattr(routes, "local_today", lambda timezone: tehran_day)
    url = f"/s/{station['TRN-Q01']}"
    client.post(url, data=page_data(client, url), headers={"User-Agent": "phone"})
    stored = db.session.scalar(select(Response))
    assert stored.device_hash == device_hash(app.config["SECRET_KEY"], tehran_day, "127.0.0.1", "phone")
