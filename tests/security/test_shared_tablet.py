"""Penetration test, issue 12, finding M2 and faults 1, 2 and 3: one tablet shared by inspectors.

What the testers did, and what each test below replays:

- M2 / fault 2: after inspector A logged out, anyone holding the tablet offline still saw A's
  app: the service worker served A's cached pages (an inspection with A's notes) and A's draft
  with its photos came back in A's form; B completed that draft and it was stored as A's. The
  worker also served A's cached page to whoever was logged in when the server was slow or
  answered 5xx.
- Fault 1: an upload of A's outbox that left the tablet as A's login ended and B's began was
  stored under the login that happened to be current.
- Fault 3: logout tapped offline showed the browser's error page and left the session open.

What Surveyor now guarantees (README, "Shared tablets"): the app keeps each inspector's pages in a
cache of their own, named by an opaque key, and serves a cached page only to the inspector whose
login the browser holds, checked without the network; logout drops them and clears the browser's
HTTP cache (``Clear-Site-Data: "cache"``). Drafts and the outbox stay on the tablet for their
owner only: an inspection still waiting at logout is announced on the page after logout and sent
at its owner's next login, never as anyone else: every upload names its owner, and the server
refuses (409, nothing stored) one whose owner is not the inspector logged in.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from surveyor.auth.tablet_owner import OWNER_COOKIE
from surveyor.models import Inspection
from tests.browser.conftest import browser, log_in, log_out, screenshot_dir  # noqa: F401 (fixtures)
from tests.browser.test_inspect_offline import (  # noqa: F401 (assignment, photo: fixtures)
    FAILED, PASSWORD, SUBMIT, assignment, fill_checklist, inspections, open_app, outbox_count, photo, queue_offline, store,
    tablet, wait_for, wait_until)
from tests.inspect.conftest import (  # noqa: F401 (field: a fixture)
    all_pass, client_as, field, field_assignment_id, jpeg, visit_fields)



def owner_of(html: str) -> str:
    """The owner key the inspector app files its work under, as the form carries it."""
    match = re.search(r'name="owner" value="([^"]+)"', html)
    assert match, "the checklist form names its owner"
    return match.group(1)


def reza_upload(client, field) -> dict:
    """What Reza's outbox holds: an unassigned inspection of a public toilet (any inspector may
    make one), a failed bin with its photo, owner Reza."""
    html = client.get(f"/inspect/form?checklist=SRV-C01&point={field['points'][1].id}").get_data(as_text=True)
    return {**visit_fields(client, field, assignment=False), **all_pass(field["definition"]), "owner": owner_of(html),
            f"item-{FAILED}-result": "fail", f"item-{FAILED}-action": "empty the bins"}


def with_photo(fields: dict) -> dict:
    return {**fields, f"item-{FAILED}-photo": (io.BytesIO(jpeg()), "bins.jpg")}


def photo_files(app) -> list[Path]:
    return [p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file()]


def stored(db) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(i.client_id, i.inspector_id) for i in db.session.scalars(select(Inspection))]


# ---- Fault 1, server side: an upload names its owner, and only its owner's login may store it ----

def test_an_upload_of_one_inspectors_outbox_under_anothers_login_is_refused_and_nothing_is_stored(app, db, field):
    reza = client_as(app, "reza")
    upload = reza_upload(reza, field)
    # The tablet read Reza's session and began sending; meanwhile Reza logged out and Omid logged
    # in, so the upload reaches the server with Omid's cookie.
    omid = client_as(app, "omid")
    upload["csrf_token"] = visit_fields(omid, field, assignment=False)["csrf_token"]
    answer = omid.post("/inspect/submit", data=with_photo(upload), headers={"Accept": "application/json"})
    assert answer.status_code == 409
    assert answer.json["code"] == "owner_mismatch"
    assert "بازرس دیگری" in answer.json["errors"]["form"]
    assert stored(db) == [] and photo_files(app) == [], "nothing stored as Omid's, not even a photo"

    # The tablet keeps it; at Reza's next login it goes through, once, as Reza's.
    reza = client_as(app, "reza")
    upload["csrf_token"] = visit_fields(reza, field, assignment=False)["csrf_token"]
    for expected in (201, 200):
        answer = reza.post("/inspect/submit", data=with_photo(upload), headers={"Accept": "application/json"})
        assert answer.status_code == expected
    assert stored(db) == [(upload["client_id"], field["inspector"].id)]


@pytest.mark.parametrize("lang, words", [("fa", "بازرس دیگری"), ("ar", "مفتشًا آخر"), ("en", "another inspector")])
def test_the_refusal_is_said_in_the_inspectors_language_and_a_plain_form_post_gets_a_page(app, db, field, lang,
                                                                                          words):
    omid = client_as(app, "omid")
    omid.get(f"/?lang={lang}")
    upload = {**visit_fields(omid, field, assignment=False), **all_pass(field["definition"]),
              "owner": "0123456789abcdef01234567"}
    answer = omid.post("/inspect/submit", data=upload, headers={"Accept": "application/json"})
    assert answer.status_code == 409 and words in answer.json["errors"]["form"]
    page = omid.post("/inspect/submit", data=upload)
    assert page.status_code == 409 and words in page.get_data(as_text=True)
    assert stored(db) == []


def test_the_owner_key_is_opaque_stable_per_inspector_and_only_a_hint_cookie(app, db, field):
    reza = client_as(app, "reza")
    key = reza.get_cookie(OWNER_COOKIE).value
    assert key != str(field["inspector"].id) and len(key) == 24
    assert owner_of(reza.get(f"/inspect/form?assignment={field_assignment_id(field)}").get_data(as_text=True)) == key
    assert client_as(app, "reza").get_cookie(OWNER_COOKIE).value == key, "the same at every login"
    assert client_as(app, "omid").get_cookie(OWNER_COOKIE).value != key
    cookie = reza.get_cookie(OWNER_COOKIE)
    assert not cookie.http_only, "the service worker reads it offline"
    assert reza.get_cookie("session").http_only, "the session itself stays out of scripts' reach"
    # A forged owner cookie gives nothing: the session decides who is logged in.
    stranger = app.test_client()
    stranger.set_cookie(OWNER_COOKIE, key)
    assert stranger.get("/inspect/").status_code in (302, 401)


# ---- M2: what logout leaves on the tablet ----

def test_logout_clears_the_browser_cache_and_forgets_the_owner(app, db, field):
    reza = client_as(app, "reza")
    token = visit_fields(reza, field)["csrf_token"]
    answer = reza.post("/logout", data={"csrf_token": token})
    assert answer.status_code == 302
    assert answer.headers["Clear-Site-Data"] == '"cache"', "HTTP cache and back-button copies, not the outbox"
    assert reza.get_cookie(OWNER_COOKIE) is None
    assert "surveyor_inspector=;" in " ".join(answer.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("lang, waiting, expected", [
    ("fa", "3", "۳ بازرسی هنوز روی این تبلت منتظر ارسال است"),
    ("ar", "1", "١ عملية تفتيش لا تزال تنتظر على هذا الجهاز اللوحي"),
    ("en", "2", "2 inspections are still waiting on this tablet"),
])
def test_the_page_after_logout_says_how_many_inspections_still_wait_for_their_inspector(app, db, field, lang,
                                                                                         waiting, expected):
    reza = client_as(app, "reza")
    reza.get(f"/?lang={lang}")
    token = visit_fields(reza, field)["csrf_token"]
    page = reza.post("/logout", data={"csrf_token": token, "waiting": waiting}, follow_redirects=True)
    assert page.status_code == 200
    assert expected in page.get_data(as_text=True)


@pytest.mark.parametrize("waiting", ["", "0", "-1", "abc", "99999999999999999999", "1e3"])
def test_a_missing_or_nonsense_count_at_logout_is_ignored(app, db, field, waiting):
    reza = client_as(app, "reza")
    token = visit_fields(reza, field)["csrf_token"]
    page = reza.post("/logout", data={"csrf_token": token, "waiting": waiting}, follow_redirects=True)
    assert page.status_code == 200 and "still waiting" not in page.get_data(as_text=True)
    assert reza.get("/inspect/").status_code == 302, "logged out all the same"


# ---- The same on a real tablet: Debian's Chromium with the service worker and IndexedDB ----

PAGE_CACHES = "caches.keys().then(names => names.filter(n => n.startsWith('surveyor-inspect-pages-')))"
NOTE = "درپوش سطل شکسته است"


@pytest.fixture
def reza_tablet(browser, live_server, assignment, make_user):
    """The shared tablet with Reza logged in and his app ready offline; Omid also works with it."""
    make_user("omid", "inspector", PASSWORD)
    context = tablet(browser)
    yield context, open_app(context, live_server)
    context.close()


def goto_offline(page, url):
    """Open ``url`` with no network: the page, or None when the browser could show nothing."""
    from playwright.sync_api import Error
    try:
        return page.goto(url)
    except Error:
        page.wait_for_timeout(300)
        page.wait_for_load_state()
        return None  # the browser's own "no internet" page: nothing of anyone's


def start_draft(page, live_server, point_id, photo_path):
    """Open an unassigned checklist with the network and leave a draft: a failed bin, a note, a photo."""
    page.goto(f"{live_server}/inspect/form?visit=SRV-C01:{point_id}")
    page.wait_for_selector("form[data-inspection-form]")
    p = f"item-{FAILED}-"
    page.check(f"input[name='{p}result'][value='fail']")
    page.fill(f"textarea[name='{p}note']", NOTE)
    page.set_input_files(f"input[name='{p}photo']", str(photo_path))
    wait_for(lambda: [d for d in store(page, "drafts") if d["photos"]], message="the draft with its photo", page=page)


@pytest.mark.browser
def test_after_logout_the_next_inspector_offline_sees_none_of_the_previous_inspectors_pages_or_drafts(
        reza_tablet, live_server, assignment, db, photo):
    context, page = reza_tablet
    # Reza sends one inspection (with his notes) and reads it back, then starts a second one.
    page.click("a[data-assignment-form]")
    page.wait_for_selector("form[data-inspection-form]")
    fill_checklist(page, assignment["definition"], photo)
    page.fill(f"textarea[name='item-{FAILED}-note']", NOTE)
    page.click(SUBMIT)
    page.wait_for_url(f"{live_server}/inspect/")
    [sent] = wait_for(lambda: inspections(db), message="the inspection to arrive", page=page)
    inspection_url = f"{live_server}/inspect/inspections/{sent.id}"
    page.goto(inspection_url)
    assert NOTE in page.content()
    form_url = f"{live_server}/inspect/form?visit=SRV-C01:{assignment['point_id']}"
    start_draft(page, live_server, assignment["point_id"], photo)
    assert len(page.evaluate(PAGE_CACHES)) == 1

    log_out(page)
    assert page.evaluate(PAGE_CACHES) == [], "logout drops Reza's cached pages"
    assert len(store(page, "drafts")) == 1, "his draft is kept for him"

    # Whoever holds the tablet now, offline, gets nothing of Reza's.
    context.set_offline(True)
    for url in (inspection_url, form_url, f"{live_server}/inspect/"):
        response = goto_offline(page, url)
        assert response is None or not response.from_service_worker, url
        assert NOTE not in page.content()

    # Omid logs in with the network, then works offline: his app, never Reza's draft.
    context.set_offline(False)
    log_in(page, live_server, "omid", PASSWORD)
    page.goto(f"{live_server}/inspect/")
    wait_until(page, "document.body.dataset.offlineReady === 'true'")
    context.set_offline(True)
    response = goto_offline(page, form_url)
    assert response is not None and response.from_service_worker
    page.wait_for_selector("[data-inspect-notice='page_unavailable_offline']")  # Omid never opened it
    assert page.locator("[data-inspect-notice='draft_restored']").count() == 0
    assert page.locator("form[data-inspection-form]").count() == 0
    response = goto_offline(page, inspection_url)
    assert NOTE not in page.content()
    context.set_offline(False)
    assert [(i.client_id, i.inspector.username) for i in inspections(db)] == [(sent.client_id, "reza")]


@pytest.mark.browser
def test_a_failing_server_never_brings_back_the_previous_inspectors_cached_page(
        reza_tablet, live_server, db):
    context, page = reza_tablet  # Reza's app shell is cached, his name in its header
    assert "reza" in page.inner_text("header .who")

    # Omid logs in on the same browser without Reza logging out (Reza's session ran out, say),
    # and the server is in trouble: the app's pages answer 503.
    log_in(page, live_server, "omid", PASSWORD)
    context.route("**/inspect/", lambda route: route.fulfill(status=503, body="server in trouble",
                                                             headers={"Retry-After": "30"}))
    response = page.goto(f"{live_server}/inspect/")
    assert response.status == 503, "the server's answer, not Reza's page from the cache"
    assert "reza" not in page.content()
    assert page.evaluate(PAGE_CACHES) == []


def csrf_field(body: bytes) -> bytes:
    return re.search(rb'name="csrf_token"\r\n\r\n([^\r]+)\r\n', body).group(1)


@pytest.mark.browser
def test_an_upload_that_reaches_the_server_under_the_next_inspectors_login_stays_for_its_owner(
        reza_tablet, browser, live_server, assignment, db, photo):
    context, page = reza_tablet
    client_id = queue_offline(context, page, assignment["definition"], photo)

    # The tablet reads Reza's session and sends; by the time the upload reaches the server, Reza
    # has logged out and Omid logged in: the request carries Omid's cookie. First with Reza's
    # form token (what happens: the CSRF check refuses it), then as if it carried Omid's token too
    # (the owner check refuses it).
    other = browser.new_context()
    omid_page = other.new_page()
    log_in(omid_page, live_server, "omid", PASSWORD)
    omid_page.goto(f"{live_server}/inspect/")
    omid_token = omid_page.get_attribute("form[data-logout] input[name=csrf_token]", "value").encode()
    omid_cookie = "; ".join(f"{c['name']}={c['value']}" for c in other.cookies())
    other.close()
    answers = []
    with_omid_token = [False]

    def as_omid(route):
        swapped = with_omid_token[0]  # the setting this send went out under
        body = route.request.post_data_buffer
        if swapped:
            body = body.replace(csrf_field(body), omid_token)
        try:
            answer = route.fetch(headers={**route.request.headers, "cookie": omid_cookie}, post_data=body)
            answers.append((swapped, answer.status, json.loads(answer.body())))
            route.fulfill(response=answer)
        except PlaywrightError:  # the app gave up on this send (its own timeout on a slow machine)
            pass                 # and sends again by itself: the next answer is the one checked

    context.route("**/inspect/submit", as_omid)
    context.set_offline(False)
    for expected in (400, 409):
        with_omid_token[0] = expected == 409
        page.evaluate("navigator.serviceWorker.controller.postMessage({type: 'flush'})")
        # The outbox also sends again by itself (its backoff): take the first answer to a send
        # made under this round's setting.
        this_round = lambda: [a for a in answers if a[0] == with_omid_token[0]]  # noqa: E731
        wait_for(this_round, message="the upload", page=page)
        assert this_round()[0][1] == expected, answers
        # The app files the refusal a moment after the answer, as "waiting"; its backoff then
        # sends again by itself ("sending"). Either way it is kept: never lost, never "rejected"
        # (to correct) or "error".
        wait_for(lambda: [r["status"] for r in store(page, "outbox")] == ["waiting"], message="the refusal filed",
                 page=page)
        assert inspections(db) == [], "not stored as Omid's"
        [kept] = store(page, "outbox")
        assert kept["client_id"] == client_id and kept["status"] in ("waiting", "sending"), \
            "kept, neither lost nor 'to correct'"
    assert [a[2]["code"] for a in answers if a[0]][0] == "owner_mismatch"

    # With his own login, Reza's tablet sends it: stored once, as Reza's.
    context.unroute("**/inspect/submit")
    page.evaluate("navigator.serviceWorker.controller.postMessage({type: 'flush'})")
    wait_for(lambda: outbox_count(page) == "0", message="the outbox to empty", page=page)
    assert [(i.client_id, i.inspector.username) for i in inspections(db)] == [(client_id, "reza")]


@pytest.mark.browser
def test_logout_says_what_still_waits_and_it_is_sent_at_its_owners_next_login(
        reza_tablet, live_server, assignment, db, photo, screenshot_dir):
    context, page = reza_tablet
    client_id = queue_offline(context, page, assignment["definition"], photo)
    context.route("**/inspect/submit", lambda route: route.abort("connectionrefused"))  # the server is away
    context.set_offline(False)

    log_out(page)
    warning = page.inner_text("p.flash-waiting")
    assert warning.startswith("۱ بازرسی هنوز روی این تبلت منتظر ارسال است"), warning
    page.screenshot(path=str(screenshot_dir / "inspect-logout-waiting-fa-tablet.png"))

    log_in(page, live_server, "omid", PASSWORD)
    page.goto(f"{live_server}/inspect/")
    wait_until(page, "document.querySelector('[data-outbox]').dataset.count === '0'")
    context.unroute("**/inspect/submit")
    page.evaluate("navigator.serviceWorker.controller.postMessage({type: 'flush'})")
    page.wait_for_timeout(500)
    assert inspections(db) == [] and [r["client_id"] for r in store(page, "outbox")] == [client_id]
    log_out(page)
    assert page.locator("p.flash-waiting").count() == 0, "Omid has nothing waiting"

    log_in(page, live_server, "reza", PASSWORD)
    page.goto(f"{live_server}/inspect/")
    wait_for(lambda: outbox_count(page) == "0", message="Reza's outbox to empty", page=page)
    assert [(i.client_id, i.inspector.username) for i in inspections(db)] == [(client_id, "reza")]


# ---- Fault 3: logout tapped offline ----

@pytest.mark.browser
def test_logout_tapped_offline_says_it_needs_the_network_and_works_once_back_online(
        reza_tablet, live_server, screenshot_dir):
    context, page = reza_tablet
    context.set_offline(True)
    page.click("form[data-logout] button[type=submit]")
    notice = page.wait_for_selector("[data-logout-notice]")
    assert notice.get_attribute("role") == "alert"
    assert notice.inner_text() == page.get_attribute("form[data-logout]", "data-offline-message")
    assert "شبکه" in notice.inner_text()
    assert page.url == f"{live_server}/inspect/", "no browser error page"
    page.screenshot(path=str(screenshot_dir / "inspect-logout-offline-fa-tablet.png"))

    context.set_offline(False)
    log_out(page)
    page.goto(f"{live_server}/inspect/")
    assert "/login" in page.url, "logged out for real"
