"""`surveyor demo --city` (what `make run` builds): a working city, built once."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyor.demo.city import KINDS, STAFF, TEAMS
from surveyor.formatting import local_today
from surveyor.models import (DISTRICTS, Assignment, AuditEvent, CollectionWindow, CorrectiveAction, Inspection,
                             Instrument, PointInstrument, Response, ServicePoint, SurveyLink, User)
from surveyor.service_points.windows import collecting
from tests.demo.first_hour import PASSWORD_LINE

CITY = ["demo", "--city", "--responses", "12", "--inspections", "6"]
TABLES = (ServicePoint, PointInstrument, CollectionWindow, SurveyLink, Response, Inspection, CorrectiveAction, User,
          Assignment)


def _counts(session) -> dict[str, int]:
    return {t.__name__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture
def city(loaded, runner):
    result = runner.invoke(args=CITY)
    assert result.exit_code == 0, result.output
    return result


def _every_district_has_points_of_every_kind_and_several_metro_stations(session):
    points = list(session.scalars(select(ServicePoint)))
    for district in DISTRICTS:
        here = [p for p in points if p.district == district]
        assert {p.code.split("-")[1] for p in here} == set(KINDS), district
        assert sum(p.code.split("-")[1] == "MET" for p in here) >= 3  # clusters within a stratum
    assert all(p.name_fa and p.name_en and p.name_ar for p in points)
    linked = set(session.scalars(select(PointInstrument.service_point_id)))
    assert {p.id for p in points} <= linked, "every point has its instruments"


def _every_instrument_is_linked_and_every_questionnaire_collects_through_a_live_link(session):
    today = dt.date.today()
    for instrument in session.scalars(select(Instrument)):
        pairs = list(session.scalars(select(PointInstrument.service_point_id)
                                     .where(PointInstrument.instrument_id == instrument.id)))
        assert len({session.get(ServicePoint, p).district for p in pairs}) == 13, instrument.code
        links = list(session.scalars(select(SurveyLink).where(SurveyLink.instrument_id == instrument.id,
                                                              SurveyLink.retired_at.is_(None))))
        if instrument.kind == "checklist":
            assert links == [], f"{instrument.code} is a checklist: no citizen link"
        else:
            assert {link.service_point_id for link in links} == set(pairs), instrument.code
            assert any(collecting(session, instrument.id, link.service_point_id, today) for link in links)
    assert session.scalar(select(func.count()).select_from(CollectionWindow).join(Instrument)
                          .where(Instrument.kind == "checklist")) == 0


def _every_role_exists_with_teams_and_each_inspector_has_work_today_and_overdue(app, session):
    users = {u.username: u for u in session.scalars(select(User))}
    assert {users[name].role for name, _ in STAFF} == {"admin", "researcher", "supervisor", "inspector"}
    assert all(users[name].active and users[name].must_change_password for name, _ in STAFF)
    for leader, members in TEAMS.items():
        assert {users[m].supervisor_id for m in members} == {users[leader].id}
    today = local_today(app.config["DISPLAY_TIMEZONE"])  # the inspector's pages count days there
    for name in (m for members in TEAMS.values() for m in members):
        work = list(session.scalars(select(Assignment).where(Assignment.inspector_id == users[name].id)))
        assert any(a.due_on == today for a in work) and any(a.due_on < today for a in work), name
        for a in work:  # a checklist at a site it is used at, set by the inspector's supervisor
            assert session.get(Instrument, a.instrument_id).kind == "checklist"
            assert session.get(PointInstrument, (a.service_point_id, a.instrument_id)) is not None
            assert a.assigned_by_id == users[name].supervisor_id
    inspectors = set(session.scalars(select(Inspection.inspector_id)))
    assert inspectors <= {users[m].id for members in TEAMS.values() for m in members}
    assert session.scalar(select(func.count()).select_from(Response)) == 12 * 29


def test_the_city_is_a_working_city_built_once(app, city, loaded, runner):
    """One build for these checks (a city costs seconds): each check is a function above."""
    session = loaded.session
    _every_district_has_points_of_every_kind_and_several_metro_stations(session)
    _every_instrument_is_linked_and_every_questionnaire_collects_through_a_live_link(session)
    _every_role_exists_with_teams_and_each_inspector_has_work_today_and_overdue(app, session)
    assert PASSWORD_LINE.findall(city.output) == [], "no password outside demo mode"
    assert "printed in demo mode only" in city.output

    before = _counts(session)
    again = runner.invoke(args=CITY)
    assert again.exit_code == 0, again.output
    assert "already built; nothing was added" in again.output
    session.expire_all()
    assert _counts(session) == before
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "demo.city")) == 1


def test_in_demo_mode_the_one_time_passwords_are_printed_and_the_served_address_recorded(
        app, loaded, runner, monkeypatch):
    """As under `make run PORT=5742`: demo mode, SURVEYOR_PUBLIC_URL set by the Makefile."""
    monkeypatch.setitem(app.config, "SURVEYOR_ENV", "demo")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://127.0.0.1:5742")
    monkeypatch.setitem(app.config, "PUBLIC_URL_SOURCE", "setting")
    first = runner.invoke(args=CITY)
    assert first.exit_code == 0, first.output
    printed = {name: (role, password) for name, role, password in PASSWORD_LINE.findall(first.output)}
    assert set(printed) == {name for name, _ in STAFF}
    for name, (role, password) in printed.items():
        user = loaded.session.scalar(select(User).where(User.username == name))
        assert user.role == role and user.check_password(password)
    assert "Log in at http://127.0.0.1:5742/login" in first.output
    assert (Path(app.instance_path) / "public_url").read_text().strip() == "http://127.0.0.1:5742"
    again = runner.invoke(args=CITY)
    assert PASSWORD_LINE.findall(again.output) == [] and "reset-password" in again.output


def test_the_city_is_refused_in_production(app, loaded, runner, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEYOR_ENV", "production")
    refused = runner.invoke(args=CITY)
    assert refused.exit_code == 1 and "production" in refused.output
    assert _counts(loaded.session) == dict.fromkeys(_counts(loaded.session), 0)


def test_the_city_needs_loaded_instruments(db, runner):
    result = runner.invoke(args=CITY)
    assert result.exit_code != 0 and "instruments sync" in result.output
    assert db.session.scalar(select(func.count()).select_from(ServicePoint)) == 0


def test_the_plain_demo_wires_what_it_generates(loaded, runner):
    """`surveyor demo` alone: the instrument is linked where its answers are, open, with live links."""
    result = runner.invoke(args=["demo", "--responses", "10", "--instrument", "TRN-Q01", "--inspections", "2"])
    assert result.exit_code == 0, result.output
    session = loaded.session
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    stations = set(session.scalars(select(ServicePoint.id).where(ServicePoint.code.like("%-MET"))))
    links = {link.service_point_id for link in session.scalars(select(SurveyLink))}
    assert links == stations and "13 survey link(s) issued" in result.output
    assert all(collecting(session, metro.id, point, dt.date.today()) for point in stations)
    assert session.scalar(select(func.count()).select_from(PointInstrument)) == 13
