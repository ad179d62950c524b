"""Penetration test, faults: what a tablet and a citizen are told when the server's storage
fails under them, and text the databases disagree on.

Fault 4: a full disk, a read-only photo folder, a stopped database gave a 500; now a 503 with
``Retry-After`` and a translated message, so that a tablet keeps the inspection and tries again.
Fault 5: NUL characters (U+0000), stored by SQLite and refused by PostgreSQL, are now removed
from every submitted text on both.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyor import create_app
from surveyor.models import Inspection
from tests.inspect.conftest import all_pass, field, jpeg, login, visit_fields  # noqa: F401  (field: a fixture)

JSON = {"Accept": "application/json"}


def count(db, model=Inspection) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, options: str):
    """A small tmpfs mounted on ``folder`` (root only): a real read-only or full file system."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a file system needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` made read-only: chmod for an ordinary user; for root (whom chmod does not stop)
    a read-only file system mounted there."""
    if os.geteuid() == 0:
        with mounted_tmpfs(folder, "ro,size=1m"):
            yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


def inspection_with_a_photo(client, field) -> dict:
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["role"] == "check")
    return {**visit_fields(client, field), **all_pass(definition),
            f"item-{item['code']}-photo": (io.BytesIO(jpeg()), "IMG_0001.JPG")}


def assert_retry_later(response, lang_words: str) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    assert lang_words in body and "Traceback" not in body


def test_fault4_a_read_only_photo_folder_is_a_503_to_try_again_and_nothing_is_stored(app, client, db, field):
    login(client, "reza")
    data = inspection_with_a_photo(client, field)
    with read_only(Path(app.config["PHOTO_DIR"])):
        response = client.post("/inspect/submit?lang=en", data=data, headers=JSON, content_type="multipart/form-data")
        assert_retry_later(response, "try again in a few minutes")
        assert response.json["error"]["status"] == 503
    assert count(db) == 0
    # Once the folder takes writes again, the tablet's re-send is stored (the same client id).
    again = client.post("/inspect/submit", data={**data, **inspection_with_a_photo(client, field),
                                                 "client_id": data["client_id"]},
                        headers=JSON, content_type="multipart/form-data")
    assert again.status_code == 201 and count(db) == 1


def test_fault4_a_full_disk_is_a_503_in_the_inspectors_language(app, client, db, field):
    login(client, "reza")
    data = inspection_with_a_photo(client, field)
    with mounted_tmpfs(Path(app.config["PHOTO_DIR"]), "size=64k") as folder:
        with contextlib.suppress(OSError):
            (folder / "filler").write_bytes(b"\0" * 1024 * 1024)  # fills it (ENOSPC)
        response = client.post("/inspect/submit?lang=fa", data=data, content_type="multipart/form-data")
        assert_retry_later(response, "چند دقیقهٔ دیگر دوباره")
    assert count(db) == 0


UNREACHABLE_DATABASES = {
    "postgresql-stopped": "postgresql+psycopg://postgres@127.0.0.1:9/surveyor",  # nothing listens on port 9
    "sqlite-disk-gone": "sqlite:////nonexistent-surveyor-disk/surveyor.sqlite3",  # an unmounted disk
}


@pytest.mark.parametrize("database", sorted(UNREACHABLE_DATABASES))
def test_fault4_a_stopped_database_is_a_503_for_the_tablet_and_the_citizen(app, client, db, field, tmp_path,
                                                                           database):
    """The same app (same key, same signed cookie) with its database gone: the inspector's
    upload, in the middle of a session, and a citizen opening a survey link."""
    login(client, "reza")
    data = inspection_with_a_photo(client, field)
    down = create_app({"SURVEYOR_ENV": "test", "SECRET_KEY": app.config["SECRET_KEY"],
                       "SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASES[database],
                       "INSTANCE_PATH": str(tmp_path / "down")})
    tablet = down.test_client()
    tablet.set_cookie("session", client.get_cookie("session").value)
    response = tablet.post("/inspect/submit?lang=ar", data=data, headers=JSON, content_type="multipart/form-data")
    assert_retry_later(response, "")
    assert "بعد بضع دقائق" in response.json["error"]["message"]
    citizen = down.test_client().get("/s/some-link-token?lang=en")
    assert_retry_later(citizen, "try again in a few minutes")


def test_fault4_a_full_sqlite_database_is_a_503(app, client, db, field):
    """SQLite's "database or disk is full": the file may not grow by a page (max_page_count, the
    limit SQLite applies exactly as it does a full disk)."""
    from sqlalchemy import event
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own full-disk error")
    login(client, "reza")
    notes = {f"item-{item['code']}-note": "یادداشت " * 200 for item in field["definition"]["items"]}
    data = {**visit_fields(client, field), **all_pass(field["definition"]), **notes}  # needs new pages

    def no_room(connection, _record):
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
    db.session.remove()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("VACUUM")  # no free page left inside the file
    db.engine.dispose()
    event.listen(db.engine, "connect", no_room)
    try:
        response = client.post("/inspect/submit?lang=en", data=data, headers=JSON)
    finally:
        db.session.remove()
        event.remove(db.engine, "connect", no_room)
        db.engine.dispose()
    assert_retry_later(response, "")
    assert count(db) == 0


NUL_TEXT = "قطار\x00 شلوغ\x00 است"


def test_fault5_a_nul_in_a_survey_comment_is_removed_the_same_on_sqlite_and_postgresql(client, db, station):
    """SQLite stored the NUL; PostgreSQL refused the whole response with a generic 400. Now
    both store the comment without it (run with ``-m db`` against PostgreSQL too)."""
    from surveyor.models import Answer
    from tests.conftest import GOOD_ANSWERS, form_token
    url = f"/s/{station['TRN-Q01']}?lang=fa"
    data = {"form_token": form_token(client.get(url).get_data(as_text=True)), **GOOD_ANSWERS, "comment": NUL_TEXT}
    assert client.post(url, data=data).status_code == 303
    assert db.session.scalar(select(Answer.value_text).where(Answer.item_code == "comment")) == "قطار شلوغ است"


def test_fault5_a_nul_in_an_inspection_note_action_or_site_value_is_removed(client, db, field):
    from surveyor.models import CorrectiveAction, InspectionItem
    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    site = next(i for i in definition["items"] if i["role"] == "site" and i["type"] == "number")
    data = {**visit_fields(client, field), **all_pass(definition), f"item-{item['code']}-result": "fail",
            f"item-{item['code']}-note": NUL_TEXT, f"item-{item['code']}-action": "تعمیر\x00 شیر",
            f"item-{site['code']}-value": "1\x002"}
    assert client.post("/inspect/submit", data=data, headers=JSON).status_code == 201
    notes = db.session.scalar(select(InspectionItem.note).where(InspectionItem.item_code == item["code"]))
    assert notes == "قطار شلوغ است"
    assert db.session.scalar(select(CorrectiveAction.description)) == "تعمیر شیر"
    assert db.session.scalar(select(InspectionItem.text_value).where(InspectionItem.item_code == site["code"])) == "12"


def test_fault5_a_nul_in_a_query_parameter_is_not_a_database_error(client, db, station):
    assert client.get(f"/s/{station['TRN-Q01']}?lang=fa\x00").status_code == 200
