"""Writers of one journey in one process take turns here before they ask the database for its
lock.

The database's lock is what makes writes safe (and the only thing between processes); this
queue only makes waiting for it cheap. SQLite answers a writer that finds the database locked
with its busy handler: sleeps of growing length (up to 100 ms) and retries, so twenty writers
queued on it are served late and in no order (`bench.api --quick`, 20 clients writing one
journey on SQLite: POST ops p99 2.7 and 2.8 s without this queue, 0.5 and 1.0 s with it). A
thread waiting here is woken as soon as the writer before it is done. SQLite has one write lock
for the whole database, so there its writers take one turn for every journey; on PostgreSQL
each journey has its own, and writers waiting here hold no pooled connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..per_pool import PerPool

if TYPE_CHECKING:
    from ..storage.database import Database


PATIENCE_S = 30.0  # as long as SQLite's busy timeout (storage/database.py)


class WriteQueue:
    def __init__(self, patience_s: float = PATIENCE_S) -> None:
        self.patience_s = patience_s
        self._guard = threading.Lock()
        self._turns: dict[str, tuple[threading.Lock, list[int]]] = {}  # key -> lock, waiters

    @contextlib.contextmanager
    def turn(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, waiting = self._turns.setdefault(key, (threading.Lock(), [0]))
            waiting[0] += 1
        # After its patience the writer goes on to wait on the database itself, whose own
        # timeout then fails it as it always did: this queue never makes a writer wait for ever.
        mine = lock.acquire(timeout=self.patience_s)
        try:
            yield
        finally:
            if mine:
                lock.release()
            with self._guard:
                waiting[0] -= 1
                if waiting[0] == 0:  # nobody else wants it: forget it (keeps the map small)
                    del self._turns[key]

    def __len__(self) -> int:
        """How many keys someone holds or waits for."""
        with self._guard:
            return len(self._turns)


_queue_for = PerPool(WriteQueue)


@contextlib.contextmanager
def write_turn(db: Database, journey_id: str) -> Iterator[None]:
    """Wait for this process's turn to write `journey_id` (one queue per database opened)."""
    with _queue_for(db.engine.pool).turn("" if db.is_sqlite else journey_id):
        yield
