"""A checklist's figures, shared by its results page and its report: agreement between
inspectors, corrective actions, filters."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from surveyor.models import CorrectiveAction, Inspection, Instrument
from surveyor.results.checklist import checklist_figures
from surveyor.results.data import Filters
from tests.conftest import csrf_token

TODAY = dt.date.today()


def _toilets(runner, session, n=400):
    result = runner.invoke(args=["demo", "--responses", "0", "--inspections", str(n), "--instrument", "SRV-C01",
                                 "--seed", "4"])
    assert result.exit_code == 0, result.output
    return session.scalar(select(Instrument).where(Instrument.code == "SRV-C01"))


def test_figures_measure_agreement_on_the_demo_calibration_visits(loaded, runner):
    session = loaded.session
    toilets = _toilets(runner, session)
    assert session.query(Inspection).filter_by(instrument_id=toilets.id).count() == 400
    figures = checklist_figures(session, toilets, Filters(), timezone="Asia/Tehran", today=TODAY)
    assert figures.n == 400 and figures.sites["rank"].min() == 1
    # One pass/fail finding in ten is seen the other way on a second visit: kappa well above
    # chance but short of perfect.
    assert figures.agreement_pairs >= 50
    assert 0.3 < figures.agreement.estimate < 0.95
    listed = session.scalars(select(CorrectiveAction).where(CorrectiveAction.id.in_(figures.open_action_ids)))
    assert {a.status for a in listed} <= {"open", "in_progress"} and figures.actions.open > 0
    assert len(figures.open_action_ids) == figures.actions.open == figures.listed_actions.open

    district = int(figures.districts["district"].iloc[0])
    only = checklist_figures(session, toilets, Filters(district=district), timezone="Asia/Tehran", today=TODAY)
    assert 0 < only.n < figures.n and set(only.sites["district"]) == {district}
    assert len(only.open_action_ids) < len(figures.open_action_ids)


def test_checklist_results_page(client, loaded, runner, make_user):
    _toilets(runner, loaded.session)
    make_user("nahid", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "nahid",
                                "password": "a strong pass phrase"})
    body = client.get("/results/SRV-C01?lang=en").get_data(as_text=True)
    for heading in ("Compliance by site", "Compliance by district", "Critical failures", "Compliance over time",
                    "Open corrective actions"):
        assert heading in body
    assert "Cohen's kappa where two inspectors" in body and body.count("<svg") >= 1
    persian = client.get("/results/SRV-C01?lang=fa&district=7").get_data(as_text=True)
    assert 'dir="rtl"' in persian and "رتبه" in persian
