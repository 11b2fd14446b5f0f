"""Two real `journeymap serve` processes on one PostgreSQL database hear each other live: an
edit through A (over its socket or REST) reaches a socket on B in order, each once; B's
listener connection killed (pg_terminate_backend) connects again and catches up; doorbells
lost (while B's listener cannot connect, or a write that rings none) lose nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection

from journeymap.services.doorbell import APPLICATION_NAME, CATCH_UP_S
from tests import live_server
from tests.db_fixtures import pg_url
from tests.pg_server import PgServer
from tests.server.test_live import Server, add_card, ops, rename, until

WAIT_S = 15.0
QUIET_S = 1.5  # nothing more arrives within this: nothing was sent twice


@dataclass
class Two:
    a: Server
    b: Server
    admin: str  # the superuser's URL, for the test's own connections
    b_role: str  # the role B logs in as (so its listener can be told apart and locked out)

    def sql(self, statement: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as c:
            cursor = c.execute(statement)  # type: ignore[call-overload]
            return list(cursor.fetchall()) if cursor.description else []

    def b_listeners(self) -> list[int]:
        return [
            int(pid)
            for (pid,) in self.sql(
                "SELECT pid FROM pg_stat_activity "
                f"WHERE application_name = '{APPLICATION_NAME}' AND usename = '{self.b_role}'"
            )
        ]


@pytest.fixture(scope="module")
def two(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Two]:
    data: Path = tmp_path_factory.mktemp("two")
    admin = pg_url(pg_server)
    a = live_server.start(admin, data)
    b: live_server.Live | None = None
    try:
        token, workspace = live_server.sign_up(a)
        name = admin.rsplit("/", 1)[1]
        role = f"jm_b_{name}"
        server_a = Server(a, admin, token, workspace)
        two = Two(server_a, server_a, admin, role)
        two.sql(f"CREATE ROLE {role} LOGIN PASSWORD 'b-secret'")
        two.sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        two.sql(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        host = admin.split("@", 1)[1]
        b = live_server.start(f"postgresql://{role}:b-secret@{host}", data)
        two.b = Server(b, admin, token, workspace)
        wait_for(lambda: len(two.b_listeners()) == 1, "B's listener connects")
        yield two
    finally:
        if b is not None:
            live_server.stop(b)
        live_server.stop(a)


def wait_for(check: Any, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not in {timeout} s: {what}")
        time.sleep(0.1)


def ops_until(ws: ClientConnection, rev: int, timeout: float = WAIT_S) -> list[tuple[int, str]]:
    """(rev, op_id) of every `op` received until one of revision `rev`'s (and that
    revision's other operations, read until none comes)."""
    got: list[tuple[int, str]] = []
    while not got or got[-1][0] < rev:
        message = until(ws, "op", timeout)
        got.append((message["rev"], message["op_id"]))
    return got + quiet(ws)


def quiet(ws: ClientConnection, seconds: float = QUIET_S) -> list[tuple[int, str]]:
    """The `op`s that still arrive within `seconds` (none, when all was sent once)."""
    more: list[tuple[int, str]] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            break
        if message["type"] == "op":
            more.append((message["rev"], message["op_id"]))
    return more


def rest_ops(server: Server, journey: str, base_rev: int, *items: tuple[str, Any]) -> None:
    with server.http() as c:
        done = c.post(
            f"/api/journeys/{journey}/ops",
            json={"base_rev": base_rev, "ops": [{"op_id": i, "op": o} for i, o in items]},
            headers=server.auth(),
        )
        assert done.status_code == 200, done.text


def test_edits_through_a_reach_b_in_order_each_once(two: Two) -> None:
    journey = two.a.journey()
    on_a, _ = two.a.open(journey)
    on_b, welcome = two.b.open(journey)
    assert welcome["rev"] == 1
    with on_a, on_b:
        on_a.send(ops(1, ("a1", add_card("c1", "from a")), ("a2", rename("c1", "renamed on a"))))
        assert ops_until(on_a, 3) == [(2, "a1"), (3, "a2")]  # its own: once, not by doorbell too
        rest_ops(two.a, journey, 3, ("r1", add_card("c2", "by REST")), ("r2", rename("c2", "x")))
        assert ops_until(on_a, 4) == [(4, "r1"), (4, "r2")]
        assert ops_until(on_b, 4) == [(2, "a1"), (3, "a2"), (4, "r1"), (4, "r2")]
        # and the other way round: an edit through B reaches A
        on_b.send(ops(4, ("b1", rename("c1", "renamed on b"))))
        assert ops_until(on_a, 5) == [(5, "b1")]
        assert ops_until(on_b, 5) == [(5, "b1")]
        with two.a.http() as c:
            doc = c.get(f"/api/journeys/{journey}", headers=two.a.auth()).json()
        texts = {card["id"]: card["text"] for card in doc["document"]["cards"]}
        assert (texts["c1"], texts["c2"]) == ("renamed on b", "x")


def test_a_killed_listener_connects_again_and_catches_up(two: Two) -> None:
    journey = two.a.journey()
    on_b, _ = two.b.open(journey)
    with on_b:
        rest_ops(two.a, journey, 1, ("k1", add_card("k1")))
        assert ops_until(on_b, 2) == [(2, "k1")]
        (killed,) = two.b_listeners()
        two.sql(f"SELECT pg_terminate_backend({killed})")
        rest_ops(two.a, journey, 2, ("k2", rename("k1", "while B reconnects")))
        wait_for(lambda: two.b_listeners() not in ([], [killed]), "B's listener reconnects")
        rest_ops(two.a, journey, 3, ("k3", rename("k1", "after")))
        assert ops_until(on_b, 4) == [(3, "k2"), (4, "k3")]


def test_doorbells_lost_while_the_listener_is_down_are_caught_up(two: Two) -> None:
    journey = two.a.journey()
    on_b, _ = two.b.open(journey)
    with on_b:
        rest_ops(two.a, journey, 1, ("d1", add_card("d1")))
        assert ops_until(on_b, 2) == [(2, "d1")]
        two.sql(f"ALTER ROLE {two.b_role} NOLOGIN")  # B's pooled connections stay open
        try:
            (killed,) = two.b_listeners()
            two.sql(f"SELECT pg_terminate_backend({killed})")
            wait_for(lambda: two.b_listeners() == [], "B's listener is gone")
            for n in range(3):  # their doorbells ring while B hears none
                rest_ops(two.a, journey, 2 + n, (f"d{n + 2}", rename("d1", f"lost {n}")))
            assert quiet(on_b, 2.0) == []  # B heard nothing of them
        finally:
            two.sql(f"ALTER ROLE {two.b_role} LOGIN")
        assert ops_until(on_b, 5) == [(3, "d2"), (4, "d3"), (5, "d4")]


def test_a_write_that_rings_no_doorbell_is_caught_up_on_the_timer(two: Two) -> None:
    from journeymap.services.journeys import apply_ops
    from journeymap.storage import open_database

    journey = two.a.journey()
    on_b, _ = two.b.open(journey)
    with on_b:
        db = open_database(two.admin)  # this test's process: no hub, so no doorbell rings
        try:
            apply_ops(db, journey, None, [{"op_id": "t1", "op": add_card("t1")}], 1)
        finally:
            db.dispose()
        started = time.monotonic()
        assert ops_until(on_b, 2, timeout=CATCH_UP_S + WAIT_S) == [(2, "t1")]
        assert time.monotonic() - started < CATCH_UP_S + 3


def test_comments_and_deletion_through_a_reach_b(two: Two) -> None:
    journey = two.a.journey()
    on_b, _ = two.b.open(journey)
    with on_b:
        rest_ops(two.a, journey, 1, ("n1", add_card("n1")))
        with two.a.http() as c:
            said = c.post(
                f"/api/journeys/{journey}/comments",
                json={"text": "look", "target_kind": "card", "target_id": "n1"},
                headers=two.a.auth(),
            )
            assert said.status_code == 201, said.text
            assert until(on_b, "notice") == {"type": "notice", "about": "comments", "rev": 2}
            gone = c.delete(f"/api/journeys/{journey}", headers={**two.a.auth(), "If-Match": "*"})
            assert gone.status_code == 204, gone.text
        assert until(on_b, "reload") == {"type": "reload", "reason": "deleted"}


# ---------------------------------------------------------------- the hub, in process


def test_the_hub_sends_each_revision_once_whoever_rings(pg_server: PgServer) -> None:
    """A doorbell reads the op log from the last revision sent; one for a revision sent
    (this process's own, or rung twice) sends nothing; the timer's catch-up neither."""
    from journeymap.services.journeys import apply_ops, create_journey
    from journeymap.services.live import Listener, hub
    from journeymap.services.templates import new_journey
    from journeymap.storage import open_database

    url = pg_url(pg_server)
    mine, other = open_database(url), open_database(url)  # `other`: another process, no bell
    the_hub = hub(mine)
    try:
        with mine.write() as uow:
            uow.accounts.add_workspace("Team", workspace_id="w1")
        journey = create_journey(mine, "w1", new_journey(framework="three-stage"), None).id
        heard: list[tuple[int, str]] = []
        listener = Listener(journey, lambda m: heard.append((m["rev"], m["op_id"])), "c1", None)
        leave = the_hub.join(listener)
        the_hub.seen(journey, 1)
        apply_ops(other, journey, None, [{"op_id": "o1", "op": add_card("o1")}], 1)
        apply_ops(other, journey, None, [{"op_id": "o2", "op": rename("o1", "x")}], 2)
        the_hub.rang(journey, 3, "ops")
        assert heard == [(2, "o1"), (3, "o2")]
        the_hub.rang(journey, 2, "ops")  # late, or twice: sent already
        the_hub.rang(journey, 3, "ops")
        the_hub.catch_up_all()
        assert heard == [(2, "o1"), (3, "o2")]
        apply_ops(mine, journey, None, [{"op_id": "m1", "op": rename("o1", "y")}], 3)
        assert heard[-1] == (4, "m1")  # from the after-commit signal ...
        the_hub.rang(journey, 4, "ops")  # ... so its doorbell (were it not skipped) sends nothing
        the_hub.catch_up_all()
        assert heard == [(2, "o1"), (3, "o2"), (4, "m1")]
        apply_ops(other, journey, None, [{"op_id": "o3", "op": rename("o1", "z")}], 4)
        the_hub.catch_up_all()  # a lost doorbell: the timer finds it
        assert heard[-1] == (5, "o3") and len(heard) == 4
        leave()
    finally:
        the_hub.detach()
        mine.dispose()
        other.dispose()
