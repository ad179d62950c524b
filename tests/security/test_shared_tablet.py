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
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from surveyor.auth.tablet_owner import OWNER_COOKIE
from surveyor.models import Inspection
from tests.inspect.conftest import all_pass, client_as, field, jpeg, visit_fields  # noqa: F401 (field: a fixture)

FAILED = "waste_bins"  # a pass/fail item that takes a photo


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


def field_assignment_id(field) -> int:
    from tests.inspect.conftest import field_assignment_id as assignment_id
    return assignment_id(field)


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
