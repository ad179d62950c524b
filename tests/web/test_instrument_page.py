"""The instrument page: any instrument, in any of its languages, as its respondent or inspector
sees it, with its version history."""
from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def staff(client, loaded, make_user):
    make_user("reader", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "reader",
                                "password": "a strong pass phrase"})
    return client


def test_the_page_needs_a_staff_login(client, loaded):
    response = client.get("/instruments/TRN-Q01")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("show, direction, text", [
    ("fa", "rtl", "روی‌هم‌رفته چقدر از خدمات قطار شهری راضی هستید؟"),
    ("ar", "rtl", "بشكل عام، ما مدى رضاك عن خدمات المترو؟"),
    ("en", "ltr", "Overall, how satisfied are you with the metro service?"),
])
def test_a_questionnaire_in_each_language(staff, show, direction, text):
    body = staff.get(f"/instruments/TRN-Q01?show={show}&lang=fa").get_data(as_text=True)
    assert text in body
    assert f'<div class="preview" lang="{show}" dir="{direction}">' in body
    assert 'type="radio"' in body and "تاریخچهٔ نسخه‌ها" in body


def test_a_checklist_shows_weights_critical_items_and_ranges(staff):
    body = staff.get("/instruments/TRN-C01?lang=en").get_data(as_text=True)
    assert "Critical" in body and "Weight" in body and "Photo if failed" in body
    assert "lux" in body and "≥" in body


def fieldsets(html: str) -> dict[str, str]:
    """{item code: its fieldset} in a page's checklist items."""
    return {m.group(1): m.group(0) for m in re.finditer(
        r'<fieldset class="check[^"]*" id="item-([a-z0-9_]+)"[^>]*>.*?</fieldset>', html, re.S)}


def controls(fieldset: str) -> list[tuple[str, str]]:
    """(control, name[=value]) of every form control in a fieldset, in order."""
    found = []
    for tag, attrs in re.findall(r"<(input|select|textarea)\b([^>]*)>", fieldset):
        name = re.search(r'name="([^"]+)"', attrs).group(1)
        value = re.search(r'value="([^"]*)"', attrs) if 'type="radio"' in attrs else None
        found.append((tag, name + (f"={value.group(1)}" if value else "")))
    return found


@pytest.mark.parametrize("code", ["TRN-C01", "CIV-C01"])
def test_a_checklist_preview_is_the_inspectors_form_disabled(staff, loaded, code):
    from surveyor.models import Instrument

    definition = loaded.session.query(Instrument).filter_by(code=code).one().latest.definition
    body = staff.get(f"/instruments/{code}?show=en&lang=en").get_data(as_text=True)
    preview = body.split('<div class="preview"', 1)[1].split('<section class="card">\n  <h2>Version history', 1)[0]
    assert "<form" not in preview and "<button" not in preview
    shown = fieldsets(preview)
    assert list(shown) == [i["code"] for i in definition["items"] if i["role"] == "site"] + \
        [i["code"] for d in definition["dimensions"] for i in definition["items"]
         if i["role"] == "check" and i["dimension"] == d["code"]]
    for item in definition["items"]:
        html, p = shown[item["code"]], f"item-{item['code']}-"
        assert re.match(r"<fieldset[^>]* disabled>", html), html          # nothing can be filled in or sent
        names = [name for _, name in controls(html)]
        if item["role"] == "site":
            expected = [p + "value"]
            if item["type"] == "choice":
                assert [v for v in re.findall(r'<option value="([^"]*)"', html)] == \
                    [""] + [str(o["value"]) for o in item["options"]]
            assert names == expected
            assert "Weight" not in html
            continue
        answers = {"pass_fail": [p + "result=pass", p + "result=fail"],
                   "rating4": [f"{p}rating={r}" for r in range(5)], "measurement": [p + "measured"]}[item["type"]]
        na = [p + "result=na"] if item["not_applicable"] else []
        assert names == answers + na + [p + "note", p + "photo", p + "action"], (item["code"], names)
        assert f"Weight {item['weight']:g}" in html
        assert ("badge-critical" in html) == item["critical"]
        assert ("Photo if failed" in html) == item["photo_on_fail"]
        assert ("Corrective action if failed" in html) == item["action_on_fail"]
        if item["type"] == "measurement":
            low, high = item["acceptable"].get("min"), item["acceptable"].get("max")
            meta = re.search(r'<span class="badge">Measured: (.*?)</span>', html).group(1)
            assert (f"≥ {low:g}" in meta) if low is not None else "≥" not in meta
            assert (f"≤ {high:g}" in meta) if high is not None else "≤" not in meta
            assert item["unit"]["en"] in meta


def test_the_preview_and_the_inspector_form_have_the_same_controls(client, loaded, make_user):
    from surveyor.models import ServicePoint
    from surveyor.service_points.importer import import_points

    make_user("sara", "supervisor", "a strong pass phrase")
    import_points(loaded.session, "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
                                  "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,,7,,,SRV-C01\n")
    loaded.session.commit()
    point = loaded.session.query(ServicePoint).one()
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "sara",
                                "password": "a strong pass phrase"})
    form = client.get(f"/inspect/form?checklist=SRV-C01&point={point.id}&lang=fa").get_data(as_text=True)
    preview = client.get("/instruments/SRV-C01?show=fa&lang=fa").get_data(as_text=True)
    in_form, in_preview = fieldsets(form), fieldsets(preview)
    assert list(in_form) == list(in_preview) and len(in_form) > 20
    for code, html in in_form.items():
        assert controls(html) == controls(in_preview[code])
        assert " disabled" not in html.split(">", 1)[0]                  # the inspector's form is live
        legend = re.search(r"<legend>.*?</legend>", html, re.S).group(0)
        assert legend == re.search(r"<legend>.*?</legend>", in_preview[code], re.S).group(0)


def test_unknown_instruments_and_versions(staff):
    assert staff.get("/instruments/XXX-Q01").status_code == 404
    assert "Version 1 •" in staff.get("/instruments/TRN-Q01?version=99&lang=en").get_data(as_text=True)  # the latest


def test_an_edited_instrument_shows_version_2_and_keeps_version_1_readable(
        app, db, client, runner, make_user, instruments_dir):
    import yaml

    app.config["INSTRUMENTS_DIR"] = str(instruments_dir)
    assert runner.invoke(args=["instruments", "sync"]).exit_code == 0
    make_user("reader", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "reader",
                                "password": "a strong pass phrase"})
    old, new = "فاصله زمانی حرکت قطارها (مدت انتظار روی سکو)", "فاصله زمانی میان دو قطار پیاپی"
    path = instruments_dir / "questionnaires" / "trn-q01.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    headway = next(i for i in doc["items"] if i["code"] == "headway")
    assert headway["labels"]["fa"] == old
    headway["labels"]["fa"] = new
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = runner.invoke(args=["instruments", "sync"])
    assert "TRN-Q01: changed, stored as version 2" in result.output

    latest = client.get("/instruments/TRN-Q01?show=fa&lang=en").get_data(as_text=True)
    assert new in latest and old not in latest and "Version 2 •" in latest
    first = client.get("/instruments/TRN-Q01?version=1&show=fa&lang=en").get_data(as_text=True)
    assert old in first and new not in first and "Version 1 •" in first
    assert 'href="/instruments/TRN-Q01?version=1&amp;show=fa"' in latest     # the history links to it
