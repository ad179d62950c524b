"""Failed logins from one address are throttled across accounts; successes do not count."""
from __future__ import annotations

import pytest

from tests.auth.test_login import login


@pytest.fixture
def three_failures_allowed(app):
    app.config["LOGIN_RATE_LIMIT"] = "3 per 10 minutes"


def test_guessing_across_accounts_is_stopped_per_address(client, make_user, three_failures_allowed):
    make_user("nasrin", "researcher", "a strong pass phrase")
    for username in ("ali", "bahar", "nasrin"):  # one password tried on several accounts
        assert login(client, username, "123456789a").status_code == 400
    refused = login(client, "nasrin", "a strong pass phrase")  # even the right password, for now
    assert refused.status_code == 429
    body = refused.get_data(as_text=True)
    assert "Too many requests" in body and "Traceback" not in body
    other_address = app_client_from(client, "10.0.0.9")
    assert login(other_address, "nasrin", "a strong pass phrase").status_code == 302


def test_successful_logins_from_one_office_address_do_not_count(client, make_user, three_failures_allowed):
    for n in range(5):
        make_user(f"inspector{n}", "inspector", "a strong pass phrase")
    for n in range(5):
        fresh = app_client_from(client, "127.0.0.1")
        assert login(fresh, f"inspector{n}", "a strong pass phrase").status_code == 302


def app_client_from(client, address):
    """A new browser (no cookies) at another network address."""
    other = client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = address
    return other
