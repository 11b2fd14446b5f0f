"""The signal every write to a journey sends once it is committed: "journey J changed".

Whatever changed a journey (a batch of operations, a PATCH, a restore, an import or a copy
that made it, its deletion, new evidence, a comment added, changed or deleted), the service
that wrote it publishes one `JourneyChanged` after the transaction committed, never before and
never for a write that was refused or rolled back. Subscribers (the live editor's rooms, a
doorbell to other processes) run in the writer's thread, in the order they subscribed; one that
raises is logged and skipped: it can neither undo nor fail the write, which is already
committed.

One signal per database this process has opened (as the write queue is): a subscriber hears
of the journeys of the database it subscribed on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..per_pool import PerPool

if TYPE_CHECKING:
    from ..storage import Database

Kind = Literal["ops", "created", "deleted", "evidence", "comments"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JourneyChanged:
    journey_id: str
    rev: int  # the journey's revision after the change (a deletion, evidence, comments keep it)
    actor: str | None  # the user id, None for the system
    kind: Kind
    ops: tuple[dict[str, Any], ...] = ()  # for "ops": each `{"op_id", "op"}` as logged


Subscriber = Callable[[JourneyChanged], object]


class JourneySignal:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Hear of every change from now on; call the answer to stop."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, change: JourneyChanged) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(change)
            except Exception:  # the write is committed: a listener's failure is its own
                log.exception("a subscriber to journey changes failed on %s", change)


_signal_for = PerPool(JourneySignal)


def journey_changes(db: Database) -> JourneySignal:
    """The signal of `db`'s journeys, to subscribe to."""
    return _signal_for(db.engine.pool)


def publish(db: Database, change: JourneyChanged) -> None:
    """Announce a committed change (call it after the transaction, never inside)."""
    journey_changes(db).publish(change)
