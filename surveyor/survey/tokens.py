"""The signed token a survey page carries: which version was shown, when, and the client id."""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from functools import lru_cache

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "surveyor.survey-form"


@dataclass(frozen=True)
class FormToken:
    client_id: str
    version_id: int
    link_id: int
    started: float  # Unix time the page was rendered

    def expired(self, lifetime_hours: float, now: float) -> bool:
        """Whether the page is older than its lifetime (a page may not be kept to be sent later)."""
        return now - self.started > lifetime_hours * 3600


@lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeSerializer:
    """One serializer per secret key, not one per request (it is immutable and thread-safe)."""
    return URLSafeSerializer(secret, salt=SALT)


def issue(secret: str, version_id: int, link_id: int, client_id: str | None = None,
          started: float | None = None) -> str:
    payload = {"c": client_id or str(uuid.uuid4()), "v": version_id, "l": link_id,
               "t": round(started if started is not None else time.time(), 1)}
    return _serializer(secret).dumps(payload)


def read(secret: str, token: str) -> FormToken | None:
    """The token's contents, or None when it was not made by this server."""
    try:
        data = _serializer(secret).loads(token or "")
        return FormToken(str(data["c"]), int(data["v"]), int(data["l"]), float(data["t"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
