"""One language per screen: every page of the app, in Persian and in Arabic, shows no Latin
letter and no Latin digit (0-9) outside the spans marked as code.

The pages are derived from the app's url_map, like tests/test_roles.py: every GET route, as every
role that may use it (tests/test_roles.py's table), with real data behind it so that the pages
have content: a metro station with a live survey link, demo responses, an inspection with a
failed item, its photo and its corrective action. A route added later is swept without a new
test; a route whose path takes a value this file does not know fails until ``_samples`` learns it.

What is read is what a person sees: text, the ``<title>``, the attributes that are shown or read
aloud (``title``, ``placeholder``, ``aria-label``, ``alt``, a button's ``value``), and the texts
a page hands its script in ``<script type="application/json">``. Skipped:
``<script>``, ``<style>``, and code-like spans, which templates mark with ``<code>``, ``<kbd>``,
``<samp>``, the class ``code``, ``translate="no"`` or a ``lang`` other than fa and ar (instrument
and item codes, URLs, usernames, e-mail addresses, file names, the name «English» in the
language menu, a citizen's comment written in English), and the few names in ``NAMES``: formats
(PDF, QR ...), which have no other, and the symbols R², F and p.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from surveyor.models import ROLES
from tests.conftest import csrf_token
from tests.inspect.conftest import client_as, field  # noqa: F401 (field: a fixture)
from tests.test_roles import PUBLIC, ROUTES, TOKEN, reza_inspection  # noqa: F401 (a fixture)

LANGUAGES = ("fa", "ar")
LATIN = re.compile(r"[A-Za-z0-9]+")
PLACES = re.compile(r"\{\w+\}")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
CODE_TAGS = {"code", "kbd", "samp", "script", "style", "metadata"}  # metadata: an inline SVG chart's
# Names of formats and standards that Persian and Arabic write in Latin letters (there is no other
# name for a PDF or a QR code), and the statistical symbols R², and F and p before their «=»; only
# these whole words are allowed.
NAMES = re.compile(r"(?<![A-Za-z0-9])(PDF|CSV|SPSS|Excel|PNG|SVG|QR|NPS|IP|A4|A5|EN 12464-1|R²|[Fp](?= ?=))"
                   r"(?![A-Za-z0-9])")
USERS = {"admin": "root", "researcher": "rana", "supervisor": "sara", "inspector": "reza"}


class VisibleText(HTMLParser):
    """The texts of a page a person sees, each with the tag it is in, skipping marked code."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.texts: list[tuple[str, str]] = []
        self.json: list[str] | None = None  # inside <script type="application/json">: texts for a script

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "fa").split("-")[0]
        skip = (self._skipped() or tag in CODE_TAGS or attrs.get("translate") == "no" or lang not in LANGUAGES
                or "code" in (attrs.get("class") or "").split())
        if not skip:
            for name, value in attrs.items():
                if value and (name in SHOWN_ATTRIBUTES or (name == "value" and tag == "input"
                                                           and attrs.get("type") in ("submit", "button", "reset"))):
                    self.texts.append((f"<{tag} {name}>", value))
        if tag == "script" and attrs.get("type") == "application/json" and not self._skipped():
            self.json = []
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "script" and self.json is not None:
            self._script_texts(json.loads("".join(self.json)))
            self.json = None
        # Close up to the matching tag (an unclosed <p> or <li> must not leave its flag on).
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def _script_texts(self, value):
        """The strings a script shows (its ``{name}`` places are filled with numbers in the
        page's digits by the script itself)."""
        if isinstance(value, str):
            if PLACES.sub("", value).strip():
                self.texts.append(("script text", PLACES.sub("", value)))
        elif isinstance(value, dict):
            for item in value.values():
                self._script_texts(item)
        elif isinstance(value, list):
            for item in value:
                self._script_texts(item)

    def handle_data(self, data):
        if self.json is not None:
            self.json.append(data)
        elif data.strip() and not self._skipped():
            self.texts.append((self.stack[-1][0] if self.stack else "", data.strip()))


def latin_in(html: str) -> list[str]:
    """Each visible text that holds Latin letters or digits, with the Latin runs found."""
    parser = VisibleText()
    parser.feed(html)
    return [f"{where} «{text[:120]}»: {LATIN.findall(NAMES.sub('', text))}" for where, text in parser.texts
            if LATIN.search(NAMES.sub("", text))]


def test_the_scan_finds_latin_outside_code_and_only_there():
    page = ('<html lang="fa"><head><title>سنجه</title><script>var x = 1;</script><style>a{b:1}</style></head>'
            '<body><p>دست‌کم 10 نویسه<p>نقطهٔ <code>MET-01</code> و <span translate="no">reza</span> (PDF) <b class="a code">x</b>'
            '<a lang="en" href="/x">English</a><input placeholder="1403/07/01" value="abc" name="q">'
            '<img alt="logo"><input type="submit" value="Send"><p title="Help">متن</p>'
            '<script type="application/json">{"a": "{n} بازرسی", "b": ["waiting"]}</script>'
            '<p>آزمون: F = ۲٫۱، p = ۰٫۰۳، R² = ۰٫۵</p><p>p</p></body></html>')
    found = latin_in(page)
    assert [f.split(":")[0] for f in found] == ["p «دست‌کم 10 نویسه»", "<input placeholder> «1403/07/01»",
                                                  "<img alt> «logo»", "<input value> «Send»", "<p title> «Help»",
                                                  "script text «waiting»", "p «p»"]


# Values for the parts of paths, from the data built below: each route is visited with each value.
def _samples(field, reza_inspection, station, db):
    from sqlalchemy import select

    from surveyor.models import ServicePoint, User
    users = {u.username: u.id for u in db.session.scalars(select(User))}
    metro = db.session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-01"))
    return {
        "code": ["TRN-Q01", "SRV-C01"],
        "point_id": [metro.id, field["points"][0].id],
        "user_id": [users["sara"], users["reza"]],
        "inspector_id": [users["reza"]],
        "inspection_id": [reza_inspection["inspection"]],
        "action_id": [reza_inspection["action"]],
        "photo_id": [reza_inspection["photo"]],
        "token": [station["TRN-Q01"]],
    }


# Query strings a route needs: each one is visited (the form of an assignment, or of a visit without one).
QUERIES = {"inspect.form": lambda field, ids: [{"assignment": ids["assignment"]},
                                              {"checklist": "SRV-C01", "point": field["points"][1].id}],
           "survey.preview": lambda field, ids: [{"p": ids["preview"]}]}  # signed for the admin who previews
NOT_PAGES = {"static"}  # files, not pages


def _urls(app, samples, ids, field):
    """(endpoint, url) of every GET route, once per sample value of each part of its path."""
    from itertools import product
    urls = []
    with app.test_request_context():
        from flask import url_for
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            names = sorted(rule.arguments)
            choices = []
            for name in names:
                converter = rule._converters.get(name)
                if hasattr(converter, "items"):  # any(a, b): the first choice
                    choices.append([sorted(converter.items)[0]])
                elif name == "fmt":
                    choices.append(["svg"])
                else:
                    assert name in samples, f"{rule.rule}: add sample values for <{name}> to _samples()"
                    choices.append(samples[name])
            queries = QUERIES.get(rule.endpoint, lambda *_: [{}])(field, ids)
            for values, query in product(product(*choices), queries):
                urls.append((rule.endpoint, url_for(rule.endpoint, **dict(zip(names, values)), **query)))
    return urls


def _roles(endpoint):
    _method, _url, allowed = ROUTES[endpoint]
    if allowed is TOKEN:
        return []
    if allowed is PUBLIC:
        return [None, "admin"]
    return sorted(allowed)


def _preview_signature(app, db, token, admin_id) -> str:
    """The signed ``p`` of an administrator's preview of the link ``token``."""
    from urllib.parse import parse_qs, urlparse

    from sqlalchemy import select

    from surveyor.models import SurveyLink
    from surveyor.survey.preview import preview_url
    link = db.session.scalar(select(SurveyLink).where(SurveyLink.token == token))
    with app.test_request_context():
        return parse_qs(urlparse(preview_url(link, admin_id, "fa")).query)["p"][0]


def _demo_data(app, runner):
    result = runner.invoke(args=["demo", "--responses", "400", "--instrument", "TRN-Q01", "--instrument", "SRV-C01",
                                 "--inspections", "8"])
    assert result.exit_code == 0, result.output


def _error_pages(ids):
    """Pages that only a refused or mistaken request reaches, and the messages a change leaves
    (followed to the page that shows them): (name, role, method, url, data)."""
    return [
        ("not found", "admin", "GET", "/no-such-page", None),
        ("forbidden", "inspector", "GET", "/admin/points", None),
        ("import errors", "admin", "POST", "/admin/points/import",
         {"file": (__import__("io").BytesIO(
             "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
             "MET-09,,Station,,14,95,,XXX-Q99\nMET-09,ایستگاه,,,3,36.1,59.5,TRN-Q01\n".encode()), "points.csv")}),
        ("short new password", "admin", "POST", "/password",
         {"current": "a strong pass phrase", "new": "short", "confirm": "short"}),
        ("bad collection dates", "admin", "POST", "/admin/collection/TRN-Q01",
         {"state": "window", "opens_on": "1403/13/45", "closes_on": "x"}),
        ("bad result filters", "researcher", "GET", "/results/TRN-Q01?from=1403/13/01&district=99", None),
        ("bad point form", "admin", "POST", "/admin/points/new",
         {"code": "X" * 40, "name_fa": "", "district": "99", "latitude": "north", "longitude": ""}),
        ("bad assignment", "supervisor", "POST", "/inspect/team",
         {"checklist": "0", "inspector": "0", "points": "NOPE-1", "due": "1405/13/40", "weeks": "99"}),
        ("existing username", "admin", "POST", "/admin/users/new", {"username": "reza", "role": "inspector"}),
        ("import done", "admin", "POST", "/admin/points/import",  # «۱ نقطهٔ تازه، ۰ ...», not «1 ..., 0 ...»
         {"file": (__import__("io").BytesIO(
             "code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
             "MET-77,ایستگاه آزمون,,,3,,,TRN-Q01\n".encode()), "points.csv")}),
        ("team member added", "admin", "POST", f"/admin/users/{ids['sara']}/team", {"inspector": str(ids["omid"])}),
    ]


def test_every_page_in_persian_and_arabic_shows_only_its_language(app, db, runner, field, reza_inspection, station,
                                                                  make_user):
    from surveyor.inspect.routes import bp  # noqa: F401 (the blueprints are registered by create_app)
    from tests.inspect.conftest import field_assignment_id
    _demo_data(app, runner)
    samples = _samples(field, reza_inspection, station, db)
    from sqlalchemy import select

    from surveyor.models import User
    ids = {"assignment": field_assignment_id(field), **{u.username: u.id for u in db.session.scalars(select(User))}}
    ids["preview"] = _preview_signature(app, db, station["TRN-Q01"], ids["root"])
    clients = {role: client_as(app, USERS[role] if role else None) for role in (None, *ROLES)}
    app.config["WTF_CSRF_ENABLED"] = False
    faults, pages, answered = [], 0, set()
    for lang in LANGUAGES:
        for role, client in clients.items():
            client.get(f"/?lang={lang}")
        for endpoint, url in _urls(app, samples, ids, field):
            for role in _roles(endpoint):
                response = clients[role].get(url)
                # Samples that do not belong together (a link the point does not have, a questionnaire's
                # results for a supervisor) answer 404 or 403, pages too; every route must answer 200
                # to each of its roles with at least one of them.
                assert response.status_code in (200, 403, 404), (endpoint, url, role, response.status_code)
                if response.status_code == 200:
                    answered.add((endpoint, role))
                if response.mimetype != "text/html":
                    continue
                pages += 1
                faults += [f"{lang} {role or 'anonymous'} {url}: {fault}"
                           for fault in latin_in(response.get_data(as_text=True))]
        for name, role, method, url, data in _error_pages(ids):
            response = clients[role].open(url, method=method, data=data, follow_redirects=True,
                                          content_type="multipart/form-data" if method == "POST" else None)
            assert response.status_code < 500, (name, response.status_code)
            pages += 1
            faults += [f"{lang} {role} {name} ({url}): {fault}" for fault in latin_in(response.get_data(as_text=True))]
    assert {(e, r) for e, _ in _urls(app, samples, ids, field) for r in _roles(e)} - answered == set()
    assert pages > 40
    assert faults == [], f"{len(faults)} Latin texts on {pages} pages:\n" + "\n".join(faults)
