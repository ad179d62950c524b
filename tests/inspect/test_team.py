"""Supervisors assign work in bulk and follow corrective actions until they verify them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from surveyor.formatting import local_today
from surveyor.models import Assignment, AuditEvent, CorrectiveAction
from surveyor.results.checklist import checklist_figures
from surveyor.results.data import Filters
from tests.conftest import csrf_token
from tests.inspect.conftest import all_pass, client_as, login, visit_fields
from tests.reporting.pdf_reading import PdfTools, letters


def _today_hint(app, lang="en") -> str:
    """The example a date error gives: today's Jalali date."""
    from surveyor.formatting import jalali_date
    return jalali_date(local_today(app.config["DISPLAY_TIMEZONE"]), lang)


def test_bulk_weekly_assignment_of_a_district(app, client, db, field):
    login(client, "sara")
    page = client.get("/inspect/team?lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert ">reza<" in body and ">omid<" not in body  # only the supervisor's own team
    data = {"csrf_token": csrf_token(body), "checklist": str(field["checklist"].id),
            "inspector": str(field["inspector"].id), "district": "9", "points": "", "due": "1405/09/10", "weeks": "4"}
    response = client.post("/inspect/team", data=data)
    assert response.status_code == 302
    # District 9 has a toilet and a park: only the toilet uses the toilet checklist.
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1 + 4
    assert db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.service_point_id == field["park"].id)) == 0
    unlinked = client.post("/inspect/team?lang=en", data={**data, "district": "", "points": "PK-09, WC-07"})
    assert unlinked.status_code == 400
    assert "These sites do not use this checklist: PK-09" in unlinked.get_data(as_text=True)
    empty = client.post("/inspect/team?lang=en", data={**data, "district": "3"})
    assert empty.status_code == 400 and "No site in this district uses this checklist." in empty.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1 + 4
    foreign = client.post("/inspect/team", data={**data, "inspector": str(field["other"].id)})
    assert foreign.status_code == 400
    bad = client.post("/inspect/team", data={**data, "district": "", "points": "NOPE-1", "due": "1405/13/40"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "NOPE-1" in text and _today_hint(app) in text  # the example is today


def test_corrective_action_done_then_verified(client, db, field):
    login(client, "reza")
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    p = f"item-{item['code']}-"
    data = {**visit_fields(client, field), **all_pass(definition), p + "result": "fail",
            p + "action": "تعمیر شیر آب"}
    assert client.post("/inspect/submit", data=data, headers={"Accept": "application/json"}).status_code == 201
    action = db.session.scalar(select(CorrectiveAction))
    shown = client.get(f"/inspect/inspections/{action.inspection_id}?lang=fa")
    assert shown.status_code == 200  # the page with its corrective actions (it once failed on them)
    inspection_page = shown.get_data(as_text=True)
    assert "تعمیر شیر آب" in inspection_page and "ثبت انجام" in inspection_page
    client.post(f"/inspect/actions/{action.id}/done", data={"csrf_token": csrf_token(inspection_page),
                                                            "note": "تعمیر شد"})
    db.session.refresh(action)
    assert action.status == "done" and action.done_note == "تعمیر شد"
    assert client.post(f"/inspect/actions/{action.id}/verify",
                       data={"csrf_token": csrf_token(inspection_page)}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(inspection_page)})

    login(client, "sara")
    listing = client.get("/inspect/actions?lang=fa").get_data(as_text=True)
    assert "تعمیر شیر آب" in listing and "منطقه ۷" in listing
    client.post(f"/inspect/actions/{action.id}/verify", data={"csrf_token": csrf_token(listing)})
    db.session.refresh(action)
    assert action.status == "verified" and action.verified_by_id == field["supervisor"].id


def submit_failure(client, field, action="تعمیر شیر آب"):
    """Reza fails a pass/fail item (one that needs no photo) with a corrective action."""
    definition = field["definition"]
    item = next(i for i in definition["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    p = f"item-{item['code']}-"
    data = {**visit_fields(client, field), **all_pass(definition), p + "result": "fail", p + "action": action}
    response = client.post("/inspect/submit", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.json
    return item


def test_checklist_results_show_individual_actions_only_to_the_team_and_buttons_to_who_may_use_them(
        app, db, field, make_user, tmp_path):
    submit_failure(client_as(app, "reza"), field, "تعمیر شیر آب")
    pdf = PdfTools(tmp_path, "team-report")
    make_user("nima", "supervisor", "a strong pass phrase")  # another team's supervisor
    make_user("rana", "researcher", "a strong pass phrase")
    for name, sees, may_mark in (("sara", True, True), ("nima", False, False), ("rana", True, False)):
        page = client_as(app, name).get("/results/SRV-C01?lang=en")
        assert page.status_code == 200, name
        body = page.get_data(as_text=True)
        assert ("تعمیر شیر آب" in body) is sees, name
        assert ("Mark done" in body) is may_mark, name
        report = client_as(app, name).get("/results/SRV-C01/report.pdf?report_lang=fa")
        assert report.status_code == 200, name
        assert (letters("تعمیر شیر آب") in letters(pdf.text(report.data, None, "-layout"))) is sees, f"{name}'s PDF report"


def submit(client, field, point, changes=None, started_at=None):
    """An unassigned inspection at ``point``: every item passed except ``changes``."""
    data = {**visit_fields(client, field, assignment=False), **all_pass(field["definition"]),
            "point_id": str(point.id), **(changes or {})}
    if started_at:
        data["started_at"] = started_at.isoformat()
    response = client.post("/inspect/submit", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_a_re_inspection_that_passes_the_item_verifies_and_closes_its_actions(app, db, field):
    reza = client_as(app, "reza")
    item = submit_failure(reza, field, "شیر آب تعمیر شود")  # at the first site
    p = f"item-{item['code']}-"
    failed_again = {p + "result": "fail", p + "action": "هنوز خراب است"}
    elsewhere = submit(reza, field, field["points"][1], failed_again)  # the other site: its own action
    here, there = (db.session.scalar(select(CorrectiveAction).where(CorrectiveAction.inspection_id != elsewhere)),
                   db.session.scalar(select(CorrectiveAction).where(CorrectiveAction.inspection_id == elsewhere)))

    # An inspection that began before the failure was found says nothing about its repair.
    submit(reza, field, field["points"][0], started_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=3))
    db.session.expire_all()
    assert here.status == "open"

    later = submit(reza, field, field["points"][0])
    db.session.expire_all()
    assert (here.status, here.verified_by_inspection_id, here.verified_by_id) == ("verified", later,
                                                                                 field["inspector"].id)
    assert here.verified_at is not None
    assert there.status == "open", "a pass at one site verifies nothing at another"
    page = reza.get(f"/inspect/inspections/{here.inspection_id}?lang=en").get_data(as_text=True)
    assert "Verified by a re-inspection" in page and f"/inspect/inspections/{later}" in page


def test_a_failure_sent_after_the_re_inspection_that_passed_it_is_verified_at_once(app, db, field):
    """The tablet that found the failure was offline until after the re-inspection was sent."""
    reza = client_as(app, "reza")
    item = next(i for i in field["definition"]["items"] if i["type"] == "pass_fail" and not i.get("photo_on_fail"))
    p = f"item-{item['code']}-"
    now = dt.datetime.now(dt.timezone.utc)
    later = submit(reza, field, field["points"][0], started_at=now - dt.timedelta(hours=1))
    submit(reza, field, field["points"][0], {p + "result": "fail", p + "action": "شیر آب تعمیر شود"},
           started_at=now - dt.timedelta(hours=5))
    elsewhere = submit(reza, field, field["points"][1], {p + "result": "fail", p + "action": "شیر آب تعمیر شود"},
                       started_at=now - dt.timedelta(hours=5))
    db.session.expire_all()
    here = db.session.scalar(select(CorrectiveAction).where(CorrectiveAction.inspection_id != elsewhere))
    there = db.session.scalar(select(CorrectiveAction).where(CorrectiveAction.inspection_id == elsewhere))
    assert (here.status, here.verified_by_inspection_id) == ("verified", later)
    assert there.status == "open", "the re-inspection was at another site"


def test_a_supervisor_sets_status_who_and_due_date_and_sees_open_and_overdue_per_district(app, db, field, make_user):
    reza = client_as(app, "reza")
    submit_failure(reza, field, "تعمیر شیر آب")
    action = db.session.scalar(select(CorrectiveAction))
    assert action.assignee is None and action.due_on is not None  # the default: the district's municipality
    sara = client_as(app, "sara")
    page = sara.get(f"/inspect/actions/{action.id}?lang=en")
    assert page.status_code == 200 and "District 7 municipality" in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))

    refused = sara.post(f"/inspect/actions/{action.id}?lang=en", data={
        "csrf_token": token, "status": "closed", "assignee": "x", "due": "1403/13/40"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Choose a status." in body and _today_hint(app, "en") in body
    assert 'value="1403/13/40"' in body  # what was typed comes back to be corrected

    saved = sara.post(f"/inspect/actions/{action.id}", data={
        "csrf_token": token, "status": "in_progress", "assignee": "  پیمانکار   نظافت منطقه ۷ ", "due": "۱۴۰۳/۰۱/۱۵"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (action.status, action.assignee, action.due_on) == ("in_progress", "پیمانکار نظافت منطقه ۷",
                                                               dt.date(2024, 4, 3))
    audited = db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == f"action:{action.id}"))
    assert audited == "action.edit"

    listing = sara.get("/inspect/actions?lang=en").get_data(as_text=True)
    assert "1 open (1 in progress), 1 overdue, 0 awaiting verification" in listing
    assert 'class="overdue"' in listing and "In progress" in listing and "پیمانکار نظافت منطقه ۷" in listing
    figures = checklist_figures(db.session, field["checklist"], Filters(), timezone="Asia/Tehran",
                                today=local_today(app.config["DISPLAY_TIMEZONE"]))
    assert (figures.actions.open, figures.actions.in_progress, figures.actions.overdue) == (1, 1, 1)
    assert figures.open_action_ids == [action.id]

    # Who may follow it up: the team's supervisor and admins; not another team, not inspectors.
    make_user("nima", "supervisor", "a strong pass phrase")
    assert client_as(app, "nima").get(f"/inspect/actions/{action.id}").status_code == 404
    assert reza.get(f"/inspect/actions/{action.id}").status_code == 403
    # An action in progress can still be marked done by its inspector.
    reza_page = reza.get(f"/inspect/inspections/{action.inspection_id}").get_data(as_text=True)
    reza.post(f"/inspect/actions/{action.id}/done", data={"csrf_token": csrf_token(reza_page), "note": "انجام شد"})
    db.session.expire_all()
    assert action.status == "done" and action.done_by_id == field["inspector"].id
