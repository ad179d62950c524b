"""Corrective actions list benchmark: `/inspect/actions` and its download with many actions,
requested through the app as a signed-in researcher (who sees every team's).

    python -m benchmarks.action_list                       # 100,000 actions, temporary SQLite
    python -m benchmarks.action_list --actions 20000
    python -m benchmarks.action_list --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_actions

The actions (of SRV-C01 and SRV-C02 inspections at 26 sites in all 13 districts, seven per
inspection, every status, due dates over six months) are inserted in bulk and not timed. Then
each page is requested three times and the median shown with its HTML size: the first page,
filters (district, overdue, a due-date range), a search typed with Arabic letters, the last
page, and the CSV and Excel downloads of a district. The baseline, measured in the same run, is
what the list did before paging: every action not yet verified read with its inspection and site
(without making the HTML, which took 665 KB for 785 actions).

Targets: every page under 1 s and under 100 KB of HTML.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
import uuid
from pathlib import Path

TARGET_SECONDS = 1.0
TARGET_BYTES = 100 * 1024
PASSWORD = "a strong pass phrase"
DESCRIPTIONS = ("تمیزکاری کف سرویس", "نصب سطل‌های زباله", "تعمیر شیر آب", "رنگ‌آمیزی دیوار", "تعویض لامپ")
STATUSES = ("open", "open", "open", "in_progress", "done", "done", "verified")


def _app(url: str, instance: Path):
    from surveyor import create_app

    return create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(instance),
                       "WTF_CSRF_ENABLED": False})


def _fill(app, actions: int) -> None:
    """Sites, a researcher and ``actions`` corrective actions, unless already there."""
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from surveyor.auth.accounts import create_user
    from surveyor.config import PROJECT_ROOT
    from surveyor.extensions import db
    from surveyor.instruments import load_all
    from surveyor.instruments.sync import sync_instruments
    from surveyor.models import CorrectiveAction, Inspection, Instrument, ServicePoint, User

    with app.app_context():
        upgrade()
        have = db.session.scalar(select(func.count()).select_from(CorrectiveAction))
        if have >= actions:
            return
        sync_instruments(db.session, load_all(PROJECT_ROOT))
        if db.session.scalar(select(User).where(User.username == "bench")) is None:
            create_user(db.session, "bench", "researcher", PASSWORD, must_change_password=False)
        inspector = create_user(db.session, f"bench-inspector-{uuid.uuid4().hex[:6]}", "inspector", PASSWORD,
                                must_change_password=False)[0]
        for district in range(1, 14):
            for kind, name in (("WC", "سرویس بهداشتی"), ("PK", "بوستان")):
                code = f"B{kind}-{district:02d}"
                if db.session.scalar(select(ServicePoint.id).where(ServicePoint.code == code)) is None:
                    db.session.add(ServicePoint(code=code, name_fa=f"{name} {district}", name_en=f"{kind} {district}",
                                                district=district))
        db.session.flush()
        points = list(db.session.scalars(select(ServicePoint).where(ServicePoint.code.like("B%"))))
        checklists = {c.code: c for c in db.session.scalars(select(Instrument).where(
            Instrument.code.in_(["SRV-C01", "SRV-C02"])))}
        items = {code: [i["code"] for i in c.latest.definition["items"] if i["role"] == "check"][:7]
                 for code, c in checklists.items()}
        today, now = dt.date.today(), dt.datetime.now(dt.timezone.utc)
        n = have
        while n < actions:
            batch = []
            for k in range(500):
                point = points[(n // 7 + k) % len(points)]
                code = "SRV-C01" if point.code.startswith("BWC") else "SRV-C02"
                batch.append({"client_id": str(uuid.uuid4()), "instrument_id": checklists[code].id,
                              "instrument_version_id": checklists[code].latest.id, "service_point_id": point.id,
                              "inspector_id": inspector.id, "status": "submitted", "started_at": now,
                              "submitted_at": now})
            ids = db.session.scalars(insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True),
                                     batch).all()
            rows = []
            for inspection_id, values in zip(ids, batch):
                code = "SRV-C01" if values["instrument_id"] == checklists["SRV-C01"].id else "SRV-C02"
                for j in range(7):
                    rows.append({"inspection_id": inspection_id, "item_code": items[code][j],
                                 "description": f"{DESCRIPTIONS[n % 5]} {n}", "status": STATUSES[n % 7],
                                 "due_on": today + dt.timedelta(days=(n % 180) - 90)})
                    n += 1
            db.session.execute(insert(CorrectiveAction), rows)
            db.session.commit()


def _timed(client, url: str) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(3):
        start = time.perf_counter()
        answer = client.get(url)
        times.append(time.perf_counter() - start)
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
        size = len(answer.data)
    return statistics.median(times), size


def _baseline(app) -> tuple[float, int]:
    """Every action not yet verified, with its inspection and site: what the page read before paging."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from surveyor.extensions import db
    from surveyor.models import CorrectiveAction, Inspection

    with app.app_context():
        start = time.perf_counter()
        rows = list(db.session.scalars(
            select(CorrectiveAction).join(Inspection, Inspection.id == CorrectiveAction.inspection_id)
            .where(CorrectiveAction.status != "verified")
            .options(selectinload(CorrectiveAction.inspection).selectinload(Inspection.service_point))
            .order_by(CorrectiveAction.due_on, CorrectiveAction.id)))
        return time.perf_counter() - start, len(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'actions.sqlite3'}"
        app = _app(url, Path(folder))
        start = time.perf_counter()
        _fill(app, args.actions)
        print(f"{args.actions:,} actions ready in {time.perf_counter() - start:.0f} s (not timed below)")
        client = app.test_client()
        assert client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code == 302
        from surveyor.formatting import jalali_date
        today = dt.date.today()
        since, until = jalali_date(today - dt.timedelta(days=30), "en"), jalali_date(today, "en")
        first = client.get("/inspect/actions?lang=en").get_data(as_text=True)
        import re
        pages = int(re.search(r"Page [\d,]+ of ([\d,]+)", first).group(1).replace(",", ""))
        urls = {"first page": "/inspect/actions?lang=fa",
                "district 7": "/inspect/actions?lang=fa&district=7",
                "overdue": "/inspect/actions?lang=fa&overdue=1",
                "due in the last 30 days": f"/inspect/actions?lang=fa&due_from={since}&due_to={until}",
                "search «تميزكاري»": "/inspect/actions?lang=fa&q=تميزكاري",
                "search «سطلهاي ۱۲»": "/inspect/actions?lang=fa&q=سطلهاي+۱۲",
                f"last page ({pages:,})": f"/inspect/actions?lang=fa&page={pages}",
                "CSV, district 7": "/inspect/actions.csv?lang=fa&district=7",
                "Excel, district 7": "/inspect/actions.xlsx?lang=fa&district=7"}
        seconds, listed = _baseline(app)
        print(f"baseline: reading all {listed:,} actions not yet verified, as the page did: {seconds:.2f} s")
        failed = []
        for name, path in urls.items():
            seconds, size = _timed(client, path)
            page = not path.split("?")[0].endswith((".csv", ".xlsx"))
            ok = seconds < TARGET_SECONDS and (size < TARGET_BYTES or not page)
            failed += [] if ok or not page else [name]
            print(f"{name:28} {seconds:6.3f} s  {size / 1024:8.1f} KB{'' if ok or not page else '  over target'}")
        print("every page under 1 s and 100 KB" if not failed else f"over target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
