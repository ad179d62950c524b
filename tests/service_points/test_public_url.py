"""Links follow the port the demo is served on (issue 13): `make run PORT=5742` records the address,
and `surveyor points links` / `points posters` typed in another terminal use it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from surveyor import create_app
from surveyor.config import PROJECT_ROOT
from surveyor.public_url import DEFAULT, explain, record, resolve

SERVED = "http://127.0.0.1:5742"


def _config(env: str, url: str | None = None) -> dict:
    return {"SURVEYOR_ENV": env, "PUBLIC_URL": url}


@pytest.mark.parametrize("env", ["demo", "test"])
def test_an_unset_address_is_where_the_demo_was_last_served(tmp_path, env):
    config = _config(env)
    resolve(config, tmp_path)
    assert (config["PUBLIC_URL"], config["PUBLIC_URL_SOURCE"]) == (DEFAULT, "default")
    assert "SURVEYOR_PUBLIC_URL is not set" in explain(config, tmp_path)
    record(tmp_path, SERVED + "/")
    config = _config(env)
    resolve(config, tmp_path)
    assert (config["PUBLIC_URL"], config["PUBLIC_URL_SOURCE"]) == (SERVED, "record")
    assert "make run" in explain(config, tmp_path) and SERVED in explain(config, tmp_path)


def test_the_setting_wins_and_production_never_reads_the_record(tmp_path):
    record(tmp_path, SERVED)
    config = _config("demo", "https://nazar.example.ir")
    resolve(config, tmp_path)
    assert config["PUBLIC_URL"] == "https://nazar.example.ir" and explain(config, tmp_path) is None
    config = _config("production")
    resolve(config, tmp_path)
    assert config["PUBLIC_URL"] == DEFAULT


@pytest.mark.parametrize("content", ["", "not a url", "javascript:alert(1)", "ftp://host/", "\x00\xff"])
def test_a_broken_record_is_ignored(tmp_path, content):
    (tmp_path / "public_url").write_text(content, encoding="latin-1")
    config = _config("demo")
    resolve(config, tmp_path)
    assert config["PUBLIC_URL"] == DEFAULT


def test_links_typed_in_another_terminal_carry_the_served_port(app, loaded, runner, tmp_path, monkeypatch):
    """After `make run PORT=5742` (its record: tests/demo/test_city.py checks the city writes it), a
    second process without SURVEYOR_PUBLIC_URL prints links, and makes posters, on port 5742."""
    points = tmp_path / "points.csv"
    points.write_text("code,name_fa,name_en,name_ar,district,lat,lon,instruments\n"
                      "D01-MET,ایستگاه,Station,,1,,,TRN-Q01;TRN-Q05;TRN-C01\n", encoding="utf-8")
    assert runner.invoke(args=["points", "import", str(points)]).exit_code == 0
    record(tmp_path / "instance", SERVED)

    # Another terminal: a new process, without SURVEYOR_PUBLIC_URL.
    env = {"PATH": os.environ["PATH"], "SURVEYOR_ENV": "demo", "SURVEYOR_INSTANCE_PATH": str(tmp_path / "instance"),
           "SURVEYOR_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    surveyor = str(Path(sys.executable).parent / "surveyor")
    links = subprocess.run([surveyor, "points", "links"], env=env, capture_output=True, text=True)
    assert links.returncode == 0, links.stderr
    urls = [line.split()[-1] for line in links.stdout.splitlines()]
    assert len(urls) == 2 and all(url.startswith(f"{SERVED}/s/") for url in urls)
    assert "where `make run` last served the demo" in links.stderr

    # Posters from the command line, in this process (ReportLab is slow to load in a new one): an
    # app created as that terminal creates it, its own context current.
    monkeypatch.delenv("SURVEYOR_PUBLIC_URL", raising=False)
    other = create_app({"SURVEYOR_ENV": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "INSTANCE_PATH": str(tmp_path / "instance")})
    pdf = tmp_path / "posters.pdf"
    with other.app_context():
        made = other.test_cli_runner().invoke(args=["points", "posters", "--point", "D01-MET", "-o", str(pdf)])
    assert made.exit_code == 0, made.output
    assert "where `make run` last served the demo" in made.stderr
    png = tmp_path / "poster"
    subprocess.run(["pdftoppm", "-r", "120", "-png", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(next(tmp_path.glob("poster*.png")))],
                             capture_output=True, text=True).stdout.strip()
    assert decoded.startswith(f"{SERVED}/s/")


def test_make_run_gives_every_demo_command_the_served_address():
    """The Makefile's demo commands get SURVEYOR_PUBLIC_URL from HOST and PORT (unless it is set)."""
    dry = subprocess.run(["make", "-n", "run", "PORT=5742"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"}).stdout
    commands = [line for line in dry.splitlines() if "bin/surveyor" in line]
    assert any("demo --city" in line for line in commands)
    for line in commands:
        shown = subprocess.run(["sh", "-c", line.split(" .venv/bin/surveyor")[0] + " env"], capture_output=True,
                               text=True, env={"PATH": "/usr/bin:/bin"}).stdout
        assert f"SURVEYOR_PUBLIC_URL={SERVED}" in shown.splitlines() and "SURVEYOR_ENV=demo" in shown.splitlines()
