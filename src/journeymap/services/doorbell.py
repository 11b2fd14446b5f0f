"""Several server processes on one PostgreSQL database hear each other: a doorbell.

After a journey's change is committed (the write path's after-commit signal,
services/journey_changes.py), a small `{j: journey, r: rev, k: kind, p: process}` is sent with
`pg_notify` on the channel `journeymap_live`. Each process keeps ONE dedicated connection that
`LISTEN`s on it (a thread of its own, outside the pool), and on a doorbell for a journey it has
sockets on, its hub reads the op log from the last revision it sent them (`LiveHub.caught_up`):
the doorbell only says "look", the op log is what is sent. So nothing is lost when a doorbell
is: the listener also catches up every journey it has sockets on when it (re)connects and
every `CATCH_UP_S`, and it runs `SELECT 1` every `HEARTBEAT_S` when the channel is quiet,
connecting again (backing off) when its connection died. A process's own doorbells come back
to it and are skipped (the hub heard the commit already; the hub also skips revisions sent).

SQLite has no doorbell: one process serves it.
"""

from __future__ import annotations

import json
import logging
import queue
import random
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import text

from .journey_changes import JourneyChanged, journey_changes

if TYPE_CHECKING:
    from ..storage import Database

CHANNEL = "journeymap_live"
APPLICATION_NAME = "journeymap live doorbell"  # the listener, in pg_stat_activity
HEARTBEAT_S = 5.0  # a quiet listener connection is checked this often
CATCH_UP_S = 5.0  # every journey with sockets is caught up this often, doorbell or not
WAIT_S = 1.0  # the listener looks at its timers at least this often
BACKOFF_S = (0.2, 10.0)  # reconnecting: first wait, longest wait (doubling, with jitter)
SEND_BATCH = 200  # doorbells sent in one transaction at most

log = logging.getLogger(__name__)


class Hub(Protocol):
    """What the doorbell tells the process's live hub (services/live.py's LiveHub)."""

    def rang(self, journey_id: str, rev: int, kind: str) -> None: ...

    def catch_up_all(self) -> None: ...


class Doorbell:
    """The doorbell of one PostgreSQL database in this process: a sender and a listener."""

    def __init__(self, db: Database, hub: Hub) -> None:
        self.db = db
        self.hub = hub
        self.origin = uuid.uuid4().hex[:12]  # this process (and database): its own doorbells
        self.connects = 0  # times the listener connected (a test waits for a reconnection)
        self.listening = threading.Event()
        self._outbox: queue.SimpleQueue[JourneyChanged | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._unsubscribe: Any = None
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._unsubscribe = journey_changes(self.db).subscribe(self._ring)
        for name, run in (("sender", self._send_loop), ("listener", self._listen_loop)):
            thread = threading.Thread(target=run, name=f"journeymap-doorbell-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stop.set()
        self._outbox.put(None)
        for thread in self._threads:
            thread.join(timeout)

    # ------------------------------------------------------------ sending

    def _ring(self, change: JourneyChanged) -> None:
        """After a commit (the writer's thread): queued, sent by the sender thread, so the
        writer never waits on it."""
        if change.kind != "created":  # nobody can have a socket on a journey just made
            self._outbox.put(change)

    def _send_loop(self) -> None:
        while not self._stop.is_set():
            first = self._outbox.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < SEND_BATCH:
                try:
                    more = self._outbox.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._stop.set()
                    break
                batch.append(more)
            try:
                self._send(batch)
            except Exception as error:  # the others catch up on their timer
                log.warning("live doorbell not sent (%s): other processes catch up later", error)

    def _send(self, batch: list[JourneyChanged]) -> None:
        payloads: list[str] = []
        latest: dict[str, int] = {}  # several ops of one journey: one doorbell, the last rev
        for change in batch:
            if change.kind == "ops":
                latest[change.journey_id] = max(latest.get(change.journey_id, 0), change.rev)
            else:
                payloads.append(self._payload(change.journey_id, change.rev, change.kind))
        payloads += [self._payload(j, rev, "ops") for j, rev in latest.items()]
        with self.db.engine.connect() as connection:
            for payload in payloads:
                connection.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": payload},
                )
            connection.commit()

    def _payload(self, journey_id: str, rev: int, kind: str) -> str:
        return json.dumps({"j": journey_id, "r": rev, "k": kind, "p": self.origin})

    # ------------------------------------------------------------ listening

    def _connect(self) -> Any:
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql")
        return psycopg.connect(
            url.render_as_string(hide_password=False),
            autocommit=True,
            application_name=APPLICATION_NAME,
            connect_timeout=10,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
            tcp_user_timeout=15_000,  # ms: a connection whose packets go unanswered is dead
        )

    def _listen_loop(self) -> None:
        wait = BACKOFF_S[0]
        while not self._stop.is_set():
            try:
                connection = self._connect()
            except Exception as error:
                log.warning("live doorbell: cannot connect (%s); trying again", error)
                self._stop.wait(wait * random.uniform(0.5, 1.5))
                wait = min(wait * 2, BACKOFF_S[1])
                continue
            wait = BACKOFF_S[0]
            try:
                with connection:
                    self._listen(connection)
            except Exception as error:
                if not self._stop.is_set():
                    log.warning("live doorbell: listener connection lost (%s); reconnecting", error)
            finally:
                self.listening.clear()
            self._stop.wait(wait * random.uniform(0.5, 1.5))

    def _listen(self, connection: Any) -> None:
        connection.execute(f"LISTEN {CHANNEL}")
        self.connects += 1
        self.listening.set()
        # Listening from here on: whatever was committed before is read from the op log now.
        self._catch_up()
        beat = caught = time.monotonic()
        while not self._stop.is_set():
            for note in connection.notifies(timeout=WAIT_S):
                beat = time.monotonic()
                self._heard(note.payload)
                if self._stop.is_set():
                    return
            now = time.monotonic()
            if now - beat >= HEARTBEAT_S:
                connection.execute("SELECT 1")  # raises when the connection is gone
                beat = now
            if now - caught >= CATCH_UP_S:
                self._catch_up()
                caught = now

    def _catch_up(self) -> None:
        try:
            self.hub.catch_up_all()
        except Exception:
            log.exception("live doorbell: catching up failed")

    def _heard(self, payload: str) -> None:
        try:
            bell = json.loads(payload)
            journey_id, rev, kind, origin = str(bell["j"]), int(bell["r"]), bell["k"], bell["p"]
        except (ValueError, KeyError, TypeError):
            log.warning("live doorbell: a doorbell that does not read: %.200s", payload)
            return
        if origin == self.origin:
            return  # our own commit: the hub heard it from the signal
        try:
            self.hub.rang(journey_id, rev, str(kind))
        except Exception:
            log.exception("live doorbell: handling %s failed", payload)
