"""The home page and error pages in Persian, Arabic and English."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from surveyor.instruments.catalog import DOMAINS
from surveyor.instruments.rules import catalog
from tests.conftest import csrf_token


@pytest.mark.parametrize("lang, direction, heading", [
    ("fa", "rtl", "کتابخانهٔ ابزارهای سنجش"),
    ("ar", "rtl", "مكتبة أدوات القياس"),
    ("en", "ltr", "Instrument library"),
])
def test_home_lists_the_instruments_in_each_language(loaded, client, lang, direction, heading):
    body = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in body
    assert heading in body
    assert "TRN-Q01" in body


def sections_of(body: str) -> dict[str, dict[str, list[str]]]:
    """{domain heading: {kind heading: [codes in its table]}} as the page shows them."""
    shown = {}
    for section in body.split('<section class="domain"')[1:]:
        section = section.split("</section>", 1)[0]
        domain = re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1)
        kinds = {}
        for part in section.split("<h3")[1:]:
            kind = re.search(r">(.*?) <span", part).group(1)
            kinds[kind] = re.findall(r'<td class="code" dir="ltr">(?:<a [^>]*>)?([A-Z]{3}-[QC][0-9]{2})<', part)
        shown[domain] = kinds
    return shown


@pytest.mark.parametrize("lang, kind_names", [
    ("en", {"questionnaire": "Questionnaires", "checklist": "Checklists"}),
    ("fa", {"questionnaire": "پرسشنامه‌های نظرسنجی", "checklist": "چک‌لیست‌های کیفیت‌سنجی"}),
    ("ar", {"questionnaire": "الاستبيانات", "checklist": "قوائم تدقيق الجودة"}),
])
def test_staff_home_lists_all_52_by_domain_and_kind(app, loaded, client, make_user, lang, kind_names):
    make_user("reader", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "reader",
                                "password": "a strong pass phrase"})
    body = client.get(f"/?lang={lang}").get_data(as_text=True)
    with app.test_request_context(), force_locale(lang):
        expected = {str(name): {kind_names[kind]: sorted(code for code, entry in catalog().items()
                                                         if entry["domain"] == domain and entry["kind"] == kind)
                                for kind in ("questionnaire", "checklist")}
                    for domain, name in DOMAINS.items()}
    shown = sections_of(body)
    assert list(shown) == list(expected)                                # the 4 domains in catalog order
    assert shown == expected                                            # questionnaires, then checklists
    assert sum(len(codes) for kinds in shown.values() for codes in kinds.values()) == 52
    assert 'href="/instruments/CIV-C06"' in body                        # staff open each instrument


def test_persian_is_the_default_with_persian_digits_and_jalali_dates(loaded, client):
    body = client.get("/").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in body
    assert "رضایت مسافران قطار شهری" in body and "حمل‌ونقل" in body
    row = body.split("TRN-Q01", 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<td class="number"[^>]*>[۰-۹]+</td>', row)                  # item count in Persian digits
    assert re.search(r'<td class="number"[^>]*>۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2}</td>', row)  # a Jalali date
    assert not re.search(r">[^<]*[0-9][^<]*<", row.split("\n", 1)[1])  # no ASCII digits in the text


def test_the_language_choice_is_remembered(loaded, client):
    client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_the_web_font_is_served_by_the_app(client):
    page = client.get("/").get_data(as_text=True)
    font = re.search(r'@font-face\{font-family:"Surveyor Sans";src:url\("(/static/fonts/[^"]+)"\)', page).group(1)
    assert font in page.split("<style>")[0]  # the preloaded URL is the one the font face uses
    response = client.get(font)
    assert response.status_code == 200 and response.data[:4] == b"wOF2"
    css = client.get("/static/css/surveyor.css").get_data(as_text=True)
    assert "http" not in css and "@import" not in css


def test_errors_are_translated_pages_for_browsers_and_json_for_api_clients(client):
    page = client.get("/no-such-page?lang=fa")
    assert page.status_code == 404 and "این صفحه وجود ندارد" in page.get_data(as_text=True)
    api = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.json["error"]["status"] == 404


def test_an_unexpected_error_shows_no_stack_trace(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom?lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and "secret internals" not in body
