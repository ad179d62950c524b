"""Issue 13, item 5: the corrective actions list at scale.

Before: ``/inspect/actions`` listed 785 rows on one page (665 KB of HTML), with raw item codes, no
site, no filter, search or paging. Here 812 actions are made through the real model, in two
teams, six sites in four districts and two checklists; each test compares the page, its counts
and its download with what the test itself knows it made (never with the query under test).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import uuid

import openpyxl
import pytest
from sqlalchemy import select

from surveyor.formatting import jalali_date, local_today
from surveyor.inspect.action_list import PER_PAGE
from surveyor.instruments.versions import latest_version_id, version_definition
from surveyor.models import CorrectiveAction, Inspection, Instrument, ServicePoint
from tests.inspect.conftest import client_as

SITES = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
         "WC-07,سرویس بهداشتی بوستان ملت,Mellat Park toilets,مرافق حديقة ملت,7,,,SRV-C01\n"
         "WC-09,سرویس بهداشتی میدان بار,Bar Square toilets,,9,,,SRV-C01\n"
         "WC-01,سرویس بهداشتی کوه‌سنگی,Kuhsangi toilets,,1,,,SRV-C01\n"
         "PK-09,بوستان بهاران,Baharan Park,,9,,,SRV-C02\n"
         "PK-13,بوستان کودک,Children's Park,,13,,,SRV-C02\n"
         "PK-01,بوستان ملت,Mellat Park,,1,,,SRV-C02\n")
# Descriptions, stored as inspectors type them: Persian letters (ی ک), with and without the
# zero-width non-joiner.
DESCRIPTIONS = ("تمیزکاری کف سرویس", "نصب سطل‌های زباله", "تعمیر شیر آب", "رنگ‌آمیزی دیوار", "تعویض لامپ")
STATUSES = ("open", "open", "open", "in_progress", "done", "done", "verified")
N_INSPECTIONS = 116
ACTIONS_EACH = 7   # 812 actions in all


@pytest.fixture
def city(app, db, loaded, make_user):
    """Two teams (Sara leads Reza, Nima leads Omid), a researcher (Rana), an admin (root), and
    812 corrective actions of 116 inspections. Returns what the tests compare against: one dict
    per action with its id, team, site, district, checklist, status, due date and texts."""
    from surveyor.service_points.importer import import_points
    sara, nima = make_user("sara", "supervisor", "a strong pass phrase"), make_user("nima", "supervisor",
                                                                                   "a strong pass phrase")
    reza, omid = make_user("reza", "inspector", "a strong pass phrase"), make_user("omid", "inspector",
                                                                                  "a strong pass phrase")
    reza.supervisor_id, omid.supervisor_id = sara.id, nima.id
    make_user("rana", "researcher", "a strong pass phrase")
    make_user("root", "admin", "a strong pass phrase")
    import_points(db.session, SITES)
    points = {p.code: p for p in db.session.scalars(select(ServicePoint))}
    checklists = {code: db.session.scalar(select(Instrument).where(Instrument.code == code))
                  for code in ("SRV-C01", "SRV-C02")}
    versions = {code: latest_version_id(c.id) for code, c in checklists.items()}
    item_codes = {code: [i["code"] for i in version_definition(v)[1]["items"] if i["role"] == "check"][:ACTIONS_EACH]
                  for code, v in versions.items()}
    today = local_today(app.config["DISPLAY_TIMEZONE"])
    made, n = [], 0
    for k in range(N_INSPECTIONS):
        site = ("WC-07", "WC-09", "WC-01", "PK-09", "PK-13", "PK-01")[k % 6]
        checklist = "SRV-C01" if site.startswith("WC") else "SRV-C02"
        inspector = reza if k % 5 < 3 else omid
        started = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=k % 60, hours=1)
        inspection = Inspection(client_id=str(uuid.uuid4()), instrument_id=checklists[checklist].id,
                                instrument_version_id=versions[checklist], service_point_id=points[site].id,
                                inspector_id=inspector.id, status="submitted", started_at=started,
                                submitted_at=started + dt.timedelta(minutes=20))
        for j in range(ACTIONS_EACH):
            status = STATUSES[n % len(STATUSES)]
            due = None if n % 53 == 0 else today + dt.timedelta(days=(n % 90) - 45)
            inspection.actions.append(CorrectiveAction(
                item_code=item_codes[checklist][j], description=f"{DESCRIPTIONS[n % len(DESCRIPTIONS)]} {n}",
                status=status, due_on=due))
            n += 1
        db.session.add(inspection)
    db.session.commit()
    for action in db.session.scalars(select(CorrectiveAction)):
        inspection, point = action.inspection, action.inspection.service_point
        made.append({"id": action.id, "team": "sara" if inspection.inspector_id == reza.id else "nima",
                     "site": point.code, "district": point.district, "checklist": inspection.instrument.code,
                     "status": action.status, "due": action.due_on, "item": action.item_code,
                     "description": action.description})
    assert len(made) == N_INSPECTIONS * ACTIONS_EACH == 812
    return {"actions": made, "today": today, "definitions": {c: version_definition(v)[1] for c, v in versions.items()}}


def _waiting(action) -> bool:
    return action["status"] in ("open", "in_progress")


def _overdue(action, today) -> bool:
    return _waiting(action) and action["due"] is not None and action["due"] < today


def _expected(city, who="rana", **keep) -> set[int]:
    """The ids the test expects: ``who`` may see them, not verified (unless ``status`` says), and
    each ``keep`` predicate holds."""
    status = keep.pop("status", "not_verified")
    chosen = set()
    for action in city["actions"]:
        if who in ("sara", "nima") and action["team"] != who:
            continue
        if status == "not_verified" and action["status"] == "verified":
            continue
        if status not in ("not_verified", "all") and action["status"] != status:
            continue
        if all(test(action) for test in keep.values()):
            chosen.add(action["id"])
    return chosen


def _page_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r' data-action="(\d+)"', html)]


def _total(html: str) -> tuple[int, ...]:
    """(total, open, in progress, overdue, done, verified) as an English page states them."""
    found = re.search(r"([\d,]+) corrective actions: ([\d,]+) open \(([\d,]+) in progress\), ([\d,]+) overdue, "
                      r"([\d,]+) awaiting verification, ([\d,]+) verified", html)
    assert found, "no totals on the page"
    return tuple(int(g.replace(",", "")) for g in found.groups())


def _csv_ids(data: bytes) -> list[int]:
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][0].startswith("# Surveyor export of corrective actions")
    return [int(row[0]) for row in table[2:]]


def _xlsx_ids(data: bytes) -> list[int]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["data"]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def _all_pages(client, query: str) -> list[int]:
    """Every id listed, page after page, following the pager's own "next" links."""
    url, ids, seen = f"/inspect/actions?lang=en&{query}", [], 0
    while url:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        html = page.get_data(as_text=True)
        ids += _page_ids(html)
        seen += 1
        assert seen < 100
        link = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = link.group(1).replace("&amp;", "&") if link else None
    return ids


def test_the_pages_list_each_action_once_and_the_first_page_is_small(app, city):
    rana = client_as(app, "rana")
    expected = _expected(city)
    first = rana.get("/inspect/actions?lang=fa")
    html = first.get_data(as_text=True)
    size = len(first.data)
    print(f"\nfirst page of {len(expected)} actions: {size / 1024:.1f} KB of HTML (665 KB before, all on one page)")
    assert size < 100 * 1024
    # a supervisor's rows carry their forms (mark done, verify): still small
    followed = client_as(app, "sara").get("/inspect/actions?lang=fa")
    print(f"a supervisor's first page: {len(followed.data) / 1024:.1f} KB")
    assert len(_page_ids(followed.get_data(as_text=True))) == PER_PAGE and len(followed.data) < 100 * 1024
    assert len(_page_ids(html)) == PER_PAGE
    pages = math.ceil(len(expected) / PER_PAGE)
    assert f"صفحه ۱ از {jalali_digits(pages)}" in html
    ids = _all_pages(rana, "")
    assert len(ids) == len(set(ids)) == len(expected) and set(ids) == expected  # each exactly once
    # the order is the list's: soonest due first, those without a due date last
    due = {a["id"]: a["due"] for a in city["actions"]}
    keys = [(due[i] is None, due[i] or dt.date.min, i) for i in ids]
    assert keys == sorted(keys)
    # the filters stay in the page links: district 9, page after page
    nine = _all_pages(rana, "district=9")
    assert sorted(nine) == sorted(_expected(city, district=lambda a: a["district"] == 9))


def jalali_digits(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _check(client, city, query: str, expected: set[int]):
    """The page's total, the pages' ids, and both downloads all equal ``expected``."""
    page = client.get(f"/inspect/actions?lang=en&{query}")
    assert page.status_code == 200, (query, page.status_code)
    total = _total(page.get_data(as_text=True))
    assert total[0] == len(expected), query
    listed = _all_pages(client, query)
    assert sorted(listed) == sorted(expected), query
    csv_ids = _csv_ids(client.get(f"/inspect/actions.csv?lang=en&{query}").data)
    assert sorted(csv_ids) == sorted(expected), query
    assert csv_ids == listed  # the same order too
    assert sorted(_xlsx_ids(client.get(f"/inspect/actions.xlsx?lang=en&{query}").data)) == sorted(expected), query
    return total


def test_each_filter_keeps_what_it_names(app, city):
    rana, today = client_as(app, "rana"), city["today"]
    start, end = today - dt.timedelta(days=10), today + dt.timedelta(days=5)
    persian = jalali_date(start, "fa")  # «۱۴۰۵/۰۸/۲۷»: Persian digits are read too
    cases = [
        ("district=1", _expected(city, d=lambda a: a["district"] == 1)),
        ("district=۱۳", _expected(city, d=lambda a: a["district"] == 13)),
        ("site=wc-09", _expected(city, s=lambda a: a["site"] == "WC-09")),
        ("checklist=SRV-C02", _expected(city, c=lambda a: a["checklist"] == "SRV-C02")),
        ("overdue=1", _expected(city, o=lambda a: _overdue(a, today))),
        (f"due_from={persian}&due_to={jalali_date(end, 'en')}",
         _expected(city, r=lambda a: a["due"] is not None and start <= a["due"] <= end)),
        ("district=9&checklist=SRV-C01&overdue=1",
         _expected(city, d=lambda a: a["district"] == 9, c=lambda a: a["checklist"] == "SRV-C01",
                   o=lambda a: _overdue(a, today))),
    ]
    for status in ("open", "in_progress", "done", "verified", "all"):
        cases.append((f"status={status}", _expected(city, status=status)))
    for query, expected in cases:
        assert expected, query  # every case lists something
        _check(rana, city, query, expected)


def test_the_counts_by_status_agree_with_the_list(app, city):
    rana, today = client_as(app, "rana"), city["today"]
    total = _check(rana, city, "status=all", _expected(city, status="all"))
    actions = city["actions"]
    assert total == (len(actions), sum(_waiting(a) for a in actions),
                     sum(a["status"] == "in_progress" for a in actions), sum(_overdue(a, today) for a in actions),
                     sum(a["status"] == "done" for a in actions), sum(a["status"] == "verified" for a in actions))


def test_the_search_folds_arabic_letters_the_non_joiner_and_digits(app, city):
    rana = client_as(app, "rana")
    has = lambda text: (lambda a: text in a["description"])  # noqa: E731
    # typed on an Arabic keyboard: «ي» and «ك» for «ی» and «ک»
    _check(rana, city, "q=تميزكاري", _expected(city, t=has("تمیزکاری")))
    # without the zero-width non-joiner that the description has («سطل‌های»)
    _check(rana, city, "q=سطلهاي", _expected(city, t=has("سطل‌های")))
    # with one that the description lacks, and a Persian number
    _check(rana, city, "q=تعمیر+شیر+آب+۱۲", _expected(city, t=lambda a: a["description"].startswith("تعمیر شیر آب 12")))
    # a site's name, in Persian with the non-joiner left out, or in English
    _check(rana, city, "q=کوهسنگی", _expected(city, s=lambda a: a["site"] == "WC-01"))
    _check(rana, city, "q=mellat", _expected(city, s=lambda a: a["site"] in ("WC-07", "PK-01")))
    # the failed item's text (not in any description): «دست‌خشک‌کن» typed «دستخشككن»
    hand = next(i for i in city["definitions"]["SRV-C01"]["items"] if i["code"] == "hand_drying")
    assert "دست‌خشک‌کن" in hand["labels"]["fa"]
    _check(rana, city, "q=دستخشككن", _expected(city, i=lambda a: a["item"] == "hand_drying"))
    # nothing matches: an empty list, not an error; % and _ are letters, not wildcards
    for query in ("q=zzzz", "q=%25", "q=k_t"):  # "k_t" as a LIKE pattern would match "Park toilets"
        page = rana.get(f"/inspect/actions?lang=en&{query}")
        assert page.status_code == 200 and _total(page.get_data(as_text=True))[0] == 0, query
        assert "No corrective action matches these filters." in page.get_data(as_text=True)


def test_rows_show_the_item_text_and_the_site_in_the_page_s_language(app, city):
    rana = client_as(app, "rana")
    definition = city["definitions"]["SRV-C01"]
    labels = {i["code"]: i["labels"] for i in definition["items"]}
    fa = rana.get("/inspect/actions?lang=fa&site=WC-07").get_data(as_text=True)
    en = rana.get("/inspect/actions?lang=en&site=WC-07").get_data(as_text=True)
    first = next(a for a in city["actions"] if a["site"] == "WC-07" and a["status"] != "verified")
    assert labels[first["item"]]["fa"] in fa and labels[first["item"]]["en"] in en
    assert "سرویس بهداشتی بوستان ملت" in fa and "Mellat Park toilets" in en
    assert f">{first['item']}<" not in fa and f">{first['item']}<" not in en  # no raw item code as a cell
    assert "منطقه" in fa and re.search(r">۷</a>", fa)  # the district, in Persian digits
    # the download speaks the page's language too
    header = list(csv.reader(io.StringIO(rana.get("/inspect/actions.csv?lang=fa&site=WC-07").data
                                         .decode("utf-8-sig"))))[1]
    assert "وضعیت" in header and "Status" not in header
    cells = list(csv.reader(io.StringIO(rana.get("/inspect/actions.csv?lang=en&site=WC-07").data
                                        .decode("utf-8-sig"))))
    row = dict(zip(cells[1], cells[2]))
    assert row["Service point"] == "Mellat Park toilets" and row["Item"] == labels[row["Item code"]]["en"]


BAD = [
    ("district=14", "district", 400), ("district=abc", "district", 400), ("due_from=1405/13/40", "due_from", 400),
    ("due_from=yesterday", "due_from", 400), ("status=closed", "status", 400), ("overdue=maybe", "overdue", 400),
    ("page=0", "page", 400), ("page=abc", "page", 400), ("page=-1", "page", 400), ("page=99999999999", "page", 400),
    ("q=" + "ب" * 101, "q", 400), ("site=NOPE-1", "site", 404), ("checklist=TRN-C99", "checklist", 404),
    ("checklist=TRN-Q01", "checklist", 404),  # a questionnaire is no checklist
    ("site=" + "X" * 5000, "site", 404),
]


def test_a_bad_filter_gets_a_message_in_the_page_s_language(app, city):
    rana = client_as(app, "rana")
    for query, field, status in BAD:
        # the downloads hold every page, and read no page number
        paths = ("/inspect/actions",) if field == "page" else ("/inspect/actions", "/inspect/actions.csv",
                                                               "/inspect/actions.xlsx")
        for path in paths:
            page = rana.get(f"{path}?lang=fa&{query}")
            assert page.status_code == status, (path, query, page.status_code)
            html = page.get_data(as_text=True)
            assert f'id="{field}-error"' in html or field == "page", (path, query)
            assert "برخی پالایه‌ها نیاز به بررسی دارند" in html, (path, query)  # in Persian
            assert "data-action=" not in html, (path, query)  # no list that the bad value would misstate


def test_dates_in_the_wrong_order_and_pages_past_the_end(app, city):
    rana = client_as(app, "rana")
    page = rana.get("/inspect/actions?lang=en&due_from=1405/10/01&due_to=1405/09/01")
    assert page.status_code == 400 and "put the earlier date first" in page.get_data(as_text=True)
    pages = math.ceil(len(_expected(city)) / PER_PAGE)
    past = rana.get(f"/inspect/actions?lang=fa&page={pages + 1}")
    assert past.status_code == 404
    assert f"فهرست در صفحهٔ {jalali_digits(pages)} تمام می‌شود" in past.get_data(as_text=True)
    assert rana.get("/inspect/actions?lang=en&page=۱").status_code == 200  # Persian digits for the page too
    empty = rana.get("/inspect/actions?lang=en&site=PK-01&status=done&district=7")
    assert empty.status_code == 200 and _total(empty.get_data(as_text=True))[0] == 0


def test_a_supervisor_never_lists_or_downloads_another_team_s_actions(app, city):
    theirs = {a["id"] for a in city["actions"] if a["team"] == "nima"}
    mine = {a["id"] for a in city["actions"] if a["team"] == "sara"}
    sara = client_as(app, "sara")
    _check(sara, city, "", _expected(city, "sara"))
    _check(sara, city, "status=all", _expected(city, "sara", status="all"))
    hand_made = ["status=all&inspector=omid", "status=all&team=nima", "status=all&supervisor_id=0",
                 "status=all&user=root", "status=all&role=admin", "status=all&district=9&site=PK-09",
                 "status=all&q=omid", "status=all&as=rana", "status=all&status=verified"]
    for query in hand_made:
        listed = set(_all_pages(sara, query))
        files = set(_csv_ids(sara.get(f"/inspect/actions.csv?{query}").data)) | \
            set(_xlsx_ids(sara.get(f"/inspect/actions.xlsx?{query}").data))
        assert not (listed | files) & theirs, query
        assert listed == files and listed <= mine, query
    nima = client_as(app, "nima")
    assert set(_csv_ids(nima.get("/inspect/actions.csv?status=all").data)) == theirs
    # the action pages themselves: another team's action is not found
    other = next(iter(theirs))
    assert sara.get(f"/inspect/actions/{other}").status_code == 404


def test_inspectors_and_visitors_get_no_list(app, city):
    assert client_as(app, "reza").get("/inspect/actions.csv").status_code == 403
    visitor = client_as(app, None).get("/inspect/actions.xlsx")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]


HOSTILE = ["q=%00", "site=%00WC-07", "q=%27%3B+DROP+TABLE+corrective_actions%3B--", "district=%F0%9F%92%A9",
           "district=%C2%B2", "due_from=۱۴۰۵/۰۹/۳۱", "due_to=99999/01/01", "due_from=1405/09/01/01", "page=١",
           "q=%E2%80%8C%E2%80%8C", "checklist=srv-c01", "status=", "overdue=", "q=" + "%25" * 100, "site=WC-07&site=PK-01",
           "_method=PUT&endpoint=x&fmt=x"]


def test_hostile_query_strings_never_fail(app, city):
    """Below 500 for each, on the page and both downloads; the ones that are valid list something."""
    root = client_as(app, "root")
    for query in HOSTILE:
        for path in ("/inspect/actions", "/inspect/actions.csv", "/inspect/actions.xlsx"):
            response = root.get(f"{path}?lang=fa&{query}")
            assert response.status_code in (200, 400, 404), (path, query, response.status_code)
            assert b"Traceback" not in response.data
    assert root.get("/inspect/actions.csv?checklist=srv-c01").status_code == 200  # codes in any letter case
