"""Static files for a phone on a slow network: fingerprinted URLs kept for a year, old
fingerprints redirected to the current file, compressed text, and a real favicon."""
from __future__ import annotations

import gzip
import re
import shutil

import pytest


ASSET = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]{10})"')


def linked_assets(client, url):
    return ASSET.findall(client.get(url).get_data(as_text=True))


def test_the_survey_page_links_every_asset_with_its_content_hash_and_each_is_kept_for_a_year(client, station):
    assets = linked_assets(client, f"/s/{station['TRN-Q01']}")
    paths = {path for path, _ in assets}
    assert {"/static/css/surveyor.css", "/static/js/survey.js", "/static/icons/favicon.ico",
            "/static/fonts/NotoSansArabic-Surveyor.woff2"} <= paths
    for path, fingerprint in assets:
        response = client.get(f"{path}?v={fingerprint}")
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", path


def test_a_file_without_its_fingerprint_is_revalidated_and_answers_304_when_unchanged(client):
    first = client.get("/static/css/surveyor.css")
    assert first.status_code == 200
    assert "immutable" not in first.headers["Cache-Control"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get("/static/css/surveyor.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_stale_fingerprint_from_an_old_cached_page_redirects_to_the_current_file(client):
    current = linked_assets(client, "/login")
    css = next(fingerprint for path, fingerprint in current if path == "/static/css/surveyor.css")
    for stale in ("0123456789", "1", ""):
        response = client.get(f"/static/css/surveyor.css?v={stale}")
        assert response.status_code == 302, stale
        assert response.headers["Location"] == f"/static/css/surveyor.css?v={css}"
        assert "immutable" not in response.headers["Cache-Control"]
        followed = client.get(response.headers["Location"])
        assert followed.status_code == 200 and b".survey-main" in followed.data
    assert client.get("/static/css/no-such.css?v=0123456789").status_code == 404


def test_the_fingerprint_changes_when_the_content_changes(tmp_path, app):
    """A copy of the static folder whose stylesheet is edited: the page links a new URL, the old
    one redirects there, and the new one has the new content."""
    static = tmp_path / "static"
    shutil.copytree(app.static_folder, static)
    app.static_folder = str(static)
    client = app.test_client()
    before = dict(linked_assets(client, "/login"))["/static/css/surveyor.css"]
    css = static / "css" / "surveyor.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.edited-for-the-test { color: red; }\n", encoding="utf-8")
    after = dict(linked_assets(client, "/login"))["/static/css/surveyor.css"]
    assert after != before
    assert client.get(f"/static/css/surveyor.css?v={before}").headers["Location"].endswith(f"v={after}")
    fresh = client.get(f"/static/css/surveyor.css?v={after}")
    assert b".edited-for-the-test" in fresh.data and "immutable" in fresh.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/static/css/surveyor.css", "/static/js/survey.js"])
def test_text_assets_are_gzipped_and_still_revalidate(client, path):
    plain = client.get(path).data
    response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == plain
    assert int(response.headers["Content-Length"]) == len(response.data) < len(plain)
    again = client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_font_and_ranges_are_sent_as_they_are(client):
    font = client.get("/static/fonts/NotoSansArabic-Surveyor.woff2", headers={"Accept-Encoding": "gzip"})
    assert font.status_code == 200 and "Content-Encoding" not in font.headers  # WOFF2 is compressed inside
    part = client.get("/static/css/surveyor.css", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers and len(part.data) == 100


def test_the_favicon_is_a_real_icon_on_every_page(client, station):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response.headers["Cache-Control"]
    for url in (f"/s/{station['TRN-Q01']}", "/login"):
        assert re.search(r'<link rel="icon" href="/static/icons/favicon.ico\?v=[0-9a-f]{10}"',
                         client.get(url).get_data(as_text=True)), url
