"""Penetration test, issue 12, low findings 9, 10 and 14 (first part): secrets that can be guessed.

Replayed from the report:

- the production key check accepted ``my-surveyor-production-secret-key-2026`` and
  ``password1234567890password1234567890`` (long enough, varied enough, and guessable);
- the password policy was a length: ``aaaaaaaaaa`` was accepted, and so were common passwords
  and passwords made of the username;
- a one-time password never expired.
"""
from __future__ import annotations

import re
import secrets

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from surveyor import create_app
from surveyor.config import ConfigurationError
from surveyor.models import User
from tests.auth.test_login import login
from tests.conftest import csrf_token

GUESSABLE_KEYS = [
    "my-surveyor-production-secret-key-2026",          # from the report
    "password1234567890password1234567890",            # from the report
    "mashhad-municipality-surveyor-secret-key-1403",   # words and a year
    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",  # a sequence
    "Qm3v9xT2" * 6,                                    # a random-looking piece, repeated
]


@pytest.mark.parametrize("key", GUESSABLE_KEYS)
def test_production_refuses_a_guessable_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("SURVEYOR_ENV", "production")
    monkeypatch.setenv("SURVEYOR_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SURVEYOR_SECRET_KEY is too weak.*surveyor new-secret-key"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_a_key_printed_by_surveyor_starts_production(tmp_path, monkeypatch):
    from surveyor.cli import main
    printed = [CliRunner().invoke(main, ["new-secret-key"]) for _ in range(2)]
    assert [result.exit_code for result in printed] == [0, 0]
    keys = [result.output.strip() for result in printed]
    assert keys[0] != keys[1] and all(re.fullmatch(r"[A-Za-z0-9_-]{64}", key) for key in keys)
    monkeypatch.setenv("SURVEYOR_ENV", "production")
    monkeypatch.setenv("SURVEYOR_SECRET_KEY", keys[0])
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == keys[0]


def test_the_estimate_of_a_random_key_is_its_length_in_decimal_digits_at_most():
    """zxcvbn counts a random stretch as 10 guesses per character (about 3.3 bits), below what a
    URL-safe character holds (6 bits): the estimate errs on the safe side for random keys."""
    from surveyor.secret_keys import estimated_bits
    key = secrets.token_urlsafe(48)
    assert 128 <= estimated_bits(key) <= len(key) * 3.33
    assert estimated_bits("my-surveyor-production-secret-key-2026") < 100


# ---- Passwords ----

PASSWORD = "a strong pass phrase"
COMMON = "This password is one of the most common ones"
REPETITIVE = "This password repeats or follows a sequence"
USERNAME = "The password must not contain your username"
WEAK_PASSWORDS = {
    "aaaaaaaaaa": REPETITIVE,          # from the report
    "abcabcabcabc": REPETITIVE,
    "7777733333": REPETITIVE,
    "abcdefghijklm": REPETITIVE,
    "asdfghjkl;'": REPETITIVE,         # a row of the keyboard
    "zxcvbnmasdfgh": COMMON,           # two rows, each a common password of its own
    "password123": COMMON,
    "1234567890": COMMON,
    "۱۲۳۴۵۶۷۸۹۰": COMMON,              # the same, typed on a Persian keyboard
    "iloveyou2026": COMMON,
    "P@ssw0rd!2025": COMMON,
    "Football!!!!": COMMON,
    "nasrin-1990-x": USERNAME,
    "x-NASRIN-1990": USERNAME,
}


def change_password(client, new: str, lang: str = "en"):
    token = csrf_token(client.get(f"/password?lang={lang}").get_data(as_text=True))
    return client.post("/password", data={"csrf_token": token, "current": PASSWORD, "new": new, "confirm": new})


@pytest.mark.parametrize("weak", sorted(WEAK_PASSWORDS))
def test_a_weak_new_password_is_refused_with_the_reason(client, make_user, weak):
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    response = change_password(client, weak)
    assert response.status_code == 400
    assert WEAK_PASSWORDS[weak] in response.get_data(as_text=True)


@pytest.mark.parametrize("good", ["another quiet morning", "باران پاییزی روی بوستان ملت", "Tabriz/Kish 1403 trip",
                                  "7#kQ!v2p9Lm"])
def test_a_good_new_password_is_accepted(client, db, make_user, good):
    user = make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    assert change_password(client, good).status_code == 302
    db.session.refresh(user)
    assert user.check_password(good)


@pytest.mark.parametrize("lang, expected", [
    ("fa", "این گذرواژه تکرار یا دنباله است"), ("ar", "كلمة المرور هذه تكرار أو تسلسل")])
def test_the_reason_is_given_in_the_users_language(client, make_user, lang, expected):
    make_user("nasrin", "researcher", PASSWORD)
    login(client, "nasrin", PASSWORD)
    assert expected in change_password(client, "aaaaaaaaaa", lang).get_data(as_text=True)


def test_an_administrator_cannot_set_a_weak_password_either(runner):
    result = runner.invoke(args=["users", "create", "sara", "--role", "admin", "--password-stdin"],
                           input="aaaaaaaaaa\n")
    assert result.exit_code != 0 and REPETITIVE in result.output
    named = runner.invoke(args=["users", "create", "sara", "--role", "admin", "--password-stdin"],
                          input="sara.admin.2026\n")
    assert named.exit_code != 0 and USERNAME in named.output


# ---- One-time passwords ----

def test_a_one_time_password_expires_and_says_whom_to_ask(app, client, db, runner, clock):
    created = runner.invoke(args=["users", "create", "omid", "--role", "inspector"])
    one_time = created.output.split("one-time password: ")[1].split()[0]
    assert f"{app.config['ONE_TIME_PASSWORD_HOURS']} hours" in created.output
    clock(hours=app.config["ONE_TIME_PASSWORD_HOURS"] + 1)
    expired = login(client, "omid", one_time)
    assert expired.status_code == 400
    body = expired.get_data(as_text=True)
    assert "This one-time password has expired" in body and "administrator" in body
    wrong = login(client, "omid", "not the one-time password")  # no hint without the password itself
    assert "expired" not in wrong.get_data(as_text=True)
    reset = runner.invoke(args=["users", "reset-password", "omid"])
    fresh = re.search(r"one-time password for omid: (\S+)", reset.output).group(1)
    assert login(client, "omid", fresh).headers["Location"] == "/password"


def test_a_one_time_password_works_within_its_lifetime(app, client, db, runner, clock):
    created = runner.invoke(args=["users", "create", "omid", "--role", "inspector"])
    one_time = created.output.split("one-time password: ")[1].split()[0]
    clock(hours=app.config["ONE_TIME_PASSWORD_HOURS"] - 1)
    assert login(client, "omid", one_time).headers["Location"] == "/password"
    user = db.session.scalar(select(User).where(User.username == "omid"))
    assert user.must_change_password
