"""A seeded fuzz test of the live socket on a real `journeymap serve` (issue 17).

Five simulated editors (asyncio, real `websockets` clients) edit one journey at once: random
creates, edits (set, rename), moves and deletes of stages, lanes and cards, with random delays,
edits made while offline, dropped connections (a clean close or a cut TCP connection, then
`hello(since_rev)` and every pending operation sent again with its `op_id`) and a server restart
(stopped, or killed, and started again on the same database and port); meanwhile a script writes
batches of 2 or 3 operations by REST (one revision each). Each client keeps its own
model of the journey: the confirmed state (the journey as created, with every `op` the server
sent applied in revision order by the domain's `apply`) and its pending operations on top. A
client holds a revision once its `last` op came: it says hello with the last revision held whole
and skips what it has of a revision it got in part (a drop may fall inside a REST batch).

After settling:
- every client's journey equals the server's, whole (tombstones and order keys included), and a
  fresh `GET /api/journeys/{id}` reads the same;
- every acknowledged op_id (`applied` or `duplicate`) is in the op log exactly once, and no
  rejected one is; nothing else is there;
- no client was sent an operation twice, missed one, or got a revision out of order (and each
  add or move put its item at the order key the server sent); no op_id was applied twice;
- the server logged no exception and never closed a socket with 4xxx or 1011;
- replaying the op log from the journey's creation reproduces the stored journey;
- order keys are unique among the live siblings of every cell, section and the stages.

The choices (which operation, on what, the delays, when to drop and restart) come from
random.Random(seed); timing decides the interleaving, so the assertions hold for any. The seed
is printed; `JOURNEYMAP_FUZZ_SEED=1234 pytest tests/server/test_live_fuzz.py -s` replays it. In
CI (`$CI` set) the seeds are fixed, so a red build is never luck; run locally they explore.
On SQLite 10 seeds run, each 8 s of editing on a journey of its own with a restart of its
own (`JOURNEYMAP_FUZZ_SEEDS` sets how many); 200 more seeds of the same server code run in
process on a simulated transport in tests/server/test_live_sim.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from journeymap.domain.apply import apply
from journeymap.domain.errors import OperationError
from journeymap.domain.model import Journey
from journeymap.domain.wire import journey_document
from journeymap.services.batches import load_op
from journeymap.storage import open_database
from journeymap.storage.mapping import journey_from_document
from tests import live_server

CLIENTS = 5
SEEDS = int(os.environ.get("JOURNEYMAP_FUZZ_SEEDS", "10"))  # runs on SQLite, one after another
FUZZ_S = 8.0  # seconds of random editing a seed (the restart falls inside)
SETTLE_S = 90.0  # then everyone must agree within this
CI_SEED = 17
MAX_PENDING = 40  # a client offline stops editing with this many edits waiting


def fuzz_seed() -> int:
    pinned = os.environ.get("JOURNEYMAP_FUZZ_SEED")
    if pinned:
        return int(pinned)
    if os.environ.get("CI"):
        return CI_SEED
    return secrets.randbelow(1_000_000)  # pytest-randomly reseeds `random`: not from there


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    live: live_server.Live
    database: str
    data: Path
    port: int
    token: str
    workspace: str
    restarts: int = 0

    @property
    def url(self) -> str:
        return self.live.url

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def journey(self) -> str:
        made = httpx.post(
            f"{self.url}/api/workspaces/{self.workspace}/journeys",
            json={"framework": "three-stage"},
            headers=self.auth(),
            timeout=30,
        )
        made.raise_for_status()
        return str(made.json()["id"])

    def editor(self, email: str) -> str:
        """A new editor of the workspace, and their API token."""
        return live_server.add_member(self.database, self.workspace, email, "editor")

    def restart(self, kill: bool) -> None:
        """Stop the process (SIGTERM, or SIGKILL: a crash) and start it again on the same
        database and port."""
        if kill:
            self.live.process.kill()
            self.live.process.wait(timeout=15)
        else:
            live_server.stop(self.live)
        self.live = live_server.start(self.database, self.data, self.port)
        self.restarts += 1


@contextlib.contextmanager
def serving(database: str, data: Path) -> Iterator[Server]:
    port = live_server.free_port()
    live = live_server.start(database, data, port)
    server: Server | None = None
    try:
        token, workspace = live_server.sign_up(live)
        server = Server(live, database, data, port, token, workspace)
        yield server
    finally:
        live_server.stop(server.live if server is not None else live)


# ---------------------------------------------------------------- a client


@dataclass
class Stats:
    sent: int = 0
    applied: int = 0
    duplicate: int = 0
    rejected: int = 0
    drops: int = 0
    connects: int = 0
    offline: int = 0
    partial: int = 0  # ops of a revision received in part before a drop
    closes: Counter[int | None] = field(default_factory=Counter)  # close codes received


@dataclass
class Client:
    name: str
    token: str
    ws_url: str
    journey: Journey  # confirmed: the journey as created, with every `op` received applied
    rng: random.Random
    rev: int = 1
    held: int = 1  # the last revision held whole (its `last` op came)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # op_id -> op, in order
    seen: Counter[str] = field(default_factory=Counter)  # op_ids received in `op` messages
    rev_ids: set[str] = field(default_factory=set)  # op_ids received in revision `rev`
    acked: dict[str, str] = field(default_factory=dict)  # op_id -> last status
    ws: ClientConnection | None = None
    made: int = 0
    stats: Stats = field(default_factory=Stats)
    errors: list[str] = field(default_factory=list)
    editing: bool = True
    done: bool = False

    # ------------------------------------------------------------ the model

    @staticmethod
    def confirm(j: Journey, op: dict[str, Any]) -> Journey:
        """A committed operation applied to the confirmed journey."""
        return apply(j, load_op(op))

    def view(self) -> Journey:
        """What this client shows: the confirmed journey with its pending operations on top
        (those that still apply; the server will refuse the others)."""
        j = self.journey
        for op_id, op in self.pending.items():
            if op_id in self.seen:
                continue  # confirmed already (its ack not back yet)
            with contextlib.suppress(OperationError):
                j = self.confirm(j, op)
        return j

    def heard(self, message: dict[str, Any]) -> None:
        """An `op`: the next one in revision order, each once."""
        rev, op_id = message["rev"], message["op_id"]
        if rev == self.rev + 1:
            assert self.held == self.rev, (
                f"{self.name}: op {op_id} of rev {rev} before the last op of rev {self.rev}"
            )
            self.rev, self.rev_ids = rev, set()
        elif rev != self.rev or op_id in self.rev_ids or rev == 1:
            raise AssertionError(
                f"{self.name}: op {op_id} of rev {rev} out of order (holding rev {self.rev})"
            )
        if self.seen[op_id]:
            raise AssertionError(f"{self.name}: op {op_id} was sent twice")
        self.seen[op_id] += 1
        self.rev_ids.add(op_id)
        if message["last"]:
            self.held = rev
        try:
            self.journey = self.confirm(self.journey, message["op"])
        except OperationError as error:
            raise AssertionError(
                f"{self.name}: op {op_id} of rev {rev} does not apply: {error}"
            ) from None
        key = message.get("order_key")
        if key is not None:  # where the server put it is where the domain puts it here
            op = message["op"]
            placed = _find(self.journey, op["entity"], op["id"])
            assert placed is not None and placed.order_key == key, (
                f"{self.name}: op {op_id} put its item at {key} on the server, here at "
                f"{placed and placed.order_key}: this client missed an op"
            )

    def answered(self, ack: dict[str, Any]) -> None:
        op_id, status = ack["op_id"], ack["status"]
        if op_id not in self.pending and op_id not in self.acked:
            raise AssertionError(f"{self.name}: an ack of {op_id}, never sent")
        if status in ("applied", "duplicate"):
            assert op_id in self.seen, f"{self.name}: ack {status} of {op_id} before its op"
        if self.acked.get(op_id) in ("applied", "duplicate") and status == "rejected":
            raise AssertionError(f"{self.name}: {op_id} applied, then rejected")
        self.acked[op_id] = status
        setattr(self.stats, status, getattr(self.stats, status) + 1)
        self.pending.pop(op_id, None)

    # ------------------------------------------------------------ choosing an edit

    def choose(self) -> dict[str, Any] | None:
        j, rng = self.view(), self.rng
        stages = [s.id for s in j.stages if not s.deleted]
        lanes = [(sec.id, ln.id) for sec in j.sections for ln in sec.lanes if not ln.deleted]
        text_lanes = [ln for _, ln in lanes if _lane_kind(j, ln) == "text"]
        sections = [sec.id for sec in j.sections if not sec.deleted]
        cards = [c for c in j.cards if not c.deleted]
        self.made += 1
        new = f"{self.name}{self.made}"
        roll = rng.random()
        word = rng.choice(["plan", "call", "pay", "wait", "ask", "cry", "buy", "leave"])
        text = f"{word} {self.name} {self.made}"
        if roll < 0.30 and stages and text_lanes:
            value = {
                "kind": "note",
                "stage": rng.choice(stages),
                "lane": rng.choice(text_lanes),
                "text": text,
            }
            op: dict[str, Any] = {"kind": "add", "entity": "card", "id": f"c-{new}", "value": value}
            if cards and rng.random() < 0.3:
                op["after"] = rng.choice(cards).id  # may be in another cell: then refused
            return op
        if roll < 0.36 and len(stages) < 8:
            op = {"kind": "add", "entity": "stage", "id": f"s-{new}", "value": {"name": text}}
            if rng.random() < 0.5:
                op["before"] = rng.choice(stages)
            return op
        if roll < 0.42 and sections and len(lanes) < 14:
            value = {"name": text, "section": rng.choice(sections), "kind": "text"}
            return {"kind": "add", "entity": "lane", "id": f"l-{new}", "value": value}
        target = self._target(j, stages, lanes, cards)
        if target is None:
            return None
        entity, ident = target
        if roll < 0.62:
            return {"kind": "rename", "entity": entity, "id": ident, "name": text}
        if roll < 0.72:
            fld = "details" if entity == "card" else "description"
            return {"kind": "set", "entity": entity, "id": ident, "field": fld, "value": text}
        if roll < 0.90:
            return self._move(entity, ident, stages, lanes, text_lanes, cards)
        few = len(stages) if entity == "stage" else len(text_lanes) if entity == "lane" else 9
        if few <= 2:  # keep somewhere to put cards
            return {"kind": "rename", "entity": entity, "id": ident, "name": text}
        return {"kind": "delete", "entity": entity, "id": ident}

    def _target(
        self, j: Journey, stages: list[str], lanes: list[tuple[str, str]], cards: list[Any]
    ) -> tuple[str, str] | None:
        """Mostly a live item; sometimes one deleted (the server refuses the edit)."""
        rng = self.rng
        kind = rng.choices(["card", "stage", "lane"], weights=[6, 2, 2])[0]
        if rng.random() < 0.05:
            gone = [c.id for c in j.cards if c.deleted]
            if gone:
                return "card", rng.choice(gone)
        if kind == "card" and cards:
            return "card", rng.choice(cards).id
        if kind == "stage" and stages:
            return "stage", rng.choice(stages)
        if lanes:
            return "lane", rng.choice(lanes)[1]
        return None

    def _move(
        self,
        entity: str,
        ident: str,
        stages: list[str],
        lanes: list[tuple[str, str]],
        text_lanes: list[str],
        cards: list[Any],
    ) -> dict[str, Any]:
        rng = self.rng
        op: dict[str, Any] = {"kind": "move", "entity": entity, "id": ident}
        if entity == "card":
            op["stage"] = rng.choice(stages)
            op["lane"] = rng.choice(text_lanes)
            same = [c.id for c in cards if (c.stage, c.lane) == (op["stage"], op["lane"])]
            same = [c for c in same if c != ident]
            if same and rng.random() < 0.6:
                op[rng.choice(["before", "after"])] = rng.choice(same)
        elif entity == "stage":
            others = [s for s in stages if s != ident]
            if others:
                op[rng.choice(["before", "after"])] = rng.choice(others)
        else:
            sections = sorted({sec for sec, _ in lanes})
            op["section"] = rng.choice(sections)
            there = [ln for sec, ln in lanes if sec == op["section"] and ln != ident]
            if there and rng.random() < 0.6:
                op[rng.choice(["before", "after"])] = rng.choice(there)
        return op

    # ------------------------------------------------------------ the connection

    async def run(self) -> None:
        """Connect, and again after every drop (backing off with jitter), until settled."""
        backoff = 0.05
        while not self.done:
            try:
                await self._session()
                backoff = 0.05
            except (OSError, ConnectionClosed, InvalidHandshake, TimeoutError):
                pass
            except Exception as error:  # an assertion in the model: stop everything
                self.errors.append(f"{self.name}: {type(error).__name__}: {error}")
                raise
            finally:
                self.ws = None
            if not self.done:
                await asyncio.sleep(backoff * (0.5 + random.random()))  # jitter: timing only
                backoff = min(1.0, backoff * 2)

    async def _session(self) -> None:
        url = f"{self.ws_url}"
        headers = {"Authorization": f"Bearer {self.token}"}
        async with connect(url, additional_headers=headers, open_timeout=5) as ws:
            try:
                since = self.held  # the last revision may have come in part
                await ws.send(json.dumps({"type": "hello", "proto": 1, "since_rev": since}))
                welcome = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert welcome["type"] == "welcome", welcome
                assert welcome["ops"] is not None, f"{self.name}: a snapshot, not ops (too far?)"
                # A REST batch is one revision of several ops, and a connection may drop
                # between them: hello named the last revision held whole, and what was held
                # of the next one comes again, skipped here.
                held_rev, held = self.rev, set(self.rev_ids)
                for message in welcome["ops"]:
                    if message["rev"] == held_rev and message["op_id"] in held:
                        continue
                    if message["rev"] == held_rev:
                        self.stats.partial += 1  # the rest of a revision held in part
                    self.heard(message)
                assert self.rev == welcome["rev"], (self.name, self.rev, welcome["rev"])
                self.stats.connects += 1
                resend = list(self.pending.items())
                self.ws = ws
                if resend:
                    await self._send(ws, resend)
                async for raw in ws:
                    message = json.loads(raw)
                    if message["type"] == "op":
                        self.heard(message)
                    elif message["type"] == "ack":
                        self.answered(message)
                    if self.done:
                        return
            finally:
                self.stats.closes[ws.close_code] += 1
                _check_close(self.name, ws)

    async def _send(self, ws: ClientConnection, items: list[tuple[str, dict[str, Any]]]) -> None:
        body = {
            "type": "ops",
            "base_rev": self.rev,
            "ops": [{"op_id": i, "op": op} for i, op in items],
        }
        self.stats.sent += len(items)
        await ws.send(json.dumps(body))

    async def edit(self, until: float) -> None:
        """Random edits with random delays; now and then the connection is dropped."""
        while time.monotonic() < until:
            await asyncio.sleep(self.rng.uniform(0.02, 0.25))
            if len(self.pending) >= MAX_PENDING:
                continue  # offline long enough: the person waits
            op = self.choose()
            if op is None:
                continue
            op_id = f"{self.name}-{self.made}"
            self.pending[op_id] = op
            ws = self.ws
            if ws is None:
                self.stats.offline += 1  # sent with the others on reconnecting
                continue
            with contextlib.suppress(ConnectionClosed):
                await self._send(ws, [(op_id, op)])
            if self.rng.random() < 0.06:
                self.stats.drops += 1
                if self.rng.random() < 0.5:
                    ws.transport.abort()  # cut: no close frame, maybe mid-flight
                else:
                    await ws.close()


async def rest_writer(
    url: str, headers: dict[str, str], writer: Client, source: Client, until: float
) -> dict[str, str]:
    """Batches of 2 or 3 operations by `POST /api/journeys/{id}/ops` (one revision each, all
    or none), chosen on what `source` holds; each sent again with the same op_ids until the
    server answers (it may be restarting). The status of each op_id."""
    rng, answered = writer.rng, dict[str, str]()
    async with httpx.AsyncClient(timeout=30) as http:
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(0.05, 0.4))
            writer.journey, writer.rev = source.journey, source.rev
            items: list[dict[str, Any]] = []
            for _ in range(rng.randint(2, 3)):
                op = writer.choose()
                if op is not None:
                    items.append({"op_id": f"{writer.name}-{writer.made}", "op": op})
            if not items:
                continue
            body = {"base_rev": writer.rev, "ops": items}
            for attempt in range(200):
                try:
                    got = await http.post(url, json=body, headers=headers)
                except httpx.TransportError:
                    got = None
                if got is not None and got.status_code < 500:
                    break
                await asyncio.sleep(0.1 + 0.05 * attempt)
            assert got is not None and got.status_code < 500, "the server never answered"
            if got.status_code == 200:
                for ack in got.json()["acks"]:
                    answered[ack["op_id"]] = ack["status"]
                    setattr(writer.stats, ack["status"], getattr(writer.stats, ack["status"]) + 1)
            else:
                assert got.status_code in (409, 422), got.text
                answered |= {str(i["op_id"]): "rejected" for i in items}
                writer.stats.rejected += len(items)
            writer.stats.sent += len(items)
    return answered


def _check_close(name: str, ws: ClientConnection) -> None:
    """A drop, a restart or our own close are expected; the server refusing something (4xxx)
    or failing (1011) never is."""
    code = ws.close_code
    if code is not None and (code >= 4000 or code == 1011):
        raise AssertionError(f"{name}: the server closed the socket {code}: {ws.close_reason}")


def _lane_kind(j: Journey, lane: str) -> str | None:
    for sec in j.sections:
        for ln in sec.lanes:
            if ln.id == lane:
                return str(ln.kind)
    return None


def _find(j: Journey, entity: str, ident: str) -> Any:
    items: list[Any]
    if entity == "card":
        items = list(j.cards)
    elif entity == "stage":
        items = list(j.stages)
    else:
        items = [ln for sec in j.sections for ln in sec.lanes]
    return next((x for x in items if x.id == ident), None)


def _strip_revs(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_revs(v) for k, v in data.items() if k != "updated_rev"}
    if isinstance(data, list):
        return [_strip_revs(v) for v in data]
    return data


def _rows(j: Journey) -> Any:
    """The journey as rows: every list of items keyed by id (storage keeps items in order-key
    order, the domain in the order they were added; the order keys say where each one is)."""

    def rows(data: Any) -> Any:
        if isinstance(data, list) and all(isinstance(x, dict) and "id" in x for x in data):
            return {x["id"]: rows(x) for x in data} if data else []
        if isinstance(data, dict):
            return {k: rows(v) for k, v in data.items()}
        if isinstance(data, list):
            return [rows(x) for x in data]
        return data

    return rows(j.model_dump(mode="json"))


def _unique_order_keys(j: Journey) -> None:
    cells: dict[tuple[Any, ...], list[str]] = {}
    for c in j.cards:
        if not c.deleted:
            cells.setdefault(("card", c.stage, c.step, c.lane), []).append(c.order_key)
    cells[("stages",)] = [s.order_key for s in j.stages if not s.deleted]
    for sec in j.sections:
        cells[("lanes", sec.id)] = [ln.order_key for ln in sec.lanes if not ln.deleted]
    for where, keys in cells.items():
        assert len(keys) == len(set(keys)), f"order keys repeat in {where}: {sorted(keys)}"


# ---------------------------------------------------------------- the run


async def _fuzz(
    server: Server, journey: str, tokens: list[str], seed: int, fuzz_s: float, settle_s: float
) -> list[Client]:
    db = open_database(server.database)
    try:
        with db.read() as uow:
            created = uow.ops.between(journey, 0, 1)[0].op
    finally:
        db.dispose()
    assert created["kind"] == "create"
    start = journey_from_document(created["journey"])
    ws_url = server.url.replace("http://", "ws://") + f"/api/journeys/{journey}/live"
    clients = [
        Client(chr(ord("a") + n), tokens[n], ws_url, start, random.Random(f"{seed}:{n}"))
        for n in range(CLIENTS)
    ]
    plan = random.Random(f"{seed}:server")
    restart_at = plan.uniform(0.3, 0.6) * fuzz_s
    kill = plan.random() < 0.5
    runs = [asyncio.create_task(c.run()) for c in clients]
    writer = Client("r", tokens[0], "", start, random.Random(f"{seed}:rest"))
    ops_url = server.url + f"/api/journeys/{journey}/ops"

    async def restart() -> None:
        await asyncio.sleep(restart_at)
        await asyncio.to_thread(server.restart, kill)

    until = time.monotonic() + fuzz_s
    try:
        by_rest = asyncio.create_task(
            rest_writer(ops_url, server.auth(tokens[0]), writer, clients[0], until)
        )
        editing = asyncio.gather(restart(), by_rest, *(c.edit(until) for c in clients))
        while not editing.done():  # a client failing ends the run at once
            watched: list[asyncio.Future[Any]] = [editing, *(r for r in runs if not r.done())]
            await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
            for run in runs:
                if run.done() and run.exception():
                    editing.cancel()
                    raise run.exception()  # type: ignore[misc]
        await editing
        writer.acked = by_rest.result()
        # settle: everyone connected, nothing pending, all at the server's revision
        deadline = time.monotonic() + settle_s
        while True:
            for run in runs:
                if run.done() and run.exception():
                    raise run.exception()  # type: ignore[misc]
            _no_server_errors(server)
            rev = await asyncio.to_thread(_server_rev, server, journey)
            if all(not c.pending and c.rev == rev and c.ws is not None for c in clients):
                break  # nothing is pending anywhere: nothing more can come
            if time.monotonic() > deadline:
                states = [(c.name, c.rev, len(c.pending), c.ws is not None) for c in clients]
                raise AssertionError(f"not settled in {settle_s} s: rev {rev}, {states}")
            await asyncio.sleep(0.2)
    finally:
        for c in clients:
            c.done = True
            if c.ws is not None:
                with contextlib.suppress(Exception):
                    await c.ws.close()
        await asyncio.gather(*runs, return_exceptions=True)
    errors = [e for c in clients for e in c.errors]
    assert not errors, errors
    return [*clients, writer]


def _no_server_errors(server: Server) -> None:
    """The server's log (both processes': one port, one file) shows no exception."""
    text = server.live.log.read_text(errors="replace")
    if "Traceback" in text:
        last = [line for line in text.splitlines() if "Error" in line or "Exception" in line]
        raise AssertionError(f"the server failed: {last[-1][:300]} (see {server.live.log})")


def _server_rev(server: Server, journey: str) -> int:
    got = httpx.get(f"{server.url}/api/journeys/{journey}", headers=server.auth(), timeout=30)
    got.raise_for_status()
    return int(got.json()["rev"])


def editors(server: Server) -> list[str]:
    """The clients' API tokens: the owner's and CLIENTS - 1 editors'."""
    return [server.token] + [server.editor(f"fuzz-{n}@example.com") for n in range(1, CLIENTS)]


def run_fuzz(
    server: Server,
    seed: int,
    fuzz_s: float = FUZZ_S,
    settle_s: float = SETTLE_S,
    tokens: list[str] | None = None,
) -> None:
    print(f"\nlive fuzz seed {seed} (JOURNEYMAP_FUZZ_SEED={seed} replays it)")
    journey = server.journey()
    tokens = tokens or editors(server)
    restarts = server.restarts
    *clients, writer = asyncio.run(_fuzz(server, journey, tokens, seed, fuzz_s, settle_s))
    for c in [*clients, writer]:
        print(f"  client {c.name}: {c.stats}")
    assert server.restarts == restarts + 1
    _no_server_errors(server)

    # 1. everyone equals the server, whole, and a fresh GET reads the same
    got = httpx.get(f"{server.url}/api/journeys/{journey}", headers=server.auth(), timeout=30)
    got.raise_for_status()
    doc = got.json()
    db = open_database(server.database)
    try:
        with db.read() as uow:
            row = uow.journeys.get(journey)
            assert row is not None
            stored = uow.journeys.load(row)
            logged = uow.ops.between(journey, 0)
    finally:
        db.dispose()
    assert row.rev == doc["rev"]
    for c in clients:
        assert c.rev == row.rev, (c.name, c.rev, row.rev)
        assert _rows(c.journey) == _rows(stored), f"client {c.name} differs"
        shown = journey_document(c.journey, lambda kind, ident: 0)
        assert _strip_revs(shown) == _strip_revs(doc["document"]), f"client {c.name} vs GET"
    _unique_order_keys(stored)

    # 2. every acknowledged op_id in the log exactly once; no rejected one; nothing else
    ids = Counter(r.op_id for r in logged[1:])
    assert not [i for i, n in ids.items() if n > 1], "an op_id logged twice"
    everyone = [*clients, writer]
    acked = {i for c in everyone for i, s in c.acked.items() if s in ("applied", "duplicate")}
    refused = {i for c in everyone for i, s in c.acked.items() if s == "rejected"}
    assert acked <= set(ids), f"acknowledged but not logged: {sorted(acked - set(ids))}"
    assert not refused & set(ids), f"rejected but logged: {sorted(refused & set(ids))}"
    assert set(ids) == acked, f"logged but never acknowledged: {sorted(set(ids) - acked)}"
    # revisions 1..N with no gap (a REST batch is one revision of several operations)
    assert sorted({r.rev for r in logged}) == list(range(1, row.rev + 1))
    # each client was sent every operation exactly once
    for c in clients:
        assert set(c.seen) == set(ids) and max(c.seen.values(), default=1) == 1, c.name

    # 3. replaying the log from the creation reproduces the stored journey
    replayed = journey_from_document(logged[0].op["journey"])
    for r in logged[1:]:
        replayed = apply(replayed, load_op(r.op))
    assert _rows(replayed) == _rows(stored)
    stats = [c.stats for c in clients]
    assert sum(s.applied for s in stats) > 50, stats  # it did edit, concurrently
    assert sum(s.rejected for s in stats) > 0, stats  # and some edits collided
    assert sum(s.drops for s in stats) > 0, stats


# ---------------------------------------------------------------- the tests


@pytest.mark.slow
def test_live_fuzz_on_sqlite(tmp_path: Path) -> None:
    """SEEDS seeds (one with JOURNEYMAP_FUZZ_SEED), one after the other on one server, each
    on a journey of its own with a restart of its own."""
    first = fuzz_seed()
    pinned = bool(os.environ.get("JOURNEYMAP_FUZZ_SEED"))
    with serving(str(tmp_path / "fuzz.db"), tmp_path) as server:
        tokens = editors(server)
        for seed in [first] if pinned else range(first, first + SEEDS):
            try:
                run_fuzz(server, seed, tokens=tokens)
            except BaseException:
                print(f"live fuzz FAILED with seed {seed}: JOURNEYMAP_FUZZ_SEED={seed} replays it")
                raise


@pytest.mark.slow
@pytest.mark.usefixtures("pg_server")
def test_live_fuzz_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """A shorter run on PostgreSQL (the row lock, not SQLite's BEGIN IMMEDIATE)."""
    from tests.db_fixtures import pg_url

    seed = fuzz_seed()
    url = pg_url(request.getfixturevalue("pg_server"))
    with serving(url, tmp_path) as server:
        try:
            run_fuzz(server, seed, fuzz_s=12.0)
        except BaseException:
            print(f"live fuzz FAILED with seed {seed}: JOURNEYMAP_FUZZ_SEED={seed} replays it")
            raise


DEDUP_OFF = """
from journeymap.storage.repositories import OpLogRepo

OpLogRepo.revs_of = lambda self, journey_id, op_ids: {}  # every op_id is new: no duplicates
"""


@pytest.mark.slow
def test_the_fuzz_fails_when_op_id_deduplication_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same run against a server that never recognises a repeated op_id (patched in at
    its start by a sitecustomize): the resends after drops and the restart break it."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(DEDUP_OFF)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))
    seed = fuzz_seed()
    with (
        serving(str(tmp_path / "nodedup.db"), tmp_path) as server,
        pytest.raises(AssertionError) as failed,
    ):
        run_fuzz(server, seed, fuzz_s=12.0, settle_s=20.0)
    print(f"without de-duplication: {str(failed.value).splitlines()[0][:300]}")
