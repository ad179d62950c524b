"""Supervisors assign work in bulk and follow corrective actions until they verify them."""
from __future__ import annotations

from sqlalchemy import func, select

from surveyor.models import Assignment, CorrectiveAction
from tests.conftest import csrf_token
from tests.inspect.conftest import all_pass, client_as, login, visit_fields


def test_bulk_weekly_assignment_of_a_district(client, db, field):
    login(client, "sara")
    page = client.get("/inspect/team?lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert ">reza<" in body and ">omid<" not in body  # only the supervisor's own team
    data = {"csrf_token": csrf_token(body), "checklist": str(field["checklist"].id),
            "inspector": str(field["inspector"].id), "district": "9", "points": "", "due": "1405/09/10", "weeks": "4"}
    response = client.post("/inspect/team", data=data)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 1 + 4
    foreign = client.post("/inspect/team", data={**data, "inspector": str(field["other"].id)})
    assert foreign.status_code == 400
    bad = client.post("/inspect/team", data={**data, "district": "", "points": "NOPE-1", "due": "1405/13/40"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "NOPE-1" in text and "1403/07/01" in text


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
        app, db, field, make_user):
    submit_failure(client_as(app, "reza"), field, "تعمیر شیر آب")
    make_user("nima", "supervisor", "a strong pass phrase")  # another team's supervisor
    make_user("rana", "researcher", "a strong pass phrase")
    for name, sees, may_mark in (("sara", True, True), ("nima", False, False), ("rana", True, False)):
        page = client_as(app, name).get("/results/SRV-C01?lang=en")
        assert page.status_code == 200, name
        body = page.get_data(as_text=True)
        assert ("تعمیر شیر آب" in body) is sees, name
        assert ("Mark done" in body) is may_mark, name
