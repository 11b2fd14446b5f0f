"""The current state of recently written journeys, kept in process so that a write need not
load the whole journey from its rows again.

The database stays the truth. An entry is a journey as it was committed at one revision,
keyed by that revision's stamp (the journeys row's `rev`, `updated_at` and `created_at`); a
reader uses it only when the row it has just read carries the same stamp, so a write by another
process (several servers share one PostgreSQL) or a rolled-back transaction can never be served
from it: the stamp does not match and the journey is loaded from its rows. Entries are put only
for states known to be committed: one loaded under the journey's lock, or one written, after
its transaction commits (`JourneyRepo` does both). What this relies on: every change to a
journey's rows goes through `JourneyRepo.save`, which moves `rev` and `updated_at`; a migration
or a hand edit of `journey_entities` must move them too (or the servers be restarted).

One cache per connection pool (that is, per database this process has opened), bounded in
size, safe to use from the threads of the server's pool.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from ..per_pool import PerPool

if TYPE_CHECKING:
    from .mapping import Stored
    from .models import JourneyRow

Stamp = tuple[int, dt.datetime, dt.datetime]

KEPT = 32  # journeys kept per database (a 300-card journey is about 1 MB of objects)


def stamp_of(row: JourneyRow) -> Stamp:
    return (row.rev, row.updated_at, row.created_at)


class JourneyCache:
    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[Stamp, Stored]] = OrderedDict()

    def get(self, journey_id: str, stamp: Stamp) -> Stored | None:
        """The journey at `stamp`, if it is the one kept."""
        with self._lock:
            found = self._entries.get(journey_id)
            if found is None or found[0] != stamp:
                self.misses += 1
                return None
            self._entries.move_to_end(journey_id)
            self.hits += 1
            return found[1]

    def put(self, journey_id: str, stamp: Stamp, state: Stored) -> None:
        """Keep `state` as the journey at `stamp` (a committed state), unless a later revision
        of the same journey is already kept (two commits may report in either order)."""
        with self._lock:
            found = self._entries.get(journey_id)
            if found is not None and found[0][2] == stamp[2] and found[0][0] > stamp[0]:
                return
            self._entries[journey_id] = (stamp, state)
            self._entries.move_to_end(journey_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# The cache of the database behind an engine's connection pool.
cache_for = PerPool(JourneyCache)
