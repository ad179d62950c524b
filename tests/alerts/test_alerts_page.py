"""The alerts page (/alerts): filters, pages, Persian digits and Jalali dates, who sees which
kinds, and changing an alert's status (audited, and refused for an alert the role cannot see)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from surveyor.models import Alert, AuditEvent, Instrument, ServicePoint
from surveyor.service_points.importer import import_points
from tests.conftest import csrf_token
from tests.inspect.conftest import client_as

PASSWORD = "a strong pass phrase"
POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-10,ایستگاه الف,Station A,محطة أ,1,36.28,59.61,TRN-Q01\n"
          "MET-11,ایستگاه ب,Station B,محطة ب,2,36.29,59.62,TRN-Q01\n")
DETECTED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone.utc)  # 29 Aban 1405


@pytest.fixture
def alerts(loaded, make_user):
    """60 drops and a service time above the standard at station A (district 1), one silence at B
    (district 2); one user per role."""
    session = loaded.session
    import_points(session, POINTS)
    metro = session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
    a, b = (session.scalar(select(ServicePoint.id).where(ServicePoint.code == code)) for code in ("MET-10", "MET-11"))
    for i in range(60):
        at = DETECTED - dt.timedelta(days=i)
        session.add(Alert(key=f"outcome_drop:{a}:{metro.id}:{i}", kind="outcome_drop", service_point_id=a,
                          instrument_id=metro.id, detected_at=at, period_start=at - dt.timedelta(days=20),
                          period_end=at, statistic=12.5, threshold=11.1, baseline=4.1, observed=3.62, responses=70))
    session.add(Alert(key=f"silence:{b}:{metro.id}:x", kind="silence", service_point_id=b, instrument_id=metro.id,
                      detected_at=DETECTED, period_start=DETECTED - dt.timedelta(days=5), period_end=DETECTED,
                      statistic=5.0, threshold=2.3, responses=900))
    session.add(Alert(key=f"service_time:{a}:{metro.id}:x", kind="service_time", service_point_id=a,
                      instrument_id=metro.id, detected_at=DETECTED - dt.timedelta(days=100), statistic=22.0,
                      threshold=15.0, observed=22.0, responses=1))
    session.commit()
    for role in ("researcher", "supervisor", "admin", "inspector"):
        make_user(f"{role}1", role, PASSWORD)
    return {"drop_ids": [x.id for x in session.scalars(select(Alert).where(Alert.kind == "outcome_drop"))],
            "silence_id": session.scalar(select(Alert.id).where(Alert.kind == "silence"))}


def rows(html: str) -> list[str]:
    return re.findall(r'data-alert="(\d+)"', html)


def test_researcher_reads_alerts_in_persian_with_jalali_dates_and_pages(app, alerts):
    client = client_as(app, "researcher1")
    html = client.get("/alerts?lang=fa").get_data(as_text=True)
    assert "هشدارها" in html and "افت رضایت کلی" in html
    assert "۱۴۰۵" in html and "۶۲ هشدار" in html  # Jalali year, Persian digits, the total
    assert len(rows(html)) == 50 and 'rel="next"' in html
    second = client.get("/alerts?lang=fa&page=2").get_data(as_text=True)
    assert len(rows(second)) == 12 and not set(rows(html)) & set(rows(second))
    assert "۳٫۶۲" in html or "۳.۶۲" in html  # the observed mean, in Persian digits
    english = client.get("/alerts?lang=en&district=2").get_data(as_text=True)
    assert rows(english) == [str(alerts["silence_id"])] and "No answers lately" in english
    assert len(rows(client.get("/alerts?kind=outcome_drop&district=1&instrument=trn-q01").get_data(as_text=True))) == 50
    assert rows(client.get("/alerts?instrument=SRV-Q04").get_data(as_text=True)) == []
    timed = client.get("/alerts?lang=en&kind=service_time").get_data(as_text=True)
    assert len(rows(timed)) == 1 and "measured 22.0 minutes; the service card's standard is 15 minutes" in timed
    home = client.get("/home?lang=fa").get_data(as_text=True)
    assert "هشدارهای باز: ۶۲" in home and 'href="/alerts"' in home  # on the researcher's home, and in the menu
    arabic = client.get("/alerts?lang=ar&kind=silence").get_data(as_text=True)
    assert "لا إجابات مؤخرًا" in arabic


@pytest.mark.parametrize("query", ["district=0", "district=abc", "kind=<script>", "status=deleted", "page=-3",
                                   "page=99999", "instrument=" + "X" * 500, "district=%00"])
def test_clumsy_filters_show_a_page_not_an_error(app, alerts, query):
    response = client_as(app, "researcher1").get(f"/alerts?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Traceback" not in html


def test_supervisors_see_only_silent_points(app, alerts):
    """Drops and bursts come from citizens' answers, which are for research staff; a silent point
    is field work."""
    client = client_as(app, "supervisor1")
    html = client.get("/alerts?lang=en&status=all").get_data(as_text=True)
    assert rows(html) == [str(alerts["silence_id"])]
    assert "Overall satisfaction dropped" not in html
    page = client.get("/alerts").get_data(as_text=True)
    refused = client.post(f"/alerts/{alerts['drop_ids'][0]}/status",
                          data={"csrf_token": csrf_token(page), "status": "closed"})
    assert refused.status_code == 404
    assert client_as(app, "inspector1").get("/alerts").status_code == 403


def test_changing_the_status_is_audited_and_filters_follow(app, loaded, alerts):
    client = client_as(app, "researcher1")
    page = client.get("/alerts?lang=en").get_data(as_text=True)
    target = alerts["drop_ids"][0]
    done = client.post(f"/alerts/{target}/status", data={"csrf_token": csrf_token(page), "status": "acknowledged",
                                                          "back": "/alerts?status=acknowledged"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/alerts?status=acknowledged")
    alert = loaded.session.get(Alert, target)
    loaded.session.refresh(alert)
    assert alert.status == "acknowledged" and alert.status_changed_by_id is not None
    assert loaded.session.scalar(select(AuditEvent).where(AuditEvent.action == "alert.status")).target == f"alert:{target}"
    assert rows(client.get("/alerts?status=acknowledged").get_data(as_text=True)) == [str(target)]
    assert str(target) not in rows(client.get("/alerts").get_data(as_text=True))  # open only, by default
    # a status that is not one of the three, and a redirect elsewhere, are refused
    wrong = client.post(f"/alerts/{target}/status", data={"csrf_token": csrf_token(page), "status": "deleted",
                                                           "back": "https://evil.example/"})
    assert wrong.status_code == 302 and wrong.headers["Location"].endswith("/alerts")
    loaded.session.refresh(alert)
    assert alert.status == "acknowledged"
