"""Group commit for the live sockets: the operations that several connections of one journey
send at the same moment are applied in one transaction, so they share one write turn, one lock
of the journey's row and one commit (on SQLite, one sync to disk) instead of queueing for a
transaction each. bench/collab.py measured it (docs/benchmarks.md, "Live collaboration").

Nothing else changes: each operation is still its own revision, applied or rejected on its own
(the write path refuses before it writes anything, so a refused one leaves the others), by its
sender as actor; the after-commit signal fires once per revision, in order, and only then is
each sender answered. One waiting thread leads: it takes every operation queued so far, commits
them, answers them, and hands the lead to the next one waiting. Should a group fail for any
other reason, each of its operations is applied again alone through `apply_ops`, so an error is
only its own sender's.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.limits import JourneyLimits
from ..per_pool import PerPool
from .batches import ApplyResult, JourneyNotFound, parse_batch
from .errors import ServiceError
from .journeys import announce, apply_locked, apply_ops
from .write_queue import write_turn

if TYPE_CHECKING:
    from ..storage import Database


@dataclass(eq=False)
class _Waiting:
    actor: str | None
    item: Mapping[str, Any]
    base_rev: int
    limits: JourneyLimits
    wake: threading.Event = field(default_factory=threading.Event)
    result: ApplyResult | ServiceError | None = None
    alone: bool = False  # its group failed: apply it by itself
    finished: bool = False


class GroupCommit:
    """The operations waiting to be written, per journey, and which journeys have a leader."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[str, list[_Waiting]] = {}
        self._led: set[str] = set()

    def apply(
        self,
        db: Database,
        journey_id: str,
        actor: str | None,
        item: Mapping[str, Any],
        base_rev: int,
        limits: JourneyLimits,
    ) -> ApplyResult:
        """One operation, as `apply_ops(db, journey_id, actor, [item], base_rev)` would apply
        it (and raising what it raises), committed together with whatever else is waiting."""
        me = _Waiting(actor, item, base_rev, limits)
        with self._lock:
            self._queued.setdefault(journey_id, []).append(me)
            leads = journey_id not in self._led
            self._led.add(journey_id)
        if not leads:
            me.wake.wait()  # answered, or handed the lead
        if not me.finished:
            self._lead(db, journey_id)
        if me.alone:
            return apply_ops(db, journey_id, actor, [item], base_rev, limits=limits)
        if isinstance(me.result, ServiceError):
            raise me.result
        assert me.result is not None
        return me.result

    def _lead(self, db: Database, journey_id: str) -> None:
        with self._lock:
            group = self._queued.pop(journey_id, [])
        try:
            results = _commit(db, journey_id, group)
        except Exception:  # not a refusal: each applies alone, its error its own
            for waiting in group:
                waiting.alone = True
        else:
            for waiting, result in zip(group, results, strict=True):
                waiting.result = result
        with self._lock:
            queue = self._queued.get(journey_id)
            after = queue[0] if queue else None
            if after is None:
                self._led.discard(journey_id)
        for waiting in group:
            waiting.finished = True
            waiting.wake.set()
        if after is not None:
            after.wake.set()  # not finished: it leads the next group


def _commit(
    db: Database, journey_id: str, group: list[_Waiting]
) -> list[ApplyResult | ServiceError]:
    results: list[ApplyResult | ServiceError] = []
    with write_turn(db, journey_id), db.write() as uow:
        row = uow.journeys.lock(journey_id)
        if row is None or row.deleted_at is not None:
            return [JourneyNotFound(journey_id) for _ in group]
        for waiting in group:
            try:
                batch = parse_batch([waiting.item])
                results.append(
                    apply_locked(
                        uow, row, waiting.actor, batch, waiting.base_rev, limits=waiting.limits
                    )
                )
            except ServiceError as refused:  # raised before anything was written
                results.append(refused)
    for waiting, result in zip(group, results, strict=True):  # committed: in revision order
        if isinstance(result, ApplyResult):
            announce(db, journey_id, waiting.actor, result)
    return results


_group_for = PerPool(GroupCommit)


def group_commit(db: Database) -> GroupCommit:
    """This process's group commit for `db`."""
    return _group_for(db.engine.pool)
