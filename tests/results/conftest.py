"""Fixtures of the results tests: a client signed in as research staff."""
from __future__ import annotations

import pytest


@pytest.fixture
def signed_in(researcher):
    """The test client signed in as the researcher «nahid» (no data made)."""
    return researcher
