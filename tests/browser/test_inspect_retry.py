"""The inspector's tablet retries by itself (issue 12, faults 4 and 6): after a network error or a
server in trouble (5xx, a 503 with Retry-After while its disk or database is away), the outbox is
sent again with backoff while the app is open, without a reload, a tap or a focus event, and it
empties soon after the server is back."""
from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_inspect_offline import (  # noqa: F401 (assignment, photo: fixtures)
    SUBMIT, assignment, fill_checklist, inspections, open_app, outbox_count, photo, store, tablet, wait_for)

pytestmark = pytest.mark.browser

# Everything the outbox asks of the server: the app shell (whose session it is) and the upload.
SERVER = re.compile(r".*/inspect/(submit)?$")
BACK_WITHIN = 20.0  # seconds from the server's return to an empty outbox (the bar)


@pytest.mark.parametrize("outage", ["server stopped", "503 Retry-After"])
def test_the_outbox_empties_by_itself_soon_after_the_server_is_back(browser, live_server, assignment, db, photo,
                                                                   outage):
    context = tablet(browser)
    page = open_app(context, live_server)
    tries = []

    def away(route):
        tries.append(time.monotonic())
        if outage == "server stopped":
            route.abort("connectionrefused")
        else:
            route.fulfill(status=503, headers={"Retry-After": "3"}, content_type="application/json",
                          body='{"error": {"status": 503, "message": "try again later"}}')

    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    fill_checklist(page, assignment["definition"], photo)
    client_id = page.input_value("input[name=client_id]")
    context.route(SERVER, away)  # the server goes away as the inspector taps "Submit"
    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    page.wait_for_selector(f"[data-outbox-item='{client_id}']")

    # No tap, no reload, no focus or online event: the app tries again by itself. (The first
    # second holds the tries of the submit itself, its Background Sync and the page's load.)
    page.wait_for_timeout(1000)
    tries.clear()
    page.wait_for_timeout(9000)
    assert len(tries) >= 2, f"{len(tries)} tries in 9 s"
    # One round of sending may ask twice (the app shell, whose session it is, then the upload),
    # a few milliseconds apart: the backoff is the time between rounds.
    rounds = [t for previous, t in zip([None, *tries], tries) if previous is None or t - previous > 0.5]
    assert len(rounds) >= 2, f"{len(rounds)} rounds of sending in 9 s"
    gaps = [b - a for a, b in zip(rounds, rounds[1:])]
    if outage == "503 Retry-After":
        assert min(gaps) >= 2.5, f"Retry-After: 3 honoured, gaps {gaps}"
    assert inspections(db) == [] and [r["client_id"] for r in store(page, "outbox")] == [client_id]

    context.unroute(SERVER)
    back = time.monotonic()
    wait_for(lambda: outbox_count(page) == "0", timeout=BACK_WITHIN, message="the outbox to empty", page=page)
    print(f"{outage}: {len(tries)} tries while away, gaps {[round(g, 1) for g in gaps]} s; "
          f"outbox empty {time.monotonic() - back:.1f} s after the server came back")
    assert [i.client_id for i in inspections(db)] == [client_id]
    context.close()
