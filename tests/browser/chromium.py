"""Debian's Chromium, started once per test process and shared by every folder's browser tests."""
from __future__ import annotations

import atexit
import shutil
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if not found:
        pytest.fail("Debian's Chromium is missing: `make test` installs it (apt-get install chromium)")
    return found


_RUNNING: dict = {}


def shared_browser():
    """One Chromium for the whole run: Playwright's sync API starts once per process, and tests
    outside this folder (tests/security) import the ``browser`` fixture, which pytest then sets up
    once more. Kept here, not in conftest.py: pytest imports that under a name of its own, and
    those tests import it again under another, with state of its own."""
    if "browser" not in _RUNNING:
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
        _RUNNING["browser"] = playwright.chromium.launch(executable_path=chromium_path(), args=[
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-gpu"])

        def stop():
            _RUNNING.pop("browser").close()
            playwright.stop()
        atexit.register(stop)
    return _RUNNING["browser"]
