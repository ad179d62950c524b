"""Penetration test, uploads: what an inspector's tablet (or anyone holding an inspector's
session) can make the server do with the inspection form and its photos.

Findings M4 (decompression bomb), Low 3 (oversized PNG chunks), Low 4 (orphan photos),
Low 6 (verifying another team's actions), Low 7 (unchecked site values), Low 13 (GPS) and
Low 14 (redirect after marking an action done). The numbers of M4 are in
``python -m benchmarks.photos``.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks.photos import bomb_png
from surveyor.models import Inspection, InspectionPhoto
from tests.inspect.conftest import all_pass, field, jpeg, login, visit_fields  # noqa: F401  (field: a fixture)

JSON = {"Accept": "application/json"}
MULTIPART = "multipart/form-data"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """The penetration test's file: 9999 × 9999 pixels (300 MB decoded) in about 300 KB."""
    return bomb_png(9999, 9999)


def photo_items(definition: dict) -> list[dict]:
    return [i for i in definition["items"] if i["role"] == "check"]


def photos_on_disk(app) -> set[Path]:
    return {p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file()}


def count(db, model=Inspection) -> int:
    from sqlalchemy import func, select
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("lang, words", [("en", "at most 25 megapixels"), ("fa", "۲۵ مگاپیکسل"),
                                         ("ar", "٢٥ ميغابكسل")])
def test_m4_a_decompression_bomb_is_refused_from_its_header_in_every_language(client, db, field, bomb, lang, words):
    """Four 9999 × 9999 PNGs in one request took 23.6 s and 1.1 GB. Now each is refused from its
    header, before decoding, with a message that says why in the inspector's language."""
    login(client, "reza")
    definition = field["definition"]
    items = photo_items(definition)[:4]
    data = {**visit_fields(client, field), **all_pass(definition),
            **{f"item-{item['code']}-photo": (io.BytesIO(bomb), "IMG.png") for item in items}}
    response = client.post(f"/inspect/submit?lang={lang}", data=data, headers=JSON, content_type=MULTIPART)
    assert response.status_code == 400
    assert set(response.json["errors"]) == {item["code"] for item in items}
    assert all(words in message for message in response.json["errors"].values()), response.json
    assert count(db) == 0


def test_m4_the_pixel_budget_is_a_setting_and_pillows_bomb_warning_is_a_refusal(tmp_path):
    from PIL import Image

    from surveyor.inspect.photos import PhotoError, store_photo
    small = bomb_png(300, 200)  # 60,000 pixels
    with pytest.raises(PhotoError, match="too_many_pixels"):
        store_photo(small, tmp_path, 10_000_000, max_pixels=50_000)
    assert store_photo(small, tmp_path, 10_000_000, max_pixels=60_000).width == 300
    # Pillow's own check, behind the budget: its warning is an error, never a decode.
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 40_000
    try:
        with pytest.raises(PhotoError, match="too_many_pixels"):
            store_photo(small, tmp_path, 10_000_000, max_pixels=10**9)
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def test_m4_a_large_jpeg_is_decoded_at_a_reduced_scale_and_stored_at_2048(tmp_path):
    from PIL import Image

    from surveyor.inspect.photos import store_photo
    buffer = io.BytesIO()
    Image.new("RGB", (5000, 3750), (20, 120, 40)).save(buffer, "JPEG")
    stored = store_photo(buffer.getvalue(), tmp_path, 20_000_000)
    assert (stored.width, stored.height) == (2048, 1536)


def png_with_chunk(kind: bytes, body: bytes) -> bytes:
    """A 2 × 2 PNG with one more chunk before its pixels."""
    import struct
    import zlib

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (255, 0, 0)).save(buffer, "PNG")
    plain = buffer.getvalue()
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    end_of_header = 8 + 8 + 13 + 4  # signature, IHDR length + type, IHDR data, CRC
    return plain[:end_of_header] + chunk + plain[end_of_header:]


OVERSIZED_CHUNKS = {
    # 2 MB of text, compressed to 2 KB: over Pillow's 1 MB limit for one text chunk
    "text": (b"zTXt", b"Comment\0\0" + __import__("zlib").compress(b"A" * 2_000_000)),
    # the same for an ICC colour profile
    "icc": (b"iCCP", b"profile\0\0" + __import__("zlib").compress(b"\0" * 2_000_000)),
}


@pytest.mark.parametrize("chunk", sorted(OVERSIZED_CHUNKS))
def test_low3_a_png_with_an_oversized_text_or_icc_chunk_is_a_clear_400(client, db, field, chunk):
    """Pillow refuses such a chunk with a ValueError, which used to escape as a 500."""
    login(client, "reza")
    definition = field["definition"]
    item = photo_items(definition)[0]
    data = {**visit_fields(client, field), **all_pass(definition),
            f"item-{item['code']}-photo": (io.BytesIO(png_with_chunk(*OVERSIZED_CHUNKS[chunk])), "IMG.png")}
    response = client.post("/inspect/submit?lang=en", data=data, headers=JSON, content_type=MULTIPART)
    assert response.status_code == 400
    assert response.json["errors"] == {item["code"]: "This photo could not be read: the file is damaged or carries "
                                                     "too much besides the picture. Take the photo again."}
    assert count(db) == 0


def test_low4_a_refused_inspection_leaves_no_photo_on_disk(app, client, db, field, bomb):
    """Three good photos and one bad one: 400, and not one file written (there were 6 orphans:
    three photos and their thumbnails). Every photo is checked before any is written."""
    login(client, "reza")
    definition = field["definition"]
    items = photo_items(definition)[:4]
    before = photos_on_disk(app)
    good = [(io.BytesIO(jpeg()), f"IMG_{n}.JPG") for n in range(3)]
    data = {**visit_fields(client, field), **all_pass(definition),
            **{f"item-{item['code']}-photo": photo for item, photo in zip(items, [*good, (io.BytesIO(bomb), "x.png")])}}
    response = client.post("/inspect/submit", data=data, headers=JSON, content_type=MULTIPART)
    assert response.status_code == 400 and set(response.json["errors"]) == {items[3]["code"]}
    assert photos_on_disk(app) == before
    assert count(db) == 0 and count(db, InspectionPhoto) == 0
    # The same inspection with four good photos: all of them written, with their thumbnails.
    data = {**visit_fields(client, field), **all_pass(definition),
            **{f"item-{item['code']}-photo": (io.BytesIO(jpeg()), "IMG.JPG") for item in items}}
    assert client.post("/inspect/submit", data=data, headers=JSON, content_type=MULTIPART).status_code == 201
    assert count(db, InspectionPhoto) == 4 and len(photos_on_disk(app) - before) == 2  # one image, sent four times


def site_items(definition: dict, kind: str) -> list[dict]:
    return [i for i in definition["items"] if i["role"] == "site" and i["type"] == kind]


def test_low7_site_values_are_checked_against_their_type_and_choices(client, db, field):
    login(client, "reza")
    definition = field["definition"]
    number, choice = site_items(definition, "number")[0], site_items(definition, "choice")[0]
    base = {**visit_fields(client, field), **all_pass(definition)}
    for value, message in (("=1+2", "Enter a number."), ("nan", "Enter a number."),
                           (str(number["max"] + 1), "This number is outside what the checklist allows for this item.")):
        response = client.post("/inspect/submit?lang=en", data={**base, f"item-{number['code']}-value": value},
                               headers=JSON)
        assert response.status_code == 400 and response.json["errors"] == {number["code"]: message}, value
    response = client.post("/inspect/submit?lang=en", data={**base, f"item-{choice['code']}-value": "@SUM(A1)"},
                           headers=JSON)
    assert response.json["errors"] == {choice["code"]: "Choose one of the listed answers."}
    assert count(db) == 0
    # Persian digits are a number, stored in ASCII digits.
    assert client.post("/inspect/submit", data={**base, f"item-{number['code']}-value": "۱۲"},
                       headers=JSON).status_code == 201
    from sqlalchemy import select

    from surveyor.models import InspectionItem
    stored = select(InspectionItem.text_value).where(InspectionItem.item_code == number["code"])
    assert db.session.scalar(stored) == "12"


def test_low7_an_old_bad_site_value_never_breaks_the_spss_export(app, client, db, field, make_user):
    """A value stored before site values were checked (inserted here straight into the
    database) made the inspections SPSS export a 500 for everyone. It is exported as missing."""
    from sqlalchemy import update

    from surveyor.models import InspectionItem
    login(client, "reza")
    definition = field["definition"]
    number, choice = site_items(definition, "number")[0], site_items(definition, "choice")[0]
    assert client.post("/inspect/submit", data={**visit_fields(client, field), **all_pass(definition)},
                       headers=JSON).status_code == 201
    for item, bad in ((number, "=1+2"), (choice, "not-a-choice")):
        db.session.execute(update(InspectionItem).where(InspectionItem.item_code == item["code"])
                           .values(text_value=bad))
    db.session.commit()
    make_user("nasrin", "researcher", "a strong pass phrase")
    researcher = app.test_client()
    login(researcher, "nasrin")
    for fmt in ("sav", "xlsx", "csv"):
        response = researcher.get(f"/results/SRV-C01/inspections.{fmt}")
        assert response.status_code == 200, fmt
    csv = researcher.get("/results/SRV-C01/inspections.csv").get_data(as_text=True)
    assert "=1+2" not in csv and "not-a-choice" not in csv


@pytest.mark.parametrize("latitude, longitude, accuracy", [
    ("36.29", "59.60", "nan"), ("36.29", "59.60", "inf"), ("36.29", "59.60", "-5"), ("36.29", "59.60", "1e309"),
    ("nan", "59.60", "10"), ("36.29", "-inf", "10"), ("91", "59.60", "10"), ("36.29", "180.5", "10"),
    ("36.29", "59.60", "1000000"),
])
def test_low13_an_impossible_gps_fix_is_not_recorded_and_the_inspection_is_kept(client, db, field, latitude,
                                                                                longitude, accuracy):
    login(client, "reza")
    data = {**visit_fields(client, field), **all_pass(field["definition"]), "latitude": latitude,
            "longitude": longitude, "accuracy": accuracy}
    assert client.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    from sqlalchemy import select
    stored = db.session.scalar(select(Inspection))
    assert (stored.latitude, stored.longitude, stored.location_accuracy_m) == (None, None, None)


def test_low13_a_plausible_gps_fix_is_recorded_in_any_digits(client, db, field):
    login(client, "reza")
    data = {**visit_fields(client, field), **all_pass(field["definition"]), "latitude": "۳۶٫۲۹".replace("٫", "."),
            "longitude": "59.6062", "accuracy": "12"}
    assert client.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    from sqlalchemy import select
    stored = db.session.scalar(select(Inspection))
    assert (stored.latitude, stored.longitude, stored.location_accuracy_m) == (36.29, 59.6062, 12)


def failed_inspection_with_an_action(client, field) -> int:
    """Reza fails one pass/fail item with a corrective action; returns the action's id."""
    from sqlalchemy import select

    from surveyor.extensions import db
    from surveyor.models import CorrectiveAction
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    data = {**visit_fields(client, field), **all_pass(definition), f"item-{item['code']}-result": "fail",
            f"item-{item['code']}-action": "تعمیر شیر آب"}
    assert client.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    return db.session.scalar(select(CorrectiveAction.id).order_by(CorrectiveAction.id.desc()))


@pytest.mark.parametrize("referer, next_field", [
    ("https://evil.example/phish", None), ("https://evil.example/phish", "//evil.example/x"),
    (None, "https://evil.example/x"), (None, "/\\evil.example/x"), (None, "/inspect/../\tx"),
    (None, "javascript:alert(1)"), (None, "/no/such/page"),
])
def test_low14_marking_an_action_done_never_redirects_off_the_app(client, db, field, referer, next_field):
    """The redirect after "Mark done" followed the Referer. Now only the form's own ``next``,
    checked to be a page of this app, or the inspection's page."""
    login(client, "reza")
    action_id = failed_inspection_with_an_action(client, field)
    page = client.get("/inspect/").get_data(as_text=True)
    from tests.conftest import csrf_token
    data = {"csrf_token": csrf_token(page), "note": "done", **({"next": next_field} if next_field else {})}
    response = client.post(f"/inspect/actions/{action_id}/done", data=data,
                           headers={"Referer": referer} if referer else {})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/inspect/inspections/"), location


def test_low14_the_page_the_action_was_marked_on_is_where_the_inspector_returns(client, db, field):
    login(client, "reza")
    action_id = failed_inspection_with_an_action(client, field)
    from surveyor.models import CorrectiveAction
    inspection_id = db.session.get(CorrectiveAction, action_id).inspection_id
    page = client.get(f"/inspect/inspections/{inspection_id}?lang=en").get_data(as_text=True)
    assert f'name="next" value="/inspect/inspections/{inspection_id}?lang=en"' in page
    from tests.conftest import csrf_token
    back = f"/inspect/inspections/{inspection_id}?lang=en"
    response = client.post(f"/inspect/actions/{action_id}/done", data={"csrf_token": csrf_token(page), "next": back})
    assert response.headers["Location"] == back


def passing_visit(client, field, started_at: str | None = None) -> dict:
    """A perfect inspection of the first toilet (the one assigned to Reza), sent without an assignment."""
    data = {**visit_fields(client, field, assignment=False), **all_pass(field["definition"]),
            "point_id": str(field["points"][0].id), "assignment_id": ""}
    if started_at:
        data["started_at"] = started_at
    return data


def test_low6_another_teams_inspector_cannot_verify_an_action_by_walking_in(app, client, db, field):
    """Omid (no team, no assignment there) sends a passing inspection of the toilet where Reza
    (Sara's team) opened an action. The inspection is stored and scored; the action stays open."""
    from surveyor.models import CorrectiveAction
    login(client, "reza")
    action_id = failed_inspection_with_an_action(client, field)
    omid = app.test_client()
    login(omid, "omid")
    assert omid.post("/inspect/submit", data=passing_visit(omid, field), headers=JSON).status_code == 201
    action = db.session.get(CorrectiveAction, action_id)
    db.session.refresh(action)
    assert action.status == "open" and action.verified_by_inspection_id is None
    assert count(db) == 2
    # Once Omid joins Sara's team, his next passing inspection verifies it.
    field["other"].supervisor_id = field["supervisor"].id
    db.session.commit()
    assert omid.post("/inspect/submit", data=passing_visit(omid, field), headers=JSON).status_code == 201
    db.session.refresh(action)
    assert action.status == "verified" and action.verified_by_id == field["other"].id


def test_low6_a_late_arriving_failure_is_not_verified_by_another_teams_earlier_sent_pass(app, client, db, field):
    """The other arrival order: Omid's passing inspection (begun later) reaches the server
    first; Reza's failure, made earlier offline, arrives after. Omid's pass does not verify it."""
    import datetime as dt

    from sqlalchemy import select

    from surveyor.models import CorrectiveAction
    omid = app.test_client()
    login(omid, "omid")
    assert omid.post("/inspect/submit", data=passing_visit(omid, field), headers=JSON).status_code == 201
    login(client, "reza")
    earlier = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)).isoformat()
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    data = {**visit_fields(client, field), **all_pass(definition), "started_at": earlier,
            f"item-{item['code']}-result": "fail", f"item-{item['code']}-action": "تعمیر شیر آب"}
    assert client.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    action = db.session.scalar(select(CorrectiveAction))
    assert action.status == "open"


def test_low6_an_assignment_lets_an_inspector_of_any_team_verify(app, client, db, field):
    """A supervisor who sends an inspector to re-inspect (an assignment) allows the verification."""
    from surveyor.inspect.assignments import create_assignments
    from surveyor.models import CorrectiveAction
    login(client, "reza")
    action_id = failed_inspection_with_an_action(client, field)
    create_assignments(db.session, instrument_id=field["checklist"].id, points=field["points"][:1],
                       inspector_id=field["other"].id, first_due=__import__("datetime").date.today(),
                       assigned_by=field["supervisor"].id)
    db.session.commit()
    from sqlalchemy import select

    from surveyor.models import Assignment
    assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.inspector_id == field["other"].id))
    omid = app.test_client()
    login(omid, "omid")
    data = {**passing_visit(omid, field), "assignment_id": str(assignment_id)}
    assert omid.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    action = db.session.get(CorrectiveAction, action_id)
    db.session.refresh(action)
    assert action.status == "verified" and action.verified_by_id == field["other"].id
