"""Preview as a citizen: the live survey page for administrators, storing nothing, even while
collection is closed; and the attacks on it (no login, another role or administrator, a forged,
foreign or expired token, a submit without CSRF, a preview posted to the real link)."""
from __future__ import annotations

import re
import time
from html import unescape

import pytest
from sqlalchemy import func, select

from surveyor.models import RateCounter, Response, ServicePoint, SurveyLink
from surveyor.survey import preview
from tests.conftest import GOOD_ANSWERS, csrf_token, form_token
from tests.inspect.conftest import client_as


@pytest.fixture
def staff(app, station, make_user):
    make_user("root", "admin", "a strong pass phrase")
    make_user("root2", "admin", "a strong pass phrase")
    make_user("rana", "researcher", "a strong pass phrase")
    return {name: client_as(app, name) for name in ("root", "root2", "rana")}


def _preview_urls(client, db, code: str) -> dict[str, str]:
    """The preview links the service point's page offers for ``code``, by language."""
    point = db.session.scalar(select(ServicePoint))
    token = db.session.scalar(select(SurveyLink.token).join(SurveyLink.instrument).where(
        SurveyLink.retired_at.is_(None), SurveyLink.instrument.has(code=code)))
    page = client.get(f"/admin/points/{point.id}").get_data(as_text=True)
    return {lang: unescape(url) for url, lang in re.findall(
        rf'<a href="(/s/{re.escape(token)}/preview\?[^"]+)" lang="(\w+)"', page)}


def _stored(db) -> tuple[int, int]:
    """Responses and rate-counter rows: a preview adds to neither."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(RateCounter)))


def test_each_language_of_each_pair_has_a_preview_that_stores_nothing(staff, db, station):
    root = staff["root"]
    for code in station:  # TRN-Q01 is open, SRV-Q04 closed: both preview
        urls = _preview_urls(root, db, code)
        assert set(urls) == {"fa", "ar", "en"}, code
        for lang, url in urls.items():
            before = _stored(db)
            page = root.get(url)
            body = page.get_data(as_text=True)
            assert page.status_code == 200, (code, lang)
            assert f'<html lang="{lang}"' in body and 'class="preview-banner"' in body
            assert 'name="form_token"' not in body and "js/survey.js" not in body
            assert _stored(db) == before  # not even a page counter
    english = root.get(_preview_urls(root, db, "SRV-Q04")["en"]).get_data(as_text=True)
    assert "Preview: nothing you send here is stored." in english and "Collection is closed now" in english
    persian = root.get(_preview_urls(root, db, "TRN-Q01")["fa"]).get_data(as_text=True)
    assert "پیش‌نمایش" in persian


def test_sending_a_preview_checks_the_answers_and_stores_nothing(staff, db, station):
    root = staff["root"]
    url = _preview_urls(root, db, "TRN-Q01")["en"]
    page = root.get(url).get_data(as_text=True)
    assert f'action="{url}"'.replace("&", "&amp;") in page  # the form posts back to the preview
    before = _stored(db)
    good = root.post(url, data={"csrf_token": csrf_token(page), **GOOD_ANSWERS})
    assert good.status_code == 200 and "would have been accepted" in good.get_data(as_text=True)
    bad = root.post(url, data={"csrf_token": csrf_token(page), **GOOD_ANSWERS, "overall": "9"})
    assert bad.status_code == 400 and 'class="form-error"' in bad.get_data(as_text=True)
    assert root.post(url, data=GOOD_ANSWERS).status_code == 400  # no CSRF token
    assert _stored(db) == before


def test_a_preview_works_while_closed_and_the_real_link_still_refuses(app, staff, db, station):
    root = staff["root"]
    url = _preview_urls(root, db, "SRV-Q04")["fa"]
    assert root.get(url).status_code == 200
    citizen = app.test_client()
    assert citizen.get(f"/s/{station['SRV-Q04']}").status_code == 403
    assert citizen.post(f"/s/{station['SRV-Q04']}", data=GOOD_ANSWERS).status_code == 403


def test_nobody_else_can_use_a_preview_link(app, staff, db, station):
    url = _preview_urls(staff["root"], db, "SRV-Q04")["en"]
    before = _stored(db)
    anonymous = app.test_client()
    visitor = anonymous.get(url)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    assert anonymous.post(url, data=GOOD_ANSWERS).status_code in (302, 400)
    assert staff["rana"].get(url).status_code == 403  # a researcher
    other_admin = staff["root2"].get(url)  # the token is root's
    assert other_admin.status_code == 403 and "cannot be used" in other_admin.get_data(as_text=True)
    assert _stored(db) == before


def _with_token(url: str, token: str) -> str:
    return re.sub(r"p=[^&]+", f"p={token}", url)


def test_forged_foreign_and_expired_tokens_are_refused(app, staff, db, station):
    root = staff["root"]
    url = _preview_urls(root, db, "SRV-Q04")["en"]
    signed = re.search(r"p=([^&]+)", url).group(1)
    root_id = root.get("/password") and db.session.scalar(
        select(SurveyLink.id).where(SurveyLink.token == station["SRV-Q04"]))
    from surveyor.models import User
    admin_id = db.session.scalar(select(User.id).where(User.username == "root"))
    other_link = db.session.scalar(select(SurveyLink.id).where(SurveyLink.token == station["TRN-Q01"]))
    with app.test_request_context():
        expired = preview.issue(root_id, admin_id, issued=time.time() - (preview.PREVIEW_HOURS * 3600 + 60))
        foreign = preview.issue(other_link, admin_id)  # genuine, for the other questionnaire's link
        future = preview.issue(root_id, admin_id, issued=time.time() + 3600 * 24)
    for token in (signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"), "", "junk", expired, foreign, future):
        response = root.get(_with_token(url, token))
        assert response.status_code == 403, token
        assert "cannot be used" in response.get_data(as_text=True)
    assert root.get(url.split("?")[0] + "?lang=en").status_code == 403  # no token at all
    assert root.get(url).status_code == 200


def test_a_preview_page_posted_to_the_real_link_stores_nothing(app, staff, db, station):
    """What a citizen could try: take a preview page (it carries no form token) and send it to the
    real, open link: it is not a page the server made, so it is shown again and nothing is kept."""
    root = staff["root"]
    url = _preview_urls(root, db, "TRN-Q01")["fa"]
    page = root.get(url).get_data(as_text=True)
    before = db.session.scalar(select(func.count()).select_from(Response))
    citizen = app.test_client()
    sent = citizen.post(f"/s/{station['TRN-Q01']}", data={"csrf_token": csrf_token(page), **GOOD_ANSWERS})
    assert sent.status_code == 400 and form_token(sent.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Response)) == before


def test_a_preview_of_an_unknown_or_retired_link_is_a_clear_page(staff, db, station):
    root = staff["root"]
    url = _preview_urls(root, db, "TRN-Q01")["en"]
    assert root.get("/s/unknown-token/preview?lang=en").status_code == 404
    link = db.session.scalar(select(SurveyLink).where(SurveyLink.token == station["TRN-Q01"]))
    from surveyor.models import utcnow
    link.retired_at = utcnow()
    db.session.commit()
    assert root.get(url).status_code == 410
