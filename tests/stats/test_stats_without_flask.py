"""The statistics engine is pure: importing it loads neither Flask nor Werkzeug."""

from __future__ import annotations

import subprocess
import sys


def test_import_surveyor_stats_does_not_import_flask():
    code = (
        "import surveyor.stats, sys; "
        "loaded = [m for m in ('flask', 'werkzeug') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
