"""Fixtures of the results tests: a client signed in as research staff."""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token


@pytest.fixture
def signed_in(client, make_user):
    """The test client signed in as the researcher «nahid» (no data made)."""
    make_user("nahid", "researcher", "a strong pass phrase")
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "username": "nahid",
                                "password": "a strong pass phrase"})
    return client
