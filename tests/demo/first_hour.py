"""The first hour, as a newcomer lives it (``make demo-check``, and ``test_first_hour.py``).

1. ``make run`` on a fresh database (a temporary instance folder) and a free port; the one-time
   passwords are read from what it prints.
2. In Debian's Chromium (headless), each demo role logs in, goes through the forced password
   change, and lands on its home: the page carries ``data-role-home="<role>"`` (the contract of
   the role homes), both after the change and at the next login. Apart from that contract, each
   role must be signed in and reach its own working page.
3. The administrator opens a service point's page and downloads its posters; the QR code on the
   first poster is decoded (pdftoppm, zbarimg) and must carry the port the app is served on.
4. A citizen (a browser without a session) opens that link on a phone, answers every question
   and sends; the response is stored (counted in the database).

``python -m tests.demo.first_hour`` runs it all and prints one line per step; ``--url URL --log
FILE`` checks a demo that is already running instead (FILE: what its ``make run`` printed; the
one-time passwords are then used up, and the new ones are printed).
"""
from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PASSWORD_LINE = re.compile(r"^\s+(\S+)\s+(admin|researcher|supervisor|inspector)\s+(\S+)\s*$", re.M)
# Where each role works, whatever its home looks like: the page must answer 200 once signed in.
WORKING_PAGE = {"admin": "/admin/points", "researcher": "/results/TRN-Q01", "supervisor": "/inspect/team",
                "inspector": "/inspect/"}
START_SECONDS = 300
PHONE = {"width": 360, "height": 740}


@dataclass
class Demo:
    url: str
    output: list[str]
    database: Path | None = None

    def text(self) -> str:
        return "".join(self.output)

    def accounts(self) -> dict[str, tuple[str, str]]:
        """role -> (username, one-time password): the first user printed for each role."""
        found: dict[str, tuple[str, str]] = {}
        for username, role, password in PASSWORD_LINE.findall(self.text()):
            found.setdefault(role, (username, password))
        return found


@dataclass
class Report:
    """What the walk found: steps that passed and failures, each as one line."""
    passed: list[str] = field(default_factory=list)
    failed: dict[str, list[str]] = field(default_factory=dict)

    def check(self, area: str, ok: bool, what: str) -> bool:
        (self.passed.append(f"{area}: {what}") if ok else self.failed.setdefault(area, []).append(what))
        return ok


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/login", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def make_run(instance: Path, port: int, responses: int | None = None):
    """``make run PORT=port`` with its own instance folder, until the app answers; stopped after.
    ``responses``: per questionnaire (DEMO_RESPONSES), fewer than the demo's 600 to be quicker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEYOR_")}
    env["SURVEYOR_INSTANCE_PATH"] = str(instance)
    # The venv and the compiled translations are taken as they are (`make demo-check` and `make test`
    # make them first): compiling them again here would rewrite .mo files other test workers read.
    venv = Path(sys.executable).parent.parent  # the environment this runs in, wherever it is
    command = ["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.installed", "-o", "translations",
               "run", f"PORT={port}"] + ([f"DEMO_RESPONSES={responses}"] if responses is not None else [])
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    demo = Demo(f"http://127.0.0.1:{port}", [], instance / "surveyor.sqlite3")
    reader = threading.Thread(target=lambda: demo.output.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(demo.url):
            if process.poll() is not None:
                raise RuntimeError(f"`make run` stopped ({process.returncode}):\n{demo.text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"`make run` did not answer within {START_SECONDS} s:\n{demo.text()[-3000:]}")
            time.sleep(0.5)
        yield demo
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the group this call started: make and its children
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _log_in(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login?lang=fa")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#submit")
    page.wait_for_load_state()


def _role_home(page) -> str | None:
    marked = page.locator("[data-role-home]")
    return marked.first.get_attribute("data-role-home") if marked.count() else None


def walk_roles(browser, demo: Demo, report: Report) -> dict[str, object]:
    """Log in as each role, change the one-time password, check the home; returns the signed-in
    contexts by role (the caller closes them) and prints the new passwords for a running demo."""
    accounts = demo.accounts()
    report.check("accounts", set(accounts) == set(WORKING_PAGE),
                 f"one-time passwords printed for every role (found: {', '.join(sorted(accounts)) or 'none'})")
    contexts = {}
    for role, (username, password) in sorted(accounts.items()):
        context = browser.new_context()
        page = context.new_page()
        _log_in(page, demo.url, username, password)
        if not report.check("login", "/password" in page.url,
                            f"{role} ({username}) is asked to choose a password at first login ({page.url})"):
            context.close()
            continue
        new = f"demo-{secrets.token_urlsafe(12)}"
        page.fill("#current", password)
        page.fill("#new", new)
        page.fill("#confirm", new)
        with page.expect_navigation():
            page.click("#submit")
        page.wait_for_load_state()
        changed = "/password" not in page.url and "/login" not in page.url
        report.check("login", changed, f"{role} changed the one-time password ({page.url})")
        report.check("home", _role_home(page) == role,
                     f"{role} lands on the {role} home after the password change "
                     f"(data-role-home: {_role_home(page)!r}, at {page.url})")
        report.check("login", page.locator("form[data-logout]").count() > 0, f"{role} is signed in")
        status = page.goto(demo.url + WORKING_PAGE[role]).status
        report.check("login", status == 200 and "/login" not in page.url,
                     f"{role} reaches {WORKING_PAGE[role]} ({status}, at {page.url})")
        again = browser.new_context()
        next_day = again.new_page()
        _log_in(next_day, demo.url, username, new)
        report.check("home", _role_home(next_day) == role,
                     f"{role} lands on the {role} home at the next login "
                     f"(data-role-home: {_role_home(next_day)!r}, at {next_day.url})")
        again.close()
        if demo.database is None:
            print(f"{username}: new password {new}")
        contexts[role] = context
    return contexts


def poster_link(admin_context, demo: Demo, report: Report, work: Path) -> str | None:
    """The survey link on the first poster of a metro station's page, read from its QR code."""
    page = admin_context.new_page()
    page.goto(f"{demo.url}/admin/points?lang=fa")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    points = [h for h in hrefs if re.search(r"/admin/points/\d+$", h)]
    if not report.check("poster", bool(points), "the admin's service points page lists points"):
        return None
    page.goto(demo.url + points[0])
    posters = page.eval_on_selector_all("a[href*='posters.pdf']", "links => links.map(a => a.href)")
    if not report.check("poster", bool(posters), f"the point page {points[0]} offers its posters"):
        return None
    pdf = page.request.get(posters[0])
    if not report.check("poster", pdf.ok and pdf.body()[:5] == b"%PDF-", f"the posters download ({pdf.status})"):
        return None
    (work / "posters.pdf").write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(work / "posters.pdf"),
                    str(work / "poster")], check=True)
    image = next(work.glob("poster*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True).stdout.split()
    link = decoded[0] if decoded else None
    report.check("poster", bool(link) and link.startswith(f"{demo.url}/s/"),
                 f"the poster's QR code carries a link on the app's own address {demo.url} ({link})")
    page.close()
    return link


def _stored(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("select count(*) from responses where channel != 'demo'").fetchone()[0]


def answer_as_citizen(browser, link: str, demo: Demo, report: Report) -> None:
    """Open the link on a phone without a session, answer every question and send."""
    before = _stored(demo.database) if demo.database else None
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(link)
    report.check("survey", page.locator("form[data-survey-form]").count() == 1, f"the survey opens at {link}")
    page.evaluate("""() => {
        for (const set of document.querySelectorAll('form[data-survey-form] fieldset')) {
            const choices = [...set.querySelectorAll('input[type=radio]')].filter(i => i.value !== 'dk');
            if (choices.length) choices[Math.floor(choices.length / 2)].checked = true;
        }
        for (const input of document.querySelectorAll('form[data-survey-form] .question input:not([type=radio])')) {
            if (input.type !== 'hidden' && input.type !== 'checkbox') input.value = input.min || '5';
        }
    }""")
    with page.expect_navigation():
        page.click("form[data-survey-form] button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator(".field-error").all_inner_texts()
    report.check("survey", "/thanks" in page.url, f"the answers are accepted ({page.url}; {errors})")
    if demo.database:
        after = _stored(demo.database)
        report.check("survey", after == before + 1, f"the response is stored ({before} -> {after})")
    context.close()


def _instrument_of(database: Path, link: str) -> str:
    with sqlite3.connect(database) as connection:
        return connection.execute("select i.code from survey_links l join instruments i on i.id = l.instrument_id "
                                  "where l.token = ?", (link.rsplit("/", 1)[-1],)).fetchone()[0]


def _results_count(context, demo: Demo, code: str) -> int | None:
    """The "Responses" figure of the results page, flagged ones included (a quick test answer
    is flagged as a speeder)."""
    page = context.new_page()
    page.goto(f"{demo.url}/results/{code}?lang=en&flagged=1")
    figure = page.locator(".card.stat .stat-value")
    text = figure.first.inner_text() if figure.count() else ""
    page.close()
    return int(text.replace(",", "")) if text.replace(",", "").isdigit() else None


def walk(browser, demo: Demo, work: Path) -> Report:
    report = Report()
    contexts = walk_roles(browser, demo, report)
    try:
        if report.check("poster", "admin" in contexts, "the admin is signed in"):
            link = poster_link(contexts["admin"], demo, report, work)
            if link:
                researcher = contexts.get("researcher") if demo.database else None
                code = _instrument_of(demo.database, link) if researcher else None
                before = _results_count(researcher, demo, code) if researcher else None
                answer_as_citizen(browser, link, demo, report)
                if researcher:
                    after = _results_count(researcher, demo, code)
                    report.check("results", before is not None and after == before + 1,
                                 f"the researcher's results page of {code} counts the new response "
                                 f"({before} -> {after})")
    finally:
        for context in contexts.values():
            context.close()
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a demo already running (default: start `make run` on a temporary database)")
    parser.add_argument("--log", type=Path, help="with --url: the file holding what its `make run` printed")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="surveyor-demo-check-") as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        if args.url:
            if not args.log:
                parser.error("--url needs --log: the passwords are read from what `make run` printed")
            demo = Demo(args.url.rstrip("/"), [args.log.read_text(encoding="utf-8")])
            report = walk(browser, demo, Path(work))
        else:
            port = free_port()
            with make_run(Path(work) / "instance", port) as demo:
                print(f"`make run PORT={port}` answered after {time.monotonic() - started:.0f} s")
                report = walk(browser, demo, Path(work))
        browser.close()
    for line in report.passed:
        print(f"ok    {line}")
    for area, lines in report.failed.items():
        for line in lines:
            print(f"FAIL  {area}: {line}")
    print(f"{len(report.passed)} passed, {sum(map(len, report.failed.values()))} failed "
          f"in {time.monotonic() - started:.0f} s")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
