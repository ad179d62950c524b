"""Each questionnaire's answers table, kept between requests and caught up with new responses.

Reading a whole instrument's answers (:func:`surveyor.responses.dataset.read_responses`) costs
about 33 µs of CPU per response on SQLite here (3.3 s at 100,000 responses with 17 answers each,
two thirds of it the database driver making its rows; 55 µs before the answers were read in one
pass into columns), far too long for a results page. But stored responses are never edited,
only added, so the table only grows:

- :class:`ResponseTables` keeps each instrument's table in memory, per process, with the id of
  every response it holds;
- on each use it asks the database how many responses the instrument has and the highest id
  (one indexed query); when they match what it holds, the table is current;
- otherwise it reads the responses with an id above the highest it holds less
  :data:`LATE_COMMIT_MARGIN` (on PostgreSQL a transaction holding a lower id may commit after
  one holding a higher id), keeps those it does not hold yet, and checks that the count now
  matches; if it still does not (responses deleted, or another database behind the same
  folder), it reads the whole table again;
- after a full read, and when enough responses were added since, it writes a snapshot to the
  instance folder, so a restarted worker or a ``surveyor report`` run starts from the snapshot
  and reads only what is newer. A snapshot names the database it was read from and its last
  response's client id, which is checked before the snapshot is used.

Snapshots hold data only (numpy arrays and JSON, :mod:`surveyor.results.snapshot`): the folder
may be shared between hosts, and reading a snapshot never runs code, whoever wrote the file.
Pickles, which older releases wrote, are never read.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select

from ..models import Response
from ..responses.columns import RESPONSE_ID

if TYPE_CHECKING:
    import pandas as pd

# pandas (and the modules below that use it) is imported when a table is first read, not when
# the app is built: every page and command that draws no figure would otherwise wait for it.

log = logging.getLogger(__name__)

LATE_COMMIT_MARGIN = 256     # ids below the highest held that are read again in case they committed late
SNAPSHOT_EVERY = 0.05         # write a new snapshot once this share of responses was added since the last
SNAPSHOT_MIN_RESPONSES = 5000  # smaller tables read fast enough from the database


@dataclass(frozen=True)
class Table:
    """One instrument's answers (see :func:`surveyor.responses.answers_frame`) and the ids of
    every response read, those without answers included (sorted)."""

    frame: pd.DataFrame
    ids: np.ndarray
    last_client_id: str | None
    snapshot_size: int = 0   # responses held by the snapshot on disk, if any

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def max_id(self) -> int | None:
        return int(self.ids[-1]) if len(self.ids) else None


class ResponseTables:
    """The answers tables of every questionnaire, current on each call of :meth:`frame`.

    ``directory`` holds the snapshots (None: keep tables in memory only). ``database_key``
    names the database, so that a snapshot is never used with another one.
    """

    def __init__(self, directory: Path | None = None, database_key: str = ""):
        self.directory = Path(directory) if directory else None
        self.database_key = hashlib.sha256(database_key.encode()).hexdigest()[:16]
        self._tables: dict[int, Table] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()
        self.reads = {"full": 0, "newer": 0, "snapshot": 0}  # how each table was brought up to date

    def frame(self, session, instrument_id: int) -> pd.DataFrame:
        """The instrument's answers table as it is in the database now. Treat it as read-only:
        it is shared between requests."""
        with self._lock(instrument_id):
            table = self._current(session, instrument_id)
            self._tables[instrument_id] = table
            return table.frame

    def warm(self, session, instrument_id: int) -> int:
        """Bring the instrument's table up to date and write its snapshot whatever its size
        (for ``surveyor results warm``, after a deployment or at night); the responses held."""
        with self._lock(instrument_id):
            table = self._current(session, instrument_id)
            self._tables[instrument_id] = self._write_snapshot(instrument_id, table)
            return table.count

    def _lock(self, instrument_id: int) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(instrument_id, threading.Lock())

    def _current(self, session, instrument_id: int) -> Table:
        count, max_id = session.execute(
            select(func.count(Response.id), func.max(Response.id)).where(Response.instrument_id == instrument_id)).one()
        table = self._tables.get(instrument_id) or self._load_snapshot(session, instrument_id)
        if table is not None and table.count == count and table.max_id == max_id \
                and self._last_client_id(session, max_id) == table.last_client_id:
            return table
        if table is not None and table.count and self._last_client_id(session, table.max_id) == table.last_client_id:
            newer = self._read_newer(session, instrument_id, table)
            if newer.count == count:
                self.reads["newer"] += 1
                return self._maybe_snapshot(instrument_id, newer)
        from ..responses.dataset import read_responses

        frame, ids = read_responses(session, instrument_id)
        self.reads["full"] += 1
        table = Table(frame, ids, self._last_client_id(session, int(ids[-1]) if len(ids) else None))
        return self._maybe_snapshot(instrument_id, table)

    def _read_newer(self, session, instrument_id: int, table: Table) -> Table:
        import pandas as pd

        from ..responses.dataset import read_responses

        after = max(table.max_id - LATE_COMMIT_MARGIN, 0)
        frame, ids = read_responses(session, instrument_id, after_id=after)
        held = table.ids[np.searchsorted(table.ids, after, side="right"):]  # the ones above ``after``
        new_ids = ids[~np.isin(ids, held, assume_unique=True)]
        if not len(new_ids):
            return table
        added = frame[frame[RESPONSE_ID].isin(new_ids)]
        combined = pd.concat([table.frame, added], ignore_index=True) if not table.frame.empty else \
            added.reset_index(drop=True)
        all_ids = np.concatenate([table.ids, new_ids])
        if new_ids[0] < table.max_id:  # a late commit: keep both in response order
            combined = combined.sort_values(RESPONSE_ID, ignore_index=True)
            all_ids.sort()
        return Table(combined, all_ids, self._last_client_id(session, int(all_ids[-1])), table.snapshot_size)

    @staticmethod
    def _last_client_id(session, response_id: int | None) -> str | None:
        if response_id is None:
            return None
        return session.scalar(select(Response.client_id).where(Response.id == response_id))

    # Snapshots -------------------------------------------------------------------------------

    def _path(self, instrument_id: int) -> Path | None:
        if self.directory is None:
            return None
        from . import snapshot

        return self.directory / f"responses-{self.database_key}-{instrument_id}{snapshot.SUFFIX}"

    def _load_snapshot(self, session, instrument_id: int) -> Table | None:
        path = self._path(instrument_id)
        if path is None or not path.exists():
            return None
        from . import snapshot

        try:
            frame, ids, last_client_id = snapshot.read(path)
            table = Table(frame, ids, last_client_id, len(ids))
        except Exception:  # noqa: BLE001 - an unreadable snapshot is only a slower start
            log.warning("ignoring the unreadable snapshot %s", path, exc_info=True)
            return None
        if table.count and self._last_client_id(session, table.max_id) != table.last_client_id:
            return None
        self.reads["snapshot"] += 1
        return table

    def _maybe_snapshot(self, instrument_id: int, table: Table) -> Table:
        added = table.count - table.snapshot_size
        if table.count < SNAPSHOT_MIN_RESPONSES or added < SNAPSHOT_EVERY * table.count:
            return table
        return self._write_snapshot(instrument_id, table)

    def _write_snapshot(self, instrument_id: int, table: Table) -> Table:
        path = self._path(instrument_id)
        if path is None or table.snapshot_size == table.count:
            return table
        from . import snapshot

        try:
            snapshot.write(path, table.frame, table.ids, table.last_client_id)
        except (TypeError, OSError):  # a cell JSON cannot hold, a full disk: only a slower start
            log.warning("no snapshot written for instrument %s", instrument_id, exc_info=True)
            return table
        return Table(table.frame, table.ids, table.last_client_id, table.count)
