"""The Flask extensions, created once here and bound to the app in :func:`surveyor.create_app`."""
from __future__ import annotations

import threading
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import Storage

from .models.base import Base


class ProcessCounterStorage(Storage):
    """Fixed-window rate-limit counters in this process's memory, expired lazily.

    Used instead of limits' ``memory://`` storage, which starts a new timer thread to expire
    keys every time a counter is increased more than 10 ms after the previous one: under load
    that is a thread start (and a wait for it to be scheduled) every few submissions, which cost
    more than everything else the two survey limits do. Here a counter past its window is
    dropped when it is next read, and every key is swept at most once a minute. Junk requests
    (a new login name each) could still fill memory within a window, so at most ``MAX_KEYS``
    counters are kept: when full, expired ones go first, then the quarter that would expire
    soonest (about 20 MB at most). Counts are per process, as before; set SURVEYOR_REDIS_URL to
    share them between workers and hosts. (The survey counts in the database instead.)
    """

    STORAGE_SCHEME = ["surveyor-memory"]
    SWEEP_SECONDS = 60
    MAX_KEYS = 100_000

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._counts: dict[str, list] = {}  # key -> [count, expires at (Unix time)]
        self._lock = threading.Lock()  # gunicorn --threads shares a process between requests
        self._next_sweep = time.time() + self.SWEEP_SECONDS

    @property
    def base_exceptions(self):
        return ValueError

    def _live(self, key: str, now: float) -> list | None:
        entry = self._counts.get(key)
        if entry is not None and entry[1] <= now:
            del self._counts[key]
            return None
        return entry

    def _sweep(self, now: float) -> None:
        """Drop every expired counter; called with the lock held, at most once a minute."""
        if now >= self._next_sweep:
            self._counts = {key: entry for key, entry in self._counts.items() if entry[1] > now}
            self._next_sweep = now + self.SWEEP_SECONDS

    def _make_room(self, now: float) -> None:
        """Called with the lock held when a new counter would pass MAX_KEYS."""
        self._next_sweep = now
        self._sweep(now)
        if len(self._counts) >= self.MAX_KEYS:
            keep = sorted(self._counts.items(), key=lambda item: item[1][1])[self.MAX_KEYS // 4:]
            self._counts = dict(keep)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with self._lock:
            self._sweep(now)
            entry = self._live(key, now)
            if entry is None:
                if len(self._counts) >= self.MAX_KEYS:
                    self._make_room(now)
                entry = self._counts[key] = [0, now + expiry]
            entry[0] += amount
            return entry[0]

    def get(self, key: str) -> int:
        with self._lock:
            entry = self._live(key, time.time())
            return entry[0] if entry else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        with self._lock:
            entry = self._live(key, now)
            return entry[1] if entry else now

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = len(self._counts)
            self._counts = {}
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class SurveyorLimiter(Limiter):
    """Flask-Limiter, counting in :class:`ProcessCounterStorage` when no shared storage is set,
    and without its per-request pass over limits that this app does not have."""

    def init_app(self, app) -> None:
        if app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
            app.config["RATELIMIT_STORAGE_URI"] = f"{ProcessCounterStorage.STORAGE_SCHEME[0]}://"
        super().init_app(app)

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        """Flask-Limiter checks every request twice: in a before_request hook (application,
        default, blueprint and meta limits) and in the decorator of a limited view (its own
        limits). Surveyor declares its limits on views only, so the hook has nothing to count
        and is skipped; it runs as before as soon as a limit of another kind is configured."""
        if in_middleware and not self._limits_outside_views():
            return None
        return super()._check_request_limit(callable_name, in_middleware)

    def _limits_outside_views(self) -> bool:
        """Whether an application, default, blueprint or meta limit is configured; True when this
        Flask-Limiter keeps them under other names, so that the hook then runs as it always did."""
        manager = self.limit_manager
        try:
            return bool(manager._application_limits or manager._default_limits or manager._blueprint_limits
                        or self._meta_limits)
        except AttributeError:
            return True


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared on the routes that need them (the survey submission); the key is chosen
# there too, so that no raw IP address is ever used as a stored key.
limiter = SurveyorLimiter(key_func=lambda: "global", default_limits=[], headers_enabled=False)
