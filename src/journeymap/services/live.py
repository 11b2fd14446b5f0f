"""The live editor's rules, whatever carries its messages (the WebSocket route is thin).

- Who: a connection is signed in once (the session cookie, an API token in the header, or a
  token in the first `hello`: `sign_in`) and checked again on every message and on a timer
  (`LiveCaller.recheck`): a revoked token or session, a lowered role, a removed member or a
  deleted journey ends it. Viewers, commenters and share links receive; only editors and
  owners write.
- Writes: each operation of an `ops` message goes through the one write path on its own
  (`apply_one`: one revision each, or `rejected` naming why), so one refused operation never
  holds back the others; operations sent at once on several connections share a transaction
  (services/group_commit.py). A repeated `op_id` is answered `duplicate` with the revision it was
  applied in.
- Broadcast: the `LiveHub` of a database hears the write path's after-commit signal
  (services/journey_changes.py) and hands each committed operation to every connection on that
  journey, REST writes included. Presence is relayed by the hub between the connections of one
  journey, in memory only: never stored, never logged.
- Catching up: `welcome` carries the operations since the client's `since_rev` from the op log,
  or the whole journey when the client is too far behind (or names no revision it could have).
- Limits: a message's size (`MAX_MESSAGE_BYTES`), a rate per connection (`RateLimit`), the
  `ops` messages read and waiting to be applied (`MAX_WAITING_OPS`).

On SQLite the hub is one process's: run one server process. On PostgreSQL several processes
hear each other through a doorbell (services/doorbell.py): on one for a journey it has sockets
on, the hub reads the op log from the last revision it sent them (`caught_up`), so a lost
doorbell loses nothing, and it sends each revision once.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from ..domain.roles import RANK
from ..per_pool import PerPool
from ..storage.caller_state import caller_state
from .batches import ApplyResult, JourneyNotFound
from .doorbell import Doorbell
from .errors import NotSignedIn, ServiceError
from .group_commit import group_commit
from .journey_changes import JourneyChanged, journey_changes
from .journey_documents import encoded
from .policy import Principal, journey_access
from .security import token_digest
from .sessions import TOKEN_USE_GRANULARITY, identify

if TYPE_CHECKING:
    from ..storage import Database

PROTO = 1
MAX_MESSAGE_BYTES = 256 * 1024  # one message, client to server
MAX_PRESENCE_BYTES = 2 * 1024  # the `data` of one presence message
MAX_OPS_PER_MESSAGE = 200
RATE_PER_S = 30.0  # messages a connection may send each second, on average ...
RATE_BURST = 60  # ... and at once
RECHECK_S = 5.0  # who is calling is checked again at least this often, and on every message
PRESENCE_RECHECK_S = 1.0  # ... but presence (cursors, ~20 a second) at most once a second
HELLO_TIMEOUT_S = 10.0  # the first message must come within this
PING_S = 5.0  # the server pings each socket this often; unanswered this long, it is dropped
CATCH_UP_MAX = 500  # revisions: further behind, `welcome` carries the journey instead

# Close codes (WebSocket close frames); docs/api.md lists them.
CLOSE_PROTOCOL = 4400  # a message that is not JSON, not a known type, or no `hello` first
CLOSE_NOT_SIGNED_IN = 4401  # no credential, or one unknown, revoked or expired
CLOSE_FORBIDDEN = 4403  # the caller's role was lowered (before accepting: a token in the
#                         URL, a session from another Origin: the handshake is answered 403)
CLOSE_GONE = 4404  # the journey is gone (or never was one of yours)
CLOSE_TOO_BIG = 1009  # a message over MAX_MESSAGE_BYTES
CLOSE_RATE = 4429  # more than the rate allows
CLOSE_OUTDATED = 4426  # a `proto` this server does not speak
CLOSE_BEHIND = 4409  # the client reads too slowly: more than MAX_QUEUED messages wait for it
MAX_QUEUED = 2000  # messages waiting to be sent to one connection
MAX_WAITING_OPS = 200  # `ops` messages of one connection read and waiting to be applied
REVISION = "(revision)"  # a connection's queue only: the `op`s of one revision, never sent


def by_revision(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`op` messages grouped into one delivery per revision of several operations: delivered
    one by one, another thread's next revision could land between them, and the connection,
    sending in revision order, would drop the rest of this one (the live fuzz test found it)."""
    grouped: list[dict[str, Any]] = []
    for rev, ops in itertools.groupby(messages, key=lambda m: m.get("rev")):
        batch = list(ops)
        if len(batch) > 1 and all(m.get("type") == "op" for m in batch):
            grouped.append({"type": REVISION, "rev": rev, "ops": batch})
        else:
            grouped.extend(batch)
    return grouped


log = logging.getLogger(__name__)


class LiveClosed(Exception):
    """End the connection with `code`, saying `reason` (short: a close frame holds 123 bytes)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason[:120]


# ---------------------------------------------------------------- who


@dataclass
class LiveCaller:
    """A signed-in connection: who, and the role they hold in the journey now."""

    db: Database
    journey_id: str
    token: str | None = None
    session: str | None = None
    share: str | None = None
    role: str = "viewer"
    via: str = "nobody"
    user_id: str | None = None
    checked_at: float = 0.0
    _state_seen: tuple[Any, ...] | None = field(default=None, repr=False)
    _who: Principal | None = field(default=None, repr=False)

    @property
    def may_write(self) -> bool:
        return self.via != "share" and RANK[self.role] >= RANK["editor"]

    def principal(self) -> Principal:
        """Who is calling, read again from the database (a revoked token fails here)."""
        try:
            return identify(
                self.db,
                token=self.token,
                session=self.session,
                share=self.share,
                journey_id=self.journey_id,
            )
        except NotSignedIn as error:
            raise LiveClosed(CLOSE_NOT_SIGNED_IN, error.detail) from None

    def recheck(self) -> Principal:
        """Sign in again and read the role again; LiveClosed when either is gone. When one
        query says nothing it decides on changed since the last full check, that check's
        answer stands (read first: a change landing during a full check shows next time)."""
        state = self._state()
        unchanged = state is not None and state == self._state_seen and self._who is not None
        if unchanged and not _use_due(state, self.token is not None):  # type: ignore[arg-type]
            self.checked_at = time.monotonic()
            assert self._who is not None
            return self._who
        who = self._recheck_fully()
        self._state_seen, self._who = state, who
        return who

    def _state(self) -> tuple[Any, ...] | None:
        if self.token is None and self.session is None:
            return None  # a share link: checked in full (it only reads; once a second at most)
        with self.db.read() as uow:
            return caller_state(
                uow.session,
                self.journey_id,
                token_digest=token_digest(self.token) if self.token else None,
                session_digest=token_digest(self.session) if self.session else None,
            )

    def _recheck_fully(self) -> Principal:
        who = self.principal()
        try:
            access = journey_access(self.db, who, self.journey_id, "viewer")
        except JourneyNotFound as error:
            raise LiveClosed(CLOSE_GONE, error.detail) from None
        except ServiceError as error:
            code = CLOSE_NOT_SIGNED_IN if isinstance(error, NotSignedIn) else CLOSE_FORBIDDEN
            if error.status == 404:
                code = CLOSE_GONE
            raise LiveClosed(code, error.detail) from None
        role = "viewer" if who.via == "share" else access.role
        if self.checked_at and RANK[role] < RANK[self.role]:
            raise LiveClosed(CLOSE_FORBIDDEN, f"your role is now {role}: connect again")
        self.role = role
        self.via, self.user_id = who.via, who.user_id
        self.checked_at = time.monotonic()
        return who

    def due(self, interval: float = RECHECK_S) -> bool:
        return time.monotonic() - self.checked_at >= interval


def _use_due(state: tuple[Any, ...], token: bool) -> bool:
    """Whether the full check must run for the time alone: a token's use is noted once a
    minute (the full check writes it), a session expires."""
    now = datetime.now(UTC)
    if token:
        last_used = state[2]
        return last_used is None or now - last_used > TOKEN_USE_GRANULARITY
    return bool(state[1] <= now)


def sign_in(
    db: Database,
    journey_id: str,
    *,
    bearer: str | None = None,
    session: str | None = None,
    hello_token: str | None = None,
) -> LiveCaller:
    """The caller of a new connection: an API token (the `Authorization` header), a session
    (the cookie; the route checked its Origin), or a token the first `hello` carried (an API
    token or a share link's). LiveClosed when none is given or it opens nothing."""
    if bearer:
        caller = LiveCaller(db, journey_id, token=bearer)
    elif session:
        caller = LiveCaller(db, journey_id, session=session)
    elif hello_token:
        caller = LiveCaller(db, journey_id, token=hello_token)
        try:
            caller.principal()
        except LiveClosed:  # not an API token: a share link's, then
            caller = LiveCaller(db, journey_id, share=hello_token)
    else:
        raise LiveClosed(
            CLOSE_NOT_SIGNED_IN,
            "sign in: the session cookie, `Authorization: Bearer`, or `token` in hello",
        )
    caller.recheck()
    return caller


def refuse_url_token(query: Mapping[str, str]) -> None:
    """A credential in the URL ends up in logs and history: refused, whatever it is."""
    for name in ("token", "access_token", "share", "session", "auth"):
        if name in query:
            raise LiveClosed(
                CLOSE_FORBIDDEN, f"never put a token in the URL (`?{name}=`): send it in hello"
            )


def origin_ok(origin: str | None, public_url: str | None, host: str | None, scheme: str) -> bool:
    """A session cookie is sent by the browser from any page: only the server's own pages may
    use it. Own = `public_url` when set (behind a proxy), else this request's scheme and Host."""
    if not origin:
        return False
    if public_url:
        own = public_url.rstrip("/")
    else:
        own = f"{'https' if scheme in ('wss', 'https') else 'http'}://{host}"
    return origin.rstrip("/").lower() == own.lower()


# ---------------------------------------------------------------- limits


@dataclass
class RateLimit:
    """A token bucket: `per_s` messages a second on average, `burst` at once."""

    per_s: float = RATE_PER_S
    burst: int = RATE_BURST
    tokens: float = field(default=float(RATE_BURST))
    at: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> None:
        now = now if now is not None else time.monotonic()
        self.tokens = min(float(self.burst), self.tokens + (now - self.at) * self.per_s)
        self.at = now
        if self.tokens < 1:
            raise LiveClosed(
                CLOSE_RATE, f"too many messages: at most {self.per_s:g} a second on average"
            )
        self.tokens -= 1


def check_presence(data: Mapping[str, Any]) -> None:
    size = len(json.dumps(data))
    if size > MAX_PRESENCE_BYTES:
        raise LiveClosed(
            CLOSE_TOO_BIG, f"presence may be {MAX_PRESENCE_BYTES} bytes at most ({size} sent)"
        )


def check_size(text: str | bytes) -> None:
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_MESSAGE_BYTES:
        raise LiveClosed(
            CLOSE_TOO_BIG, f"a message may be {MAX_MESSAGE_BYTES} bytes at most ({size} sent)"
        )


# ---------------------------------------------------------------- catching up


def welcome(db: Database, journey_id: str, since_rev: int | None) -> dict[str, Any]:
    """`welcome{rev, ops}` with every operation after `since_rev`, or `welcome{rev, snapshot}`
    (the journey as GET /api/journeys/{id} answers it) when the client is too far behind."""
    with db.read() as uow:
        row = uow.journeys.get(journey_id)
        if row is None or row.deleted_at is not None:
            raise LiveClosed(CLOSE_GONE, f"no journey '{journey_id}'")
        rev = row.rev
        if since_rev is not None and 1 <= since_rev <= rev and rev - since_rev <= CATCH_UP_MAX:
            ops = logged_messages(uow.ops.between(journey_id, since_rev, rev))
            return {"type": "welcome", "rev": rev, "ops": ops, "snapshot": None}
    found = encoded(db, journey_id, rev)
    return {
        "type": "welcome",
        "rev": found.rev,
        "ops": None,
        "snapshot": json.loads(found.body),
    }


def ops_between(
    db: Database, journey_id: str, after_rev: int, upto_rev: int | None
) -> list[dict[str, Any]]:
    """The `op` messages of revisions after_rev < rev <= upto_rev (None: the last), to fill a
    gap or catch up."""
    with db.read() as uow:
        return logged_messages(uow.ops.between(journey_id, after_rev, upto_rev))


def logged_messages(rows: list[Any]) -> list[dict[str, Any]]:
    """`op` messages of op log rows (whole revisions: a revision commits at once), `last` on
    the final one of each revision."""
    return [
        op_message(
            r.rev, r.op_id, r.actor, r.op, last=n + 1 == len(rows) or rows[n + 1].rev != r.rev
        )
        for n, r in enumerate(rows)
    ]


def op_message(
    rev: int,
    op_id: str,
    actor: str | None,
    op: Mapping[str, Any],
    applied: Mapping[str, Any] | None = None,
    *,
    last: bool,
) -> dict[str, Any]:
    """An `op` message: the operation as applied (an add's id filled in), for an add or a
    move just committed the `order_key` it gave its item (null when read back from the log),
    and whether it is the last of its revision (a client holds a revision only once it has its
    last operation: hello's since_rev names a revision held whole)."""
    out = dict(op)
    if applied is not None and out.get("id") is None:
        out["id"] = applied["id"]
    order_key = applied["order_key"] if applied is not None else None
    return {
        "type": "op",
        "rev": rev,
        "op_id": op_id,
        "actor": actor,
        "op": out,
        "order_key": order_key,
        "last": last,
    }


# ---------------------------------------------------------------- writing


def apply_one(
    db: Database,
    caller: LiveCaller,
    item: Mapping[str, Any],
    base_rev: int,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> dict[str, Any]:
    """One operation through the one write path, as its own revision: its `ack`."""
    op_id = str(item.get("op_id", ""))
    if not caller.may_write:
        what = "a share link" if caller.via == "share" else f"a {caller.role}"
        return rejected(op_id, base_rev, f"{what} receives edits but may not make them")
    try:
        done: ApplyResult = group_commit(db).apply(
            db, caller.journey_id, caller.user_id, item, base_rev, limits
        )
    except JourneyNotFound as error:
        raise LiveClosed(CLOSE_GONE, error.detail) from None
    except ServiceError as error:
        return rejected(op_id, getattr(error, "rev", None) or base_rev, error.detail)
    ack = done.acks[0]
    message: dict[str, Any] = {
        "type": "ack",
        "op_id": ack.op_id,
        "rev": ack.rev,
        "status": ack.status,
        "detail": None,
        "overwrites": None,
    }
    if done.overwrites:
        message["overwrites"] = _overwritten(db, caller.journey_id, done)
    return message


def rejected(op_id: str, rev: int, detail: str) -> dict[str, Any]:
    return {
        "type": "ack",
        "op_id": op_id,
        "rev": rev,
        "status": "rejected",
        "detail": detail,
        "overwrites": None,
    }


def _overwritten(db: Database, journey_id: str, done: ApplyResult) -> list[dict[str, Any]]:
    """What each overwrite replaced: the field, whose value it was (actor, rev, op_id) and
    that value (read back from the op log, where it stays)."""
    with db.read() as uow:
        logged = {
            r.op_id: r.op
            for r in uow.ops.in_revs(journey_id, sorted({o.rev for o in done.overwrites}))
        }
    out = []
    for o in done.overwrites:
        out.append(
            {
                "entity": o.entity,
                "id": o.id,
                "field": o.field,
                "rev": o.rev,
                "actor": o.actor,
                "by_op_id": o.by_op_id,
                "old_value": _value_written(logged.get(o.by_op_id) or {}),
            }
        )
    return out


def _value_written(op: Mapping[str, Any]) -> Any:
    kind = op.get("kind")
    if kind == "set":
        return op.get("value")
    if kind == "rename":
        return op.get("name")
    if kind == "move":
        keys = ("stage", "step", "lane", "section", "before", "after")
        return {k: op[k] for k in keys if op.get(k) is not None}
    if kind in ("delete", "restore"):
        return kind == "delete"
    return None


# ---------------------------------------------------------------- the hub


Deliver = Callable[[dict[str, Any]], None]  # thread-safe: hands a message to one connection


@dataclass(eq=False)
class Listener:
    journey_id: str
    deliver: Deliver
    conn_id: str
    actor: str | None
    team: bool = True  # a member (not a share link): hears of comments


class LiveHub:
    """The connections of each journey in this process, fed by the after-commit signal and, on
    PostgreSQL, by other processes' doorbells. `_sent[j]`: the last revision of journey j
    handed to its connections (known once a connection of it was welcomed or an operation
    sent); each connection's writer fills any gap below a revision from the log itself."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, set[Listener]] = {}
        self._sent: dict[str, int] = {}
        self._catching = threading.Lock()
        self._unsubscribe: Callable[[], None] | None = None
        self._db: Database | None = None
        self.doorbell: Doorbell | None = None

    def attach(self, db: Database) -> None:
        with self._lock:
            if self._unsubscribe is not None:
                return
            self._db = db
            self._unsubscribe = journey_changes(db).subscribe(self._heard)
            if db.dialect == "postgresql":
                self.doorbell = Doorbell(db, self)
                self.doorbell.start()

    def detach(self) -> None:
        """Stop hearing changes (the server stops): the doorbell's threads end."""
        with self._lock:
            unsubscribe, doorbell = self._unsubscribe, self.doorbell
            self._unsubscribe = self.doorbell = None
        if unsubscribe is not None:
            unsubscribe()
        if doorbell is not None:
            doorbell.stop()

    def seen(self, journey_id: str, rev: int) -> None:
        """A connection of the journey was welcomed at `rev`: what the hub has sent starts
        there, unless it knows better (an older connection waits for what came after)."""
        with self._lock:
            if journey_id in self._rooms:
                self._sent.setdefault(journey_id, rev)

    def _sent_up_to(self, journey_id: str, rev: int) -> None:
        with self._lock:
            if journey_id in self._rooms:
                self._sent[journey_id] = max(self._sent.get(journey_id, rev), rev)

    def join(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._rooms.setdefault(listener.journey_id, set()).add(listener)

        def leave() -> None:
            with self._lock:
                room = self._rooms.get(listener.journey_id)
                if room is not None:
                    room.discard(listener)
                    if not room:
                        del self._rooms[listener.journey_id]
                        self._sent.pop(listener.journey_id, None)
            self.relay(listener, {"type": "presence", "left": True, "data": None})

        return leave

    def present(self, journey_id: str) -> int:
        with self._lock:
            return len(self._rooms.get(journey_id, ()))

    def relay(self, sender: Listener, message: dict[str, Any]) -> None:
        """Presence: to the others on the journey, as is (never stored, never logged)."""
        out = {**message, "conn": sender.conn_id, "actor": sender.actor}
        for listener in self._room(sender.journey_id):
            if listener is not sender:
                listener.deliver(out)

    def _room(self, journey_id: str) -> list[Listener]:
        with self._lock:
            return list(self._rooms.get(journey_id, ()))

    def _heard(self, change: JourneyChanged) -> None:
        room = self._room(change.journey_id)
        if not room:
            return
        if change.kind == "ops":
            count = len(change.ops)
            messages = [
                op_message(
                    change.rev,
                    o["op_id"],
                    change.actor,
                    o["op"],
                    o.get("applied"),
                    last=n == count - 1,
                )
                for n, o in enumerate(change.ops)
            ]
        elif change.kind == "deleted":
            messages = [{"type": "reload", "reason": "deleted"}]
        elif change.kind in ("evidence", "comments"):
            messages = [{"type": "notice", "about": change.kind, "rev": change.rev}]
        else:
            return
        self._deliver(room, messages, change.kind)
        if change.kind == "ops":
            self._sent_up_to(change.journey_id, change.rev)

    @staticmethod
    def _deliver(room: list[Listener], messages: list[dict[str, Any]], kind: str) -> None:
        if kind == "ops":
            messages = by_revision(messages)
        for listener in room:
            if kind == "comments" and not listener.team:
                continue  # a share link does not open the comments: it hears nothing of them
            for message in messages:
                listener.deliver(message)

    # ------------------------------------------------------------ other processes

    def rang(self, journey_id: str, rev: int, kind: str) -> None:
        """Another process committed a change of the journey (its doorbell)."""
        room = self._room(journey_id)
        if not room:
            return
        if kind == "ops":
            self.caught_up(journey_id, rev)
        elif kind == "deleted":
            self._deliver(room, [{"type": "reload", "reason": "deleted"}], kind)
        elif kind in ("evidence", "comments"):
            self._deliver(room, [{"type": "notice", "about": kind, "rev": rev}], kind)

    def caught_up(self, journey_id: str, rev: int | None = None) -> int:
        """Send the journey's connections the operations committed after the last revision
        sent them (up to `rev`, or to the head when None), read from the op log: how many."""
        with self._catching:  # one catch-up at a time: two never send the same revisions
            with self._lock:
                if journey_id not in self._rooms or self._db is None:
                    return 0
                after = self._sent.get(journey_id)
            if after is None:  # nobody welcomed yet: their writers fill gaps below `rev`
                if rev is None:
                    return 0
                after = rev - 1
            if rev is not None and rev <= after:
                return 0  # sent already (this process's own commit, or caught up before)
            messages = ops_between(self._db, journey_id, after, None)  # newer ones too
            if not messages:
                return 0
            self._deliver(self._room(journey_id), messages, "ops")
            self._sent_up_to(journey_id, messages[-1]["rev"])
            return len(messages)

    def catch_up_all(self) -> None:
        """Every journey with connections, caught up to its head (a doorbell may be lost)."""
        with self._lock:
            journeys = [j for j in self._rooms if j in self._sent]
        if not journeys or self._db is None:
            return
        with self._db.read() as uow:
            heads = uow.journeys.revs(journeys)
        for journey_id, head in heads.items():
            with self._lock:
                behind = head > self._sent.get(journey_id, head)
            if behind:
                self.caught_up(journey_id, head)


_hub_for = PerPool(LiveHub)


def hub(db: Database) -> LiveHub:
    """This process's hub for `db`, hearing its journeys' changes."""
    found = _hub_for(db.engine.pool)
    found.attach(db)
    return found
