"""One live connection's steps, whatever carries its messages: the WebSocket route drives them
(asynchronously, the database work in threads) and the simulated fuzz test drives the same
steps on one thread over a fake transport (tests/server/test_live_sim.py), so what the test
proves is what the route does.

The order of the steps matters: join the hub before reading the welcome (nothing committed
meanwhile is missed), then send what the hub hands over through `SendOrder` (each operation
once, in revision order, a gap read from the op log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from .live import (
    PRESENCE_RECHECK_S,
    REVISION,
    Deliver,
    Listener,
    LiveCaller,
    RateLimit,
    apply_one,
    check_presence,
    hub,
    ops_between,
    welcome,
)

if TYPE_CHECKING:
    from ..storage import Database

ReadOps = Callable[[int, int], list[dict[str, Any]]]  # the `op`s of revisions after..upto


class SendOrder:
    """What one connection sends of what the hub and its reader queue: operations in revision
    order, each once, a revision of several operations whole; a revision it never heard of
    (below one it hears) is read from the op log first. `floor`: the welcome's revision."""

    def __init__(self, floor: int) -> None:
        self.floor = floor
        self.last_rev = floor
        self.sent_ids: set[str] = set()

    @staticmethod
    def _ops(message: Mapping[str, Any]) -> list[dict[str, Any]]:
        if message["type"] == REVISION:
            return list(message["ops"])
        # the hub's own dict, not a copy: the route encodes it once for all its connections
        return [message] if message["type"] == "op" else []  # type: ignore[list-item]

    def needs_read(self, message: Mapping[str, Any]) -> bool:
        """Whether `next` will read the op log (the route then runs it in a thread)."""
        ops = self._ops(message)
        return bool(ops) and ops[0]["rev"] > self.last_rev + 1

    def next(self, message: Mapping[str, Any], read: ReadOps) -> list[dict[str, Any]]:
        """The messages to send for `message`, in order (none: sent already)."""
        if message["type"] not in ("op", REVISION):
            return [dict(message)]
        out: list[dict[str, Any]] = []
        for op in self._ops(message):
            rev = op["rev"]
            if (
                rev <= self.floor
                or rev < self.last_rev
                or (rev == self.last_rev and op["op_id"] in self.sent_ids)
            ):
                continue  # in `welcome` already, or sent
            if rev > self.last_rev + 1:  # a revision we did not hear of: read it from the log
                out.extend(read(self.last_rev, rev - 1))
            if rev != self.last_rev:
                self.last_rev, self.sent_ids = rev, set()
            self.sent_ids.add(op["op_id"])
            out.append(op)
        return out


class LiveSession:
    """A signed-in connection to one journey: welcomed, then taking messages one by one."""

    def __init__(
        self,
        db: Database,
        caller: LiveCaller,
        deliver: Deliver,
        conn_id: str,
        limits: JourneyLimits = DEFAULT_LIMITS,
    ) -> None:
        self.db, self.caller, self.limits = db, caller, limits
        self.journey_id = caller.journey_id
        team = caller.via != "share"  # a member, not a share link: hears of comments
        self.listener = Listener(self.journey_id, deliver, conn_id, caller.user_id, team)
        self.rate = RateLimit()
        self.order: SendOrder | None = None
        self._leave: Callable[[], None] | None = None

    def welcome(self, since_rev: int | None) -> dict[str, Any]:
        """Join the journey's hub, then the `welcome` (what the client lacks since since_rev)."""
        the_hub = hub(self.db)
        self._leave = the_hub.join(self.listener)  # first: nothing committed meanwhile is lost
        found = welcome(self.db, self.journey_id, since_rev)
        the_hub.seen(self.journey_id, found["rev"])
        self.order = SendOrder(found["rev"])
        return found

    def leave(self) -> None:
        if self._leave is not None:
            self._leave()
            self._leave = None

    def received(self, kind: str, now: float | None = None) -> bool:
        """A message of `kind` came in: counted against the rate (LiveClosed past it); whether
        the caller must be checked again first (always, but for presence once a second)."""
        self.rate.take(now)
        return kind != "presence" or self.caller.due(PRESENCE_RECHECK_S)

    def apply(self, item: Mapping[str, Any], base_rev: int) -> dict[str, Any]:
        """One operation of an `ops` message, through the one write path: its `ack`."""
        return apply_one(self.db, self.caller, item, base_rev, self.limits)

    def presence(self, data: Mapping[str, Any]) -> None:
        check_presence(data)
        hub(self.db).relay(self.listener, {"type": "presence", "data": data, "left": False})

    def read_ops(self, after_rev: int, upto_rev: int) -> list[dict[str, Any]]:
        return ops_between(self.db, self.journey_id, after_rev, upto_rev)

    def outgoing(self, message: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What to send for a message the hub or the reader queued (see SendOrder)."""
        assert self.order is not None, "welcome first"
        return self.order.next(message, self.read_ops)
