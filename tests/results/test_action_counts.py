"""Issue 11, defect 6: corrective-action counts agree everywhere.

On the demo data `/results/TRN-C01` said "110 open" on its card and "the first 25 of 410" below
(the list mixed open actions with those done and awaiting verification). Every count now comes
from :func:`surveyor.inspect.actions.count_actions`; this test checks the results page (card
and section), the PDF report and the corrective actions page against counts taken straight
from the database, for a researcher and for a supervisor (whose lists hold their team's).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess

import pytest
from sqlalchemy import select

from surveyor.formatting import local_today
from surveyor.models import CorrectiveAction, Inspection, Instrument, User
from tests.conftest import csrf_token


def _login(client, username):
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": username,
                                "password": "a strong pass phrase"})
    return client


@pytest.fixture
def demo_actions(app, loaded, runner, make_user):
    """400 demo inspections of TRN-C01 with their corrective actions; a supervisor leading one
    of the four demo inspectors."""
    result = runner.invoke(args=["demo", "--responses", "0", "--inspections", "400", "--instrument", "TRN-C01",
                                 "--seed", "5"])
    assert result.exit_code == 0, result.output
    make_user("nahid", "researcher", "a strong pass phrase")
    supervisor = make_user("sara", "supervisor", "a strong pass phrase")
    loaded.session.scalar(select(User).where(User.username == "demo-inspector-1")).supervisor_id = supervisor.id
    loaded.session.commit()
    return loaded


def _oracle(db, today: dt.date, inspector_ids=None) -> dict[str, int]:
    """The counts, by SQL, of TRN-C01's actions (of ``inspector_ids``' inspections when given)."""
    query = (select(CorrectiveAction.status, CorrectiveAction.due_on)
             .join(Inspection, Inspection.id == CorrectiveAction.inspection_id)
             .join(Instrument, Instrument.id == Inspection.instrument_id)
             .where(Instrument.code == "TRN-C01"))
    if inspector_ids is not None:
        query = query.where(Inspection.inspector_id.in_(inspector_ids))
    rows = db.session.execute(query).all()
    waiting = [due for status, due in rows if status in ("open", "in_progress")]
    return {"open": len(waiting), "overdue": sum(due is not None and due < today for due in waiting),
            "done": sum(status == "done" for status, _ in rows),
            "verified": sum(status == "verified" for status, _ in rows)}


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _page_counts(body: str) -> dict:
    card = re.search(r'Open corrective actions</span><span class="stat-value">([\d,]+)</span>'
                     r'<span class="stat-note">([\d,]+) overdue', body)
    section = re.search(r"([\d,]+) open \(([\d,]+) overdue\), ([\d,]+) done and awaiting verification, "
                        r"([\d,]+) verified", body)
    listed = body[body.index('id="actions"'):].count(' data-action="')  # one per action listed
    return {"card": (_number(card.group(1)), _number(card.group(2))),
            "section": tuple(_number(g) for g in section.groups()), "listed": listed,
            "of": [_number(n) for n in re.findall(r"first [\d,]+ of ([\d,]+)", body)]}


def _actions_page(client) -> tuple[tuple[int, ...], int]:
    """The corrective actions page's totals (open, overdue, awaiting verification) and the number
    of rows of its download (every page of the list)."""
    body = client.get("/inspect/actions?lang=en&checklist=TRN-C01").get_data(as_text=True)
    total = re.search(r"([\d,]+) corrective actions: ([\d,]+) open \([\d,]+ in progress\), ([\d,]+) overdue, "
                      r"([\d,]+) awaiting", body)
    listed, *counts = (_number(g) for g in total.groups())
    data = client.get("/inspect/actions.csv?lang=en&checklist=TRN-C01").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(data)))) - 2 == listed  # the filters' line, the header, then the actions
    return tuple(counts), listed


def _report_counts(client, tmp_path) -> tuple[int, ...]:
    pdf = client.get("/results/TRN-C01/report.pdf?report_lang=en").data
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    found = re.search(r"([\d,]+) are open \(([\d,]+) past their due date\), ([\d,]+) are done awaiting "
                      r"verification and ([\d,]+) have been verified", text)
    return tuple(_number(g) for g in found.groups())


def test_researchers_see_one_count_of_open_actions_everywhere(app, client, demo_actions, tmp_path):
    today = local_today(app.config["DISPLAY_TIMEZONE"])
    truth = _oracle(demo_actions, today)
    assert truth["open"] > 25 and truth["done"] > 0  # the demo has enough to show the defect
    _login(client, "nahid")
    page = _page_counts(client.get("/results/TRN-C01?lang=en").get_data(as_text=True))
    assert page["card"] == (truth["open"], truth["overdue"])
    assert page["section"] == (truth["open"], truth["overdue"], truth["done"], truth["verified"])
    assert all(n == truth["open"] for n in page["of"])  # no other total of "open" actions
    assert page["listed"] == 25  # the first 25 open ones (the demo has more)
    assert _actions_page(client) == ((truth["open"], truth["overdue"], truth["done"]), truth["open"] + truth["done"])
    assert _report_counts(client, tmp_path) == (truth["open"], truth["overdue"], truth["done"], truth["verified"])
    # a mistyped or questionnaire code narrows to nothing known: a 404, not every action
    assert client.get("/inspect/actions?checklist=TRN-C99").status_code == 404
    assert client.get("/inspect/actions?checklist=TRN-Q01").status_code == 404


def test_a_supervisor_sees_their_team_s_actions_counted_as_listed(app, client, demo_actions):
    today = local_today(app.config["DISPLAY_TIMEZONE"])
    team = [u.id for u in demo_actions.session.scalars(select(User).where(User.username.in_(["sara",
                                                                                           "demo-inspector-1"])))]
    truth = _oracle(demo_actions, today, team)
    assert 0 < truth["open"] < _oracle(demo_actions, today)["open"]
    _login(client, "sara")
    body = client.get("/results/TRN-C01?lang=en").get_data(as_text=True)
    assert "Your team&#39;s open corrective actions" in body or "Your team's open corrective actions" in body
    page = _page_counts(body)
    assert page["section"] == (truth["open"], truth["overdue"], truth["done"], truth["verified"])
    assert page["listed"] == min(25, truth["open"])
    assert _actions_page(client) == ((truth["open"], truth["overdue"], truth["done"]), truth["open"] + truth["done"])
