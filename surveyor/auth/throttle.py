"""Failed logins are throttled, never turned into a lock that someone else can set off.

Three counters, in the rate-limit storage (this process, or Redis with SURVEYOR_REDIS_URL):

- per account and client (SURVEYOR_LOGIN_ACCOUNT_LIMIT, 5 per 15 minutes): the client is the
  browser when it has logged in to that account before (it carries a signed device cookie that
  says so), otherwise the network address. A throttled client is refused for that account
  whatever the password, until the period ends; every other client still logs in.
- per account over all clients (SURVEYOR_LOGIN_ACCOUNT_CEILING, 100 per hour): reached only by
  guessing from many addresses at once (one address adds at most 20 an hour); new clients are
  then refused for that account, while browsers that have logged in to it before still pass.
  This is OWASP's "device cookie" defence (Authentication Cheat Sheet; Jim Manico and others).
- per address, whatever the account (SURVEYOR_LOGIN_RATE_LIMIT, on the view): one password tried
  over many accounts.

So one address can never keep anyone out but itself, and a botnet can keep out only browsers
that have never logged in to the account. Counters are keyed by the name typed, not by whether
an account has it, so an unknown name is counted, throttled and answered exactly like a real one.
Every key is a keyed hash (HMAC with the secret key): no name or address is stored.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

DEVICE_COOKIE = "surveyor_device"
DEVICE_DAYS = 365
DEVICE_ACCOUNTS = 20  # a shared tablet remembers this many accounts; the oldest is forgotten


def keyed_hash(secret: str, purpose: str, value: str, length: int = 32) -> str:
    """An HMAC-SHA256 of ``value``, separated by ``purpose``: the same input gives the same key,
    and nobody without the secret key can tell which input it was."""
    return hmac.new(secret.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:length]


@dataclass(frozen=True)
class LoginClient:
    """Who is trying: the keyed hash of their address, and the browser's device, if it has one."""

    address: str
    device: str | None = None
    known_accounts: frozenset[int] = frozenset()

    def key_for(self, user_id: int | None) -> tuple[str, bool]:
        """The counter key of this client for an account, and whether the client is known to it."""
        if self.device and user_id in self.known_accounts:
            return "device:" + self.device, True
        return "address:" + self.address, False


def _device_serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="surveyor.login-device")


def login_client(secret: str, remote_addr: str | None, device_cookie: str | None) -> LoginClient:
    """The client of a login request; a forged, altered or year-old device cookie counts as none."""
    address = keyed_hash(secret, "login-address", remote_addr or "")
    if device_cookie:
        try:
            data = _device_serializer(secret).loads(device_cookie, max_age=DEVICE_DAYS * 86400)
            return LoginClient(address, str(data["d"]), frozenset(int(u) for u in data["u"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            pass
    return LoginClient(address)


def device_cookie_value(secret: str, client: LoginClient, user_id: int, new_device: str) -> str:
    """The device cookie after ``user_id`` logged in on this browser (``new_device`` if it had none)."""
    accounts = [u for u in sorted(client.known_accounts) if u != user_id][-(DEVICE_ACCOUNTS - 1):]
    return _device_serializer(secret).dumps({"d": client.device or new_device, "u": [*accounts, user_id]})


class LoginThrottle:
    """The two account counters; the per-address one is Flask-Limiter's, on the login view."""

    def __init__(self, strategy, secret: str, per_client: str, ceiling: str):
        self.strategy, self.secret = strategy, secret
        self.per_client, self.ceiling = parse(per_client), parse(ceiling)

    @property
    def wait_minutes(self) -> int:
        """How long a throttled client waits at most: the period of the per-client counter."""
        return max(1, self.per_client.get_expiry() // 60)

    def _name(self, username: str) -> str:
        return keyed_hash(self.secret, "login-name", username)

    def refused(self, username: str, client: LoginClient, user_id: int | None) -> bool:
        name = self._name(username)
        client_key, known = client.key_for(user_id)
        if not self.strategy.test(self.per_client, "login-account", name, client_key):
            return True
        return not known and not self.strategy.test(self.ceiling, "login-account-all", name)

    def failed(self, username: str, client: LoginClient, user_id: int | None) -> None:
        name = self._name(username)
        self.strategy.hit(self.per_client, "login-account", name, client.key_for(user_id)[0])
        self.strategy.hit(self.ceiling, "login-account-all", name)

    def succeeded(self, username: str, client: LoginClient, user_id: int) -> None:
        """A success starts this client's count for the account afresh (failures "in a row")."""
        self.strategy.clear(self.per_client, "login-account", self._name(username), client.key_for(user_id)[0])
