"""Submitting inspections: stored exactly once, scored on the server, photos cleaned of metadata."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from surveyor.models import Assignment, CorrectiveAction, Inspection, InspectionPhoto
from surveyor.instruments.versions import latest_version_id
from surveyor.models import Instrument
from tests.inspect.conftest import all_pass, client_as, jpeg, login, visit_fields

JSON = {"Accept": "application/json"}


def count(db, model=Inspection):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_perfect_inspection_is_stored_once_and_scored(app, client, db, field):
    login(client, "reza")
    data = {**visit_fields(client, field), **all_pass(field["definition"])}
    first = client.post("/inspect/submit", data=data, headers=JSON)
    assert first.status_code == 201, first.json
    assert first.json["status"] == "stored" and first.json["score_percent"] == 100 and first.json["grade"] == "A"
    again = client.post("/inspect/submit", data=data, headers=JSON)
    assert again.status_code == 200 and again.json == {**first.json, "status": "duplicate"}
    assert count(db) == 1
    inspection = db.session.scalar(select(Inspection))
    assert (inspection.latitude, inspection.longitude, inspection.location_accuracy_m) == (36.297, 59.6062, 12)
    assert inspection.inspector_id == field["inspector"].id and inspection.status == "submitted"
    assert db.session.scalar(select(Assignment.completed_at)) is not None
    assert len(inspection.items) == len(field["definition"]["items"])


def test_failures_need_their_photo_and_action_and_are_explained(client, db, field):
    login(client, "reza")
    definition = field["definition"]
    photo_item = next(i for i in definition["items"] if i.get("photo_on_fail") and i["type"] == "pass_fail")
    data = {**visit_fields(client, field), **all_pass(definition), f"item-{photo_item['code']}-result": "fail"}
    missing = next(i for i in definition["items"] if i["role"] == "check")
    data.pop(f"item-{missing['code']}-result", None)
    data.pop(f"item-{missing['code']}-rating", None)
    data.pop(f"item-{missing['code']}-measured", None)
    response = client.post("/inspect/submit", data={**data, "lang": "fa"}, headers=JSON)
    assert response.status_code == 400
    assert photo_item["code"] in response.json["errors"] and missing["code"] in response.json["errors"]
    assert count(db) == 0

    page = client.post("/inspect/submit?lang=fa", data=data)  # the same without JavaScript: the form again
    body = page.get_data(as_text=True)
    assert page.status_code == 400 and "برای این نقص، عکس لازم است." in body
    assert f'value="{data["client_id"]}"' in body  # the same visit keeps its client id


def test_a_photo_is_re_encoded_without_metadata_and_a_critical_failure_caps_the_score(app, client, db, field):
    login(client, "reza")
    definition = field["definition"]
    critical = next(i for i in definition["items"] if i.get("critical") and i["type"] == "pass_fail")
    p = f"item-{critical['code']}-"
    data = {**visit_fields(client, field), **all_pass(definition), p + "result": "fail",
            p + "action": "لوله‌کش اعزام شود", p + "photo": (io.BytesIO(jpeg()), "IMG_0001.JPG")}
    response = client.post("/inspect/submit", data=data, headers=JSON, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["score_percent"] <= definition["scoring"].get("cap_percent", 0)
    photo = db.session.scalar(select(InspectionPhoto))
    path = Path(app.config["PHOTO_DIR"]) / photo.file_path
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    assert Path(str(path).replace(".jpg", ".thumb.jpg")).exists()
    assert photo.item_code == critical["code"] and len(photo.sha256) == 64
    action = db.session.scalar(select(CorrectiveAction))
    assert action.item_code == critical["code"] and action.status == "open"
    assert client.get(f"/inspect/photos/{photo.id}?thumb=1").status_code == 200


def test_a_missing_thumbnail_is_made_again(app, client, db, field, tmp_path):
    from surveyor.inspect.photos import store_photo, thumbnail_path
    stored = store_photo(jpeg(), tmp_path, 10_000_000)
    thumb = tmp_path / thumbnail_path(stored.relative_path)
    thumb.unlink()
    assert store_photo(jpeg(), tmp_path, 10_000_000) == stored and thumb.is_file()  # the same photo sent again

    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i.get("photo_on_fail") and i["type"] == "pass_fail")
    p = f"item-{item['code']}-"
    data = {**visit_fields(client, field), **all_pass(definition), p + "result": "fail", p + "action": "رفع شود",
            p + "photo": (io.BytesIO(jpeg()), "IMG_0002.JPG")}
    assert client.post("/inspect/submit", data=data, headers=JSON, content_type="multipart/form-data").status_code == 201
    photo = db.session.scalar(select(InspectionPhoto))
    on_disk = Path(app.config["PHOTO_DIR"]) / thumbnail_path(photo.file_path)
    on_disk.unlink()
    shown = client.get(f"/inspect/photos/{photo.id}?thumb=1")
    assert shown.status_code == 200 and on_disk.is_file()
    with Image.open(io.BytesIO(shown.get_data())) as image:
        assert max(image.size) <= 320  # the thumbnail, not the full photo


def test_a_measurement_must_be_a_finite_number(client, db, field):
    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "measurement")
    base = {**visit_fields(client, field), **all_pass(definition)}
    for text in ("nan", "inf", "-Infinity", "1e999"):
        response = client.post("/inspect/submit?lang=en", data={**base, f"item-{item['code']}-measured": text},
                               headers=JSON)
        assert response.status_code == 400, text
        assert response.json["errors"] == {item["code"]: "Enter a number."}, text
    assert count(db) == 0


def test_a_file_that_is_not_a_photo_is_refused(client, db, field):
    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["role"] == "check")
    data = {**visit_fields(client, field), **all_pass(definition),
            f"item-{item['code']}-photo": (io.BytesIO(b"%PDF-1.4 not an image"), "photo.jpg")}
    response = client.post("/inspect/submit", data=data, headers=JSON, content_type="multipart/form-data")
    assert response.status_code == 400 and item["code"] in response.json["errors"]
    assert count(db) == 0 and count(db, InspectionPhoto) == 0


def test_without_javascript_the_inspector_lands_on_the_result(client, db, field):
    login(client, "reza")
    data = {**visit_fields(client, field, assignment=False), **all_pass(field["definition"])}
    response = client.post("/inspect/submit", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"] + "?lang=fa").get_data(as_text=True)
    assert "۱۰۰٫۰٪" in page


def test_another_inspectors_assignment_is_refused(client, db, field):
    login(client, "omid")
    assert client.get(f"/inspect/form?assignment={db.session.scalar(select(Assignment.id))}").status_code == 404
    data = {**visit_fields(client, field, assignment=False), **all_pass(field["definition"]),
            "assignment_id": str(db.session.scalar(select(Assignment.id)))}
    response = client.post("/inspect/submit", data=data, headers=JSON)
    assert response.status_code == 400 and count(db) == 0


def test_another_inspectors_client_id_is_refused_and_tells_nothing(app, db, field):
    reza = client_as(app, "reza")
    data = {**visit_fields(reza, field, assignment=False), **all_pass(field["definition"])}
    stored = reza.post("/inspect/submit", data=data, headers=JSON)
    assert stored.status_code == 201
    omid = client_as(app, "omid")
    token = visit_fields(omid, field, assignment=False)["csrf_token"]
    resend = omid.post("/inspect/submit?lang=en", data={**data, "csrf_token": token}, headers=JSON)
    assert resend.status_code == 409 and set(resend.json) == {"errors"}
    assert "another inspector" in resend.json["errors"]["form"].lower()
    page = omid.post("/inspect/submit?lang=en", data={**data, "csrf_token": token})
    assert page.status_code == 409 and "another inspector" in page.get_data(as_text=True).lower()
    assert "Location" not in page.headers and f"/inspections/{stored.json['id']}" not in page.get_data(as_text=True)
    again = reza.post("/inspect/submit", data=data, headers=JSON)
    assert again.status_code == 200 and again.json["status"] == "duplicate"  # its own inspector may re-send
    assert count(db) == 1


def test_an_assignment_completes_only_with_its_own_checklist_and_site(app, db, field):
    reza = client_as(app, "reza")
    other = db.session.scalar(select(Instrument).where(Instrument.kind == "checklist", Instrument.code != "SRV-C01"))
    base = {**visit_fields(reza, field), **all_pass(field["definition"])}
    wrong_site = reza.post("/inspect/submit", data={**base, "point_id": str(field["points"][1].id)}, headers=JSON)
    assert wrong_site.status_code == 400 and "form" in wrong_site.json["errors"]
    wrong_checklist = reza.post("/inspect/submit", data={**base, "version_id": str(latest_version_id(other.id))},
                               headers=JSON)
    assert wrong_checklist.status_code == 400 and "form" in wrong_checklist.json["errors"]
    assert count(db) == 0 and db.session.scalar(select(Assignment.completed_at)) is None
    assert reza.post("/inspect/submit", data=base, headers=JSON).status_code == 201


def test_unassigned_inspections_pair_a_checklist_only_with_the_sites_it_is_used_at(app, db, field):
    reza = client_as(app, "reza")
    shell = reza.get("/inspect/?lang=en").get_data(as_text=True)
    toilets, park = field["points"], field["park"]
    assert all(f'value="SRV-C01:{p.id}"' in shell for p in toilets)
    assert f'value="SRV-C02:{park.id}"' in shell and f'value="SRV-C01:{park.id}"' not in shell
    form = reza.get(f"/inspect/form?visit=SRV-C01:{toilets[1].id}")
    assert form.status_code == 200
    assert reza.get(f"/inspect/form?visit=SRV-C01:{park.id}").status_code == 404
    assert reza.get(f"/inspect/form?checklist=SRV-C01&point={park.id}").status_code == 404
    data = {**visit_fields(reza, field, assignment=False), **all_pass(field["definition"]), "point_id": str(park.id)}
    refused = reza.post("/inspect/submit", data=data, headers=JSON)
    assert refused.status_code == 400 and "form" in refused.json["errors"] and count(db) == 0


def test_export_csv(client, db, field, runner, tmp_path):
    login(client, "reza")
    data = {**visit_fields(client, field), **all_pass(field["definition"])}
    client.post("/inspect/submit", data=data, headers=JSON)
    # A second inspection fails two items, one of them critical (neither needs a photo).
    items = [i for i in field["definition"]["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail")]
    critical = next(i["code"] for i in items if i.get("critical"))
    ordinary = next(i["code"] for i in items if not i.get("critical"))
    failing = {**visit_fields(client, field, assignment=False), **all_pass(field["definition"])}
    for code in (critical, ordinary):
        failing.update({f"item-{code}-result": "fail", f"item-{code}-action": "رفع شود"})
    assert client.post("/inspect/submit", data=failing, headers=JSON).status_code == 201
    out = tmp_path / "toilets.csv"
    result = runner.invoke(args=["inspections", "export", "SRV-C01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    import csv
    first_line, *lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert first_line == "# Surveyor export of SRV-C01 (inspections); filters: none"
    rows = list(csv.DictReader(lines))
    assert len(rows) == 2
    row = rows[0]
    assert (row["service_point"], row["district"], row["score_percent"], row["grade"]) == ("WC-07", "7", "100.0", "A")
    assert row["latitude"] == "36.297" and row["critical_failed"] == "0"
    assert row["failed_items"] == "" and row["critical_failed_items"] == ""
    section = field["definition"]["dimensions"][0]["code"]
    assert row[f"section:{section}"] == "100.0"
    failed = rows[1]
    assert failed["critical_failed"] == "1" and failed["critical_failed_items"] == critical
    assert set(failed["failed_items"].split(";")) == {critical, ordinary}


def test_without_javascript_a_refused_failure_shows_its_photo_and_action_fields_open(client, db, field):
    """The page sent back for a failed item without its photo opens that item's note, photo and
    action box, so an inspector without JavaScript sees where the photo goes."""
    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i.get("photo_on_fail") and i["type"] == "pass_fail")
    passed = next(i for i in definition["items"] if i["type"] == "pass_fail" and i["code"] != item["code"])
    p = f"item-{item['code']}-"
    data = {**visit_fields(client, field), **all_pass(definition), p + "result": "fail"}
    page = client.post("/inspect/submit?lang=fa", data=data)
    assert page.status_code == 400
    body = page.get_data(as_text=True)
    failed_box = body.split(f'id="item-{item["code"]}"')[1].split("</fieldset>")[0]
    passed_box = body.split(f'id="item-{passed["code"]}"')[1].split("</fieldset>")[0]
    assert '<details class="extras" open>' in failed_box and f'name="{p}photo"' in failed_box
    assert '<details class="extras">' in passed_box
    assert count(db) == 0


def test_one_photo_stored_by_parallel_requests_is_written_once_and_whole(tmp_path):
    """Two re-sends of one inspection store the same photo at the same moment: each writes its own
    temporary file, so neither fails, and no temporary file is left behind."""
    import threading

    from surveyor.inspect.photos import store_photo, thumbnail_path
    payload, errors, stored = jpeg(), [], []
    barrier = threading.Barrier(6)

    def store():
        barrier.wait()
        try:
            stored.append(store_photo(payload, tmp_path, 10_000_000))
        except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(exc)

    for _ in range(5):
        threads = [threading.Thread(target=store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for path in tmp_path.rglob("*"):
            if path.is_file() and not path.name.endswith(".jpg"):
                raise AssertionError(f"left behind: {path}")
    assert errors == []
    photo = stored[0]
    assert {s.relative_path for s in stored} == {photo.relative_path}
    assert (tmp_path / photo.relative_path).read_bytes()[:2] == b"\xff\xd8"
    assert (tmp_path / thumbnail_path(photo.relative_path)).is_file()


def test_a_tablet_clock_far_off_is_not_believed(app, db, field):
    """A clock reset to 2000 (a flat battery) or a year ahead: the server's time is recorded."""
    import datetime as dt
    reza = client_as(app, "reza")
    for claimed in (dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
                    dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)):
        data = {**visit_fields(reza, field, assignment=False), **all_pass(field["definition"]),
                "point_id": str(field["points"][0].id), "started_at": claimed.isoformat()}
        response = reza.post("/inspect/submit", data=data, headers=JSON)
        assert response.status_code == 201, response.json
        stored = db.session.get(Inspection, response.json["id"])
        started = stored.started_at.replace(tzinfo=dt.timezone.utc)
        assert abs(started - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5), claimed
    recent = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)  # three days offline: believed
    data = {**visit_fields(reza, field, assignment=False), **all_pass(field["definition"]),
            "point_id": str(field["points"][0].id), "started_at": recent.isoformat()}
    stored = db.session.get(Inspection, reza.post("/inspect/submit", data=data, headers=JSON).json["id"])
    assert abs(stored.started_at.replace(tzinfo=dt.timezone.utc) - recent) < dt.timedelta(seconds=1)


def test_the_app_names_its_own_address_for_the_offline_client(app, db, field):
    """The offline client and its service worker take the app's address from the page (behind a
    proxy that adds a path prefix it is not /inspect/), not from a path written into the script."""
    reza = client_as(app, "reza")
    page = reza.get("/inspect/", base_url="http://localhost/field").get_data(as_text=True)
    assert 'data-shell-url="/field/inspect/"' in page
    worker = reza.get("/inspect/sw.js", base_url="http://localhost/field")
    assert worker.headers["Service-Worker-Allowed"] == "/field/inspect/"
