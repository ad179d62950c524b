"""Each role's home after login (/home): where login lands, and what each home holds on real
data, read as the user would read it (the page's HTML), against the pages it summarizes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from surveyor.formatting import local_today
from surveyor.models import ROLES, Assignment, CorrectiveAction, Instrument, ServicePoint, SurveyLink, User
from tests.conftest import csrf_token
from tests.inspect.conftest import client_as, field, field_assignment_id, login  # noqa: F401 (field: a fixture)

PASSWORD = "a strong pass phrase"


@pytest.fixture(autouse=True)
def every_row_at_once(monkeypatch):
    """These tests read every row of the researcher's overview: on a busy machine a request must
    not leave rows for the next one (see test_a_cold_overview_computes_within_its_budget...)."""
    from surveyor.home import overview
    monkeypatch.setattr(overview, "COMPUTE_SECONDS", 600.0)


def role_homes(html: str) -> list[str]:
    return re.findall(r'data-role-home="(\w+)"', html)


def cell(html: str, code: str, figure: str) -> str:
    """The text of one figure of one instrument's row of the overview (tags dropped)."""
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {code}"
    found = re.search(rf'data-figure="{figure}"[^>]*>(.*?)</td>', row.group(1), re.S)
    assert found, f"no {figure} in the row of {code}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


# ---- Login lands on /home, for every role ----

@pytest.mark.parametrize("role", ROLES)
def test_login_without_next_lands_on_the_home_of_the_role(app, client, loaded, make_user, role):
    make_user(f"{role}9", role, PASSWORD)
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "username": f"{role}9",
                                            "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = client.get("/home")
    assert home.status_code == 200
    assert role_homes(home.get_data(as_text=True)) == [role]


def test_login_with_a_next_still_goes_there_and_a_foreign_next_goes_home(client, loaded, make_user):
    make_user("nasrin", "researcher", PASSWORD)
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=/results/TRN-Q01", data={"csrf_token": csrf_token(page),
                                                                 "username": "nasrin", "password": PASSWORD})
    assert response.headers["Location"] == "/results/TRN-Q01"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/home").get_data(as_text=True))})
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login?next=//evil.example/x", data={"csrf_token": csrf_token(page),
                                                                 "username": "nasrin", "password": PASSWORD})
    assert response.headers["Location"] == "/home"


def test_after_the_forced_password_change_the_user_lands_on_home(client, db, loaded):
    from surveyor.auth.accounts import create_user
    create_user(db.session, "newbie", "inspector", "a one time pass phrase", must_change_password=True)
    db.session.commit()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "username": "newbie",
                                            "password": "a one time pass phrase"})
    assert response.headers["Location"] == "/password"
    page = client.get("/password").get_data(as_text=True)
    response = client.post("/password", data={"csrf_token": csrf_token(page), "current": "a one time pass phrase",
                                               "new": "my own long pass phrase", "confirm": "my own long pass phrase"})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert role_homes(client.get("/home").get_data(as_text=True)) == ["inspector"]


def test_the_header_offers_home_to_staff_and_results_to_research_staff(app, client, loaded, make_user):
    for role in ROLES:
        make_user(f"{role}7", role, PASSWORD)
        staff = client_as(app, f"{role}7")
        html = staff.get("/home?lang=en").get_data(as_text=True)
        nav = html[html.index('class="header-nav"'):html.index("</nav>")]
        assert 'href="/home"' in nav, role
        assert ('href="/home/results"' in nav) is (role in ("researcher", "admin")), role
    visitor = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/home"' not in visitor


# ---- The inspector: their own assignments, today's and overdue ----

def test_an_inspector_sees_only_their_own_open_assignments_with_a_link_to_start_each(app, db, field):
    from surveyor.inspect.assignments import create_assignments
    today = local_today(app.config["DISPLAY_TIMEZONE"])
    reza, omid, points = field["inspector"], field["other"], field["points"]
    checklist = field["checklist"]
    create_assignments(db.session, instrument_id=checklist.id, points=points[1:], inspector_id=reza.id,
                       first_due=today - dt.timedelta(days=3))
    create_assignments(db.session, instrument_id=checklist.id, points=points[1:], inspector_id=reza.id,
                       first_due=today + dt.timedelta(days=5))
    create_assignments(db.session, instrument_id=checklist.id, points=points[:1], inspector_id=omid.id,
                       first_due=today - dt.timedelta(days=1))
    done = Assignment(instrument_id=checklist.id, service_point_id=points[1].id, inspector_id=reza.id,
                      due_on=today - dt.timedelta(days=10), completed_at=dt.datetime.now(dt.timezone.utc))
    db.session.add(done)
    db.session.commit()
    html = client_as(app, "reza").get("/home?lang=en").get_data(as_text=True)
    assert role_homes(html) == ["inspector"]
    overdue = html[html.index("assignments overdue"):html.index("assignments today")]
    due_today = html[html.index("assignments today"):]
    mine = list(db.session.scalars(select(Assignment).where(Assignment.inspector_id == reza.id,
                                                            Assignment.completed_at.is_(None))))
    late = next(a for a in mine if a.due_on < today)
    now = next(a for a in mine if a.due_on == today)
    assert f'/inspect/form?assignment={late.id}"' in overdue and "Bar Square toilets" in overdue
    assert f'/inspect/form?assignment={now.id}"' in due_today and "Mellat Park toilets" in due_today
    assert "Public toilet hygiene" in html  # the checklist's title in the page's language
    omids = db.session.scalar(select(Assignment.id).where(Assignment.inspector_id == omid.id))
    assert f"assignment={omids}" not in html and f"assignment={done.id}" not in html
    later = next(a for a in mine if a.due_on > today)
    assert f"assignment={later.id}" not in html and "Due later: 1." in html

    persian = client_as(app, "reza").get("/home?lang=fa").get_data(as_text=True)
    assert "سرویس بهداشتی میدان بار" in persian and "بهداشت سرویس‌های بهداشتی عمومی" in persian
    assert "(۱)" in persian and "(1)" not in persian  # counts in Persian digits

    assert role_homes(client_as(app, "omid").get("/home?lang=en").get_data(as_text=True)) == ["inspector"]
    omid_home = client_as(app, "omid").get("/home?lang=en").get_data(as_text=True)
    assert f"assignment={omids}" in omid_home and f"assignment={late.id}" not in omid_home


# ---- The supervisor: the team, its assignments and overdue actions, as the actions page counts them ----

def _failed_inspection(app, field, who: str, assignment: bool) -> None:
    import uuid

    from tests.inspect.conftest import all_pass, visit_fields
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    p = f"item-{item['code']}-"
    client = client_as(app, who)
    data = {**visit_fields(client, field, assignment=assignment), **all_pass(definition),
            p + "result": "fail", p + "action": "تعمیر شود", "client_id": str(uuid.uuid4())}
    response = client.post("/inspect/submit", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.json


def overdue_rows(html: str) -> int:
    return len(re.findall(r'<tr\b[^>]*\bclass="overdue"', html))


def test_a_supervisor_sees_their_team_and_its_overdue_actions_counted_as_the_actions_page_does(
        app, db, field, make_user):
    nima = make_user("nima", "supervisor", PASSWORD)
    field["other"].supervisor_id = nima.id
    db.session.commit()
    _failed_inspection(app, field, "reza", assignment=True)    # Sara's team
    _failed_inspection(app, field, "reza", assignment=False)
    _failed_inspection(app, field, "omid", assignment=False)   # Nima's team
    today = local_today(app.config["DISPLAY_TIMEZONE"])
    actions = list(db.session.scalars(select(CorrectiveAction).order_by(CorrectiveAction.id)))
    assert len(actions) == 3
    actions[0].due_on = today - dt.timedelta(days=2)   # Sara's: one overdue, one not yet due
    actions[2].due_on = today - dt.timedelta(days=9)   # Nima's: overdue
    db.session.commit()

    for name, expected in (("sara", 1), ("nima", 1)):
        supervisor = client_as(app, name)
        home = supervisor.get("/home?lang=en").get_data(as_text=True)
        listing = supervisor.get("/inspect/actions?lang=en").get_data(as_text=True)
        assert role_homes(home) == ["supervisor"]
        shown = re.search(r'data-count="overdue-actions">([^<]+)<', home).group(1)
        assert int(shown) == overdue_rows(listing) == expected, name
        assert overdue_rows(home) == expected  # the overdue actions listed one by one

    sara = client_as(app, "sara").get("/home?lang=en").get_data(as_text=True)
    assert "reza" in sara and "omid" not in sara
    assert re.search(r'data-count="inspectors">1<', sara)
    # the item's text in the page's language and the site's name, not a raw code
    item = next(i for i in field["definition"]["items"] if i["code"] == actions[0].item_code)
    assert item["labels"]["en"] in sara and "Mellat Park toilets" in sara
    nima_home = client_as(app, "nima").get("/home?lang=en").get_data(as_text=True)
    assert "reza" not in nima_home and "Mellat Park toilets" not in nima_home

    # Sara's team's assignment (Reza's, due today, done by the first inspection) is not open any more.
    assert f"assignment={field_assignment_id(field)}" not in sara
    from surveyor.inspect.assignments import create_assignments
    create_assignments(db.session, instrument_id=field["checklist"].id, points=field["points"][1:],
                       inspector_id=field["inspector"].id, first_due=today - dt.timedelta(days=1))
    create_assignments(db.session, instrument_id=field["checklist"].id, points=field["points"][1:],
                       inspector_id=field["other"].id, first_due=today - dt.timedelta(days=1))
    db.session.commit()
    sara = client_as(app, "sara").get("/home?lang=en").get_data(as_text=True)
    assert re.search(r'data-count="overdue-assignments">1<', sara)
    nima_home = client_as(app, "nima").get("/home?lang=en").get_data(as_text=True)
    assert re.search(r'data-count="overdue-assignments">1<', nima_home)
    assert "omid" in nima_home and "reza" not in nima_home


# ---- The researcher: each instrument's figures, the results page's own ----

@pytest.fixture
def city(app, loaded, runner):
    """The demo: TRN-Q01 with 300 responses over a year, SRV-Q04 with 12 (below the minimum of
    responses), and inspections of SRV-C01."""
    for args in (["--responses", "300", "--instrument", "TRN-Q01", "--inspections", "30", "--instrument", "SRV-C01"],
                 ["--responses", "12", "--instrument", "SRV-Q04", "--seed", "5"]):
        result = runner.invoke(args=["demo", *args])
        assert result.exit_code == 0, result.output
    return loaded


def test_the_researcher_home_shows_the_results_pages_figures_and_no_figure_below_the_minimum(
        app, city, researcher):
    assert app.config["MIN_RESPONSES"] > 12
    home = researcher.get("/home?lang=en")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert role_homes(html) == ["researcher"]
    page = researcher.get("/results/TRN-Q01?lang=en").get_data(as_text=True)
    card = re.search(r'Overall satisfaction \(mean\)</span><span class="stat-value">([^<]+)</span>'
                     r'<span class="ci">\(([^<]+)\)</span>', page)
    assert card, "no headline on the results page"
    headline = cell(html, "TRN-Q01", "headline")
    assert headline.startswith(f"{card.group(1)} ({card.group(2)})")
    assert '/results/TRN-Q01"' in html and '/results/SRV-Q04"' in html and '/results/SRV-C01"' in html

    # The strongest driver is the first of the page's driver table.
    first_driver = re.search(r'<tr(?: class="fix-first")?><td class="number">1</td><td>([^<]+)</td>', page)
    assert first_driver and cell(html, "TRN-Q01", "driver").startswith(first_driver.group(1))

    # Below the minimum: no figure, "too few", as on the page.
    small = cell(html, "SRV-Q04", "headline")
    assert small == "too few responses (n = 12)"
    small_page = researcher.get("/results/SRV-Q04?lang=en").get_data(as_text=True)
    assert "Too few responses (n = 12)" in small_page and 'class="stat-value">3' not in small_page
    assert cell(html, "SRV-Q04", "driver") == "—" and cell(html, "SRV-Q04", "change") == "—"
    # 300 responses over a year: whether two months reach the minimum decides what the row can say.
    assert cell(html, "TRN-Q01", "change") in (
        "No significant change", f"Too few months with {app.config['MIN_RESPONSES']} responses to compare")

    # A checklist: the page's mean compliance and its interval.
    checklist_page = researcher.get("/results/SRV-C01?lang=en").get_data(as_text=True)
    compliance = re.search(r'Mean compliance</span><span class="stat-value">([^<]+)</span>'
                           r'<span class="stat-note">95% interval ([^<]+)</span>', checklist_page)
    assert compliance
    assert cell(html, "SRV-C01", "headline") == f"{compliance.group(1)} ({compliance.group(2)})"

    # Persian digits and Jalali months in Persian.
    persian = researcher.get("/home?lang=fa").get_data(as_text=True)
    assert re.search(r"[۰-۹]٫[۰-۹]{2}", cell(persian, "TRN-Q01", "headline"))
    assert not re.search(r"[0-9]", cell(persian, "TRN-Q01", "this-month"))
    assert "۱۴" in persian


def test_the_month_counts_are_the_responses_of_this_jalali_month_and_the_last(app, city, researcher):
    import jdatetime
    import pandas as pd

    from surveyor.responses import answers_frame
    from surveyor.stats import jalali_months
    html = researcher.get("/home?lang=en").get_data(as_text=True)
    metro = city.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    frame = answers_frame(city.session, metro.id, include_flagged=False)
    months = jalali_months(frame["_submitted_at"], app.config["DISPLAY_TIMEZONE"])
    now = jdatetime.date.fromgregorian(date=local_today(app.config["DISPLAY_TIMEZONE"]))
    last = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    count = lambda y, m: int(((months["year"] == y) & (months["month"] == m)).sum())  # noqa: E731
    assert cell(html, "TRN-Q01", "this-month") == f"{count(now.year, now.month):,}"
    assert cell(html, "TRN-Q01", "last-month") == f"{count(*last):,}"
    assert count(*last) > 0 and isinstance(frame, pd.DataFrame)


def test_the_overview_is_computed_again_only_for_the_instrument_whose_data_changed(app, city, researcher,
                                                                                    make_response):
    assert researcher.get("/home").status_code == 200
    cache = app.extensions["home_overview"]
    before = cache.computed
    assert before == 3  # TRN-Q01, SRV-Q04 and SRV-C01
    researcher.get("/home")
    assert cache.computed == before
    toilets = city.session.scalar(select(Instrument).where(Instrument.code == "SRV-Q04"))
    make_response(toilets.latest, {"overall": 5})
    city.session.commit()
    html = researcher.get("/home?lang=en").get_data(as_text=True)
    assert cache.computed == before + 1
    assert cell(html, "SRV-Q04", "headline") == "too few responses (n = 13)"


def test_a_cold_overview_computes_within_its_budget_and_offers_to_reload_until_complete(app, city, researcher,
                                                                                monkeypatch):
    """A request computes rows for at most COMPUTE_SECONDS (always one): with no time at all, one
    row a request; the others say they are being computed, and the page offers to reload. It does
    not reload by itself: a timer would cut short the user's own click on a slower page."""
    from surveyor.home import overview
    monkeypatch.setattr(overview, "COMPUTE_SECONDS", 0.0)
    pages = [researcher.get("/home?lang=en").get_data(as_text=True) for _ in range(3)]
    pending = [len(re.findall(r'data-figure="pending"', page)) for page in pages]
    assert pending == [2, 1, 0]
    assert all("data-reload" in page for page in pages[:2]) and "data-reload" not in pages[2]
    assert not any('http-equiv="refresh"' in page for page in pages)
    assert "still being computed" in pages[0] and "still being computed" not in pages[2]
    assert cell(pages[2], "SRV-Q04", "headline") == "too few responses (n = 12)"


# ---- The administrator: the setup checklist, each entry linking to where it is fixed ----

POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-01,ایستگاه میدان شهدا,Shohada Square station,,8,,,TRN-Q01;SRV-Q04\n"
          "PK-02,بوستان ملت,Mellat Park,,1,,,\n")


@pytest.fixture
def admin_city(app, loaded, make_user):
    from surveyor.service_points.importer import import_points
    from surveyor.service_points.windows import set_window
    session = loaded.session
    import_points(session, POINTS)
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    set_window(session, metro.id, True)  # SRV-Q04 stays closed
    session.commit()
    make_user("root", "admin", PASSWORD)
    make_user("leila", "inspector", PASSWORD)  # never logs in
    return session


def section(html: str, name: str) -> str:
    return html[html.index(f'data-setup="{name}"'):].split("</section>")[0]


def test_the_admin_setup_checklist_names_what_is_missing_and_links_to_where_it_is_fixed(app, admin_city):
    session = admin_city
    root = client_as(app, "root")
    html = root.get("/home?lang=en").get_data(as_text=True)
    assert role_homes(html) == ["admin"]
    park = session.scalar(select(ServicePoint).where(ServicePoint.code == "PK-02"))
    metro = session.scalar(select(ServicePoint).where(ServicePoint.code == "MET-01"))
    points = section(html, "points")
    assert f'href="/admin/points/{park.id}/edit"' in points and "MET-01" not in points
    collection = section(html, "collection")
    assert 'href="/admin/collection/SRV-Q04"' in collection and "TRN-Q01" not in collection
    assert "closed at 1 of 1 points" in collection
    users = section(html, "users")
    leila = session.scalar(select(User).where(User.username == "leila"))
    root_user = session.scalar(select(User).where(User.username == "root"))
    assert f'href="/admin/users/{leila.id}"' in users and f'/admin/users/{root_user.id}"' not in users
    posters = section(html, "posters")
    assert f'href="/admin/posters.pdf?point={metro.id}"' in posters and "2 posters" in posters
    for url in re.findall(r'href="(/admin/[^"]+)"', html):  # every link leads to a page that exists
        assert root.get(url.replace("&amp;", "&")).status_code == 200, url

    # Downloading the point's posters (above) marked them printed; the entry is gone.
    links = list(session.scalars(select(SurveyLink)))
    session.expire_all()
    assert all(link.poster_printed_at is not None for link in session.scalars(select(SurveyLink)))
    assert len(links) == 2
    html = root.get("/home?lang=en").get_data(as_text=True)
    assert "MET-01" not in section(html, "posters")


def test_the_posters_command_marks_its_links_printed(app, admin_city, runner, tmp_path):
    result = runner.invoke(args=["points", "posters", "--point", "MET-01", "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.output
    admin_city.expire_all()
    assert all(link.poster_printed_at is not None for link in admin_city.scalars(select(SurveyLink)))
    html = client_as(app, "root").get("/home?lang=en").get_data(as_text=True)
    assert "MET-01" not in section(html, "posters")


def test_a_complete_setup_says_so(app, loaded, make_user):
    make_user("root", "admin", PASSWORD)
    root = client_as(app, "root")
    html = root.get("/home?lang=en").get_data(as_text=True)
    assert "Setup is complete" in html
    overview = root.get("/home/results?lang=en")  # the header's "Results": the overview, not a role's home
    assert overview.status_code == 200 and role_homes(overview.get_data(as_text=True)) == []
    assert "No questionnaire has responses yet." in overview.get_data(as_text=True)


# ---- Attacks: nobody reaches another role's home ----

def test_an_inspector_cannot_reach_the_results_overview_and_a_visitor_is_sent_to_login(app, client, field):
    assert client_as(app, "reza").get("/home/results").status_code == 403
    assert client_as(app, "sara").get("/home/results").status_code == 403
    response = client.get("/home")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_significant_change_between_months_is_named_with_its_months(app, loaded, researcher, make_response):
    """40 answers 100 days ago averaging 1.5, 40 today averaging 4.5: the results' stated change
    (the one the report's summary states) is named, with its two months."""
    from zoneinfo import ZoneInfo

    import jdatetime
    from sqlalchemy import update

    from surveyor.formatting import jalali_month_label
    from surveyor.models import Response
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    old = [make_response(metro.latest, {"overall": 1 + i % 2, "headway": 2}).id for i in range(40)]
    for i in range(40):
        make_response(metro.latest, {"overall": 4 + i % 2, "headway": 4})
    then = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=100)
    session.execute(update(Response).where(Response.id.in_(old)).values(submitted_at=then))
    session.commit()
    html = researcher.get("/home?lang=en").get_data(as_text=True)
    change = cell(html, "TRN-Q01", "change")
    tz = app.config["DISPLAY_TIMEZONE"]
    first = jdatetime.date.fromgregorian(date=then.astimezone(ZoneInfo(tz)).date())
    now = jdatetime.date.fromgregorian(date=local_today(tz))
    assert change == (f"▲ Overall satisfaction from 1.50 in {jalali_month_label(first.year, first.month, 'en')} "
                      f"to 4.50 in {jalali_month_label(now.year, now.month, 'en')}")
