"""Submission benchmark: survey answers per second through gunicorn, against a bare endpoint.

    python -m benchmarks.submissions                       # SQLite in a temporary folder
    python -m benchmarks.submissions --database-url postgresql+psycopg://postgres@127.0.0.1:5432/surveyor_bench

Both Surveyor and the bare endpoint (benchmarks/bare_app.py: one INSERT, nothing else) are
served by gunicorn with two workers on the same database (SQLite: the same durable settings on
both sides); a separate load process drives each with the same number of concurrent keep-alive
clients, in turn, in this one run, once every worker has loaded its app (start-up is not serving
time: benchmarks/gunicorn_ready.py). A share of Surveyor submissions is sent twice with the
same client id, as a phone retrying after a timeout would. Afterwards the database is counted:
every accepted submission must be stored exactly once. The PostgreSQL database named in the URL
is emptied first (use a scratch one).
Rate limits are raised for the run, since every request comes from this one machine.
Needs gunicorn (`pip install -e '.[production]'`).
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import shutil
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parent.parent
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # per worker (gunicorn --threads)
ANSWERS = {"overall": "4", "headway": "3", "punctuality": "dk", "crowding": "2", "ventilation": "4",
           "station_cleanliness": "5", "wait_minutes": "6", "recommend": "8", "rider_type": "resident",
           "comment": "ایستگاه تمیز بود ولی شلوغ"}
POINTS = ("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
          "MET-01,ایستگاه میدان شهدا,Shohada Square,,8,,,TRN-Q01\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare(env: dict) -> dict:
    """Migrate, load instruments, open TRN-Q01 at one station; returns what the load needs."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from benchmarks.bare_app import metadata as bare_metadata
    from surveyor import create_app
    from surveyor.extensions import db
    from surveyor.instruments import load_all
    from surveyor.instruments.sync import sync_instruments
    from surveyor.models import Instrument, SurveyLink
    from surveyor.service_points.importer import import_points
    from surveyor.service_points.windows import set_window

    app = create_app()
    with app.app_context():
        upgrade()
        sync_instruments(db.session, load_all(ROOT))
        import_points(db.session, POINTS)
        metro = db.session.scalar(select(Instrument).where(Instrument.code == "TRN-Q01"))
        set_window(db.session, metro.id, True)
        db.session.commit()
        link = db.session.scalar(select(SurveyLink))
        # The bare endpoint's table, made here: its workers would race to create it on a fresh database.
        bare_metadata.create_all(db.engine)
        info = {"token": link.token, "link_id": link.id, "version_id": metro.latest.id}
        db.engine.dispose()
    return info


def serve(target: str, port: int, env: dict, workers: int) -> subprocess.Popen:
    """Start gunicorn; return once every worker has loaded the app (see benchmarks/gunicorn_ready.py)."""
    ready = Path(tempfile.mkdtemp(prefix="surveyor-bench-ready-"))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:benchmarks.gunicorn_ready", "-w", str(workers),
         "--threads", str(THREADS), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         target], env={**os.environ, **env, "BENCH_READY_DIR": str(ready)}, cwd=ROOT)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and process.poll() is None:
            if len(list(ready.iterdir())) >= workers:
                return process
            time.sleep(0.1)
        process.kill()
        raise RuntimeError(f"gunicorn did not start {workers} workers on port {port}")
    finally:
        shutil.rmtree(ready, ignore_errors=True)


def load(port: int, bodies: list[tuple[str, str]], clients: int, queue) -> None:
    """Send every (path, body) once over ``clients`` keep-alive connections; report latencies."""
    latencies, statuses, lock = [], [], threading.Lock()
    work = iter(bodies)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                job = next(work, None)
            if job is None:
                break
            path, body = job
            start = time.perf_counter()
            try:
                conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "User-Agent": "surveyor-bench"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            with lock:
                latencies.append(time.perf_counter() - start)
                statuses.append(status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((time.perf_counter() - started, latencies, statuses))


def drive(port: int, bodies, clients: int) -> dict:
    queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=load, args=(port, bodies, clients, queue))
    process.start()
    elapsed, latencies, statuses = queue.get()
    process.join()
    ok = sum(1 for s in statuses if s == 303)
    ordered = sorted(latencies)
    return {"requests": len(statuses), "ok": ok, "errors": len(statuses) - ok, "seconds": elapsed,
            "per_second": len(statuses) / elapsed, "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[int(0.99 * (len(ordered) - 1))]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--retry-share", type=float, default=0.1, help="share of submissions sent twice")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="surveyor-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgresql"):
        reset_postgres(url)
    secret = secrets.token_urlsafe(48)  # a repeated uuid is refused as guessable in production
    env = {"SURVEYOR_ENV": "production", "SURVEYOR_SECRET_KEY": secret, "SURVEYOR_DATABASE_URL": url,
           "SURVEYOR_INSTANCE_PATH": str(workdir), "SURVEYOR_SURVEY_ADDRESS_CEILING": "10000000 per hour",
           "SURVEYOR_LINK_RATE_LIMIT": "10000000 per minute", "SURVEYOR_LOG_LEVEL": "WARNING"}
    info = prepare(env)

    from surveyor.survey import tokens
    started = time.time() - 90  # pages read for a minute and a half: not "too fast"
    survey_bodies, unique = [], []
    for _ in range(args.submissions):
        form_token = tokens.issue(secret, info["version_id"], info["link_id"], started=started)
        body = urllib.parse.urlencode({"form_token": form_token, **ANSWERS})
        survey_bodies.append((f"/s/{info['token']}", body))
        unique.append(body)
    retries = survey_bodies[: int(args.retry_share * args.submissions)]
    survey_bodies = survey_bodies + retries
    bare_bodies = [("/bare", urllib.parse.urlencode({"client_id": str(uuid.uuid4()), "overall": "4"}))
                   for _ in range(args.submissions)]

    results = {}
    for name, target, bodies in (("bare endpoint", "benchmarks.bare_app:create_app()", bare_bodies),
                                 ("surveyor", "surveyor:create_app()", survey_bodies)):
        port = free_port()
        server = serve(target, port, env, args.workers)
        try:
            results[name] = drive(port, bodies, args.clients)
        finally:
            server.terminate()
            server.wait(10)

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM responses")).scalar_one()
        distinct = conn.execute(text("SELECT count(DISTINCT client_id) FROM responses")).scalar_one()
        answers = conn.execute(text("SELECT count(*) FROM answers")).scalar_one()
        bare_rows = conn.execute(text("SELECT count(*) FROM bench_bare")).scalar_one()
    engine.dispose()

    engine_name = "PostgreSQL" if url.startswith("postgresql") else "SQLite (WAL, synchronous=FULL)"
    print(f"\nSubmission benchmark on {engine_name}: gunicorn -w {args.workers} --threads {THREADS}, "
          f"{args.clients} concurrent clients, "
          f"{args.submissions} submissions (+{len(retries)} retries of the same client id)")
    print(f"{'':15} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:15} {r['requests']:>9} {r['errors']:>7} {r['per_second']:>8.1f} {r['p50_ms']:>8.1f} "
              f"{r['p99_ms']:>8.1f}")
    ratio = results["surveyor"]["per_second"] / results["bare endpoint"]["per_second"]
    lost = args.submissions - distinct
    duplicated = stored - distinct
    print(f"ratio surveyor / bare: {ratio:.2f} (target at least 0.50)")
    print(f"stored responses: {stored} for {args.submissions} distinct submissions; lost {lost}, "
          f"duplicated {duplicated}; answers stored {answers} ({answers / max(stored, 1):.0f} per response); "
          f"bare rows {bare_rows}")
    good = ratio >= 0.5 and lost == 0 and duplicated == 0 and results["surveyor"]["errors"] == 0
    print("RESULT:", "meets the targets" if good else "MISSES a target")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
