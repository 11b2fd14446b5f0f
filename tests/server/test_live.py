"""The live socket, /api/journeys/{id}/live, on a real `journeymap serve` with real WebSocket
clients: ops in order to everyone, REST writes too, duplicates, rejections, roles, refusals,
limits, revocation and catching up."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tests import live_server

WAIT_S = 10.0


@dataclass
class Server:
    live: live_server.Live
    database: str
    token: str  # the owner's API token
    workspace: str

    @property
    def ws(self) -> str:
        return self.live.url.replace("http://", "ws://")

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.live.url, timeout=30)

    def journey(self) -> str:
        with self.http() as c:
            made = c.post(
                f"/api/workspaces/{self.workspace}/journeys",
                json={"framework": "three-stage"},
                headers=self.auth(),
            )
            made.raise_for_status()
            return str(made.json()["id"])

    def member(self, email: str, role: str) -> str:
        """A user with `role` in the workspace, and an API token of theirs."""
        return live_server.add_member(self.database, self.workspace, email, role)

    def open(
        self, journey: str, token: str | None = None, since_rev: int | None = None, **kw: Any
    ) -> tuple[ClientConnection, dict[str, Any]]:
        """A socket signed in by `token` in the header, after its welcome."""
        url = f"{self.ws}/api/journeys/{journey}/live"
        # Entered here (the caller's `with ws:` closes it): websockets 17 warns otherwise.
        ws = connect(url, additional_headers=self.auth(token), **kw).__enter__()
        ws.send(json.dumps({"type": "hello", "proto": 1, "since_rev": since_rev}))
        return ws, receive(ws)


def receive(ws: ClientConnection, timeout: float = WAIT_S) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return data


def until(ws: ClientConnection, kind: str, timeout: float = WAIT_S) -> dict[str, Any]:
    """The next message of `kind` (others skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        message = receive(ws, max(0.1, deadline - time.monotonic()))
        if message["type"] == kind:
            return message


def closed_code(ws: ClientConnection, timeout: float = WAIT_S) -> int | None:
    """Read until the server closes; its close code."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ws.recv(timeout=max(0.1, deadline - time.monotonic()))
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    raise AssertionError("the server did not close the socket")


def add_card(card: str, text: str = "hello", stage: str = "awareness") -> dict[str, Any]:
    value = {"kind": "note", "stage": stage, "lane": "actions", "text": text}
    return {"kind": "add", "entity": "card", "id": card, "value": value}


def rename(card: str, text: str) -> dict[str, Any]:
    return {"kind": "rename", "entity": "card", "id": card, "name": text}


def ops(base_rev: int, *items: tuple[str, dict[str, Any]]) -> str:
    return json.dumps(
        {"type": "ops", "base_rev": base_rev, "ops": [{"op_id": i, "op": o} for i, o in items]}
    )


@contextlib.contextmanager
def start(database: str, data: Path) -> Iterator[Server]:
    live = live_server.start(database, data)
    try:
        token, workspace = live_server.sign_up(live)
        yield Server(live, database, token, workspace)
    finally:
        live_server.stop(live)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("live")
    with start(str(data / "live.db"), data) as started:
        yield started


# ---------------------------------------------------------------- the core path


def _two_clients_see_each_other(server: Server) -> None:
    journey = server.journey()
    editor = server.member(f"ed-{journey}@example.com", "editor")
    a, welcome_a = server.open(journey)
    b, welcome_b = server.open(journey, editor)
    assert welcome_a["rev"] == welcome_b["rev"] == 1
    assert welcome_a["snapshot"]["id"] and welcome_a["ops"] is None  # no since_rev: the journey
    with a, b:
        a.send(ops(1, ("a1", add_card("c1", "from a"))))
        b.send(ops(1, ("b1", add_card("c2", "from b"))))
        seen_a = [until(a, "op") for _ in range(2)]
        seen_b = [until(b, "op") for _ in range(2)]
        assert [(m["rev"], m["op_id"]) for m in seen_a] == [(m["rev"], m["op_id"]) for m in seen_b]
        assert sorted(m["rev"] for m in seen_a) == [2, 3]
        assert {m["op_id"] for m in seen_a} == {"a1", "b1"}
        assert seen_a[0]["op"]["kind"] == "add" and seen_a[0]["actor"]
        # a REST write reaches live clients the same way
        with server.http() as c:
            done = c.post(
                f"/api/journeys/{journey}/ops",
                json={
                    "base_rev": 3,
                    "ops": [
                        {"op_id": "rest1", "op": rename("c1", "by REST")},
                        {"op_id": "rest2", "op": rename("c2", "also by REST")},
                    ],
                },
                headers=server.auth(),
            )
            assert done.status_code == 200, done.text
        for ws in (a, b):  # one revision, two operations, each once
            got = [until(ws, "op"), until(ws, "op")]
            assert [(m["rev"], m["op_id"]) for m in got] == [(4, "rest1"), (4, "rest2")]
            assert got[0]["op"]["name"] == "by REST"


def test_two_clients_and_rest_see_each_other_in_order(server: Server) -> None:
    _two_clients_see_each_other(server)


def test_ack_after_own_op_and_duplicate_answers_first_rev(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        ws.send(ops(1, ("d1", add_card("d1"))))
        first = receive(ws)
        assert first["type"] == "op" and first["rev"] == 2  # its own op, then its ack
        assert first["order_key"]  # where the add put the card
        ack = receive(ws)
        assert ack == {
            "type": "ack",
            "op_id": "d1",
            "rev": 2,
            "status": "applied",
            "detail": None,
            "overwrites": None,
        }
        ws.send(ops(1, ("d1", add_card("d1"))))
        again = until(ws, "ack")
        assert (again["status"], again["rev"]) == ("duplicate", 2)
    with server.http() as c:
        assert c.get(f"/api/journeys/{journey}", headers=server.auth()).headers["ETag"] == '"r2"'


def test_op_carries_the_generated_id_and_order_key(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        value = {"kind": "note", "stage": "awareness", "lane": "actions", "text": "No id here"}
        ws.send(ops(1, ("g1", {"kind": "add", "entity": "card", "value": value})))
        got = until(ws, "op")
    with server.http() as c:
        doc = c.get(f"/api/journeys/{journey}", headers=server.auth()).json()
    cards = {card["id"]: card for card in doc["document"]["cards"]}
    assert got["op"]["id"] in cards
    assert cards[got["op"]["id"]]["order_key"] == got["order_key"]


def test_rejected_op_names_why_and_others_go_on(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    other, _ = server.open(journey)
    with ws, other:
        ws.send(ops(1, ("r1", add_card("gone"))))
        until(ws, "ack")
        ws.send(ops(2, ("r2", {"kind": "delete", "entity": "card", "id": "gone"})))
        until(ws, "ack")
        ws.send(ops(3, ("r3", rename("gone", "too late")), ("r4", add_card("kept", "still here"))))
        acks = [until(ws, "ack"), until(ws, "ack")]
        assert acks[0]["op_id"] == "r3" and acks[0]["status"] == "rejected"
        assert "gone" in acks[0]["detail"] and "delet" in acks[0]["detail"].lower()
        assert (acks[1]["op_id"], acks[1]["status"], acks[1]["rev"]) == ("r4", "applied", 4)
        seen = [until(other, "op")["op_id"] for _ in range(3)]
        assert seen == ["r1", "r2", "r4"]  # the rejected one never reached anyone


def test_overwrites_name_who_and_the_old_value(server: Server) -> None:
    journey = server.journey()
    editor = server.member(f"ow-{journey}@example.com", "editor")
    a, _ = server.open(journey)
    b, _ = server.open(journey, editor)
    with a, b:
        a.send(ops(1, ("o1", add_card("oc", "first"))))
        until(a, "ack")
        b.send(ops(2, ("o2", rename("oc", "b's words"))))
        until(b, "ack")
        a.send(ops(2, ("o3", rename("oc", "a's words"))))
        ack = until(a, "ack")
        assert ack["status"] == "applied"
        (over,) = ack["overwrites"]
        assert over["by_op_id"] == "o2" and over["old_value"] == "b's words"
        assert over["field"] == "text" and over["rev"] == 3 and over["actor"]


def test_hello_since_rev_catches_up_from_the_log(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        for n in range(3):
            ws.send(ops(1 + n, (f"s{n}", add_card(f"s{n}"))))
            until(ws, "ack")
    late, welcome = server.open(journey, since_rev=2)
    with late:
        assert welcome["rev"] == 4 and welcome["snapshot"] is None
        assert [(m["rev"], m["op_id"]) for m in welcome["ops"]] == [(3, "s1"), (4, "s2")]
    fresh, welcome = server.open(journey, since_rev=99)  # a revision it never had
    with fresh:
        assert welcome["ops"] is None and welcome["snapshot"]["id"]


def test_a_deleted_journey_reloads_and_closes(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        with server.http() as c:
            gone = c.delete(f"/api/journeys/{journey}", headers={**server.auth(), "If-Match": "*"})
            assert gone.status_code == 204, gone.text
        assert until(ws, "reload") == {"type": "reload", "reason": "deleted"}
        assert closed_code(ws) == 4404


def test_comments_and_evidence_send_a_notice(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        with server.http() as c:
            c.post(
                f"/api/journeys/{journey}/ops",
                json={"base_rev": 1, "ops": [{"op_id": "n1", "op": add_card("n1")}]},
                headers=server.auth(),
            ).raise_for_status()
            said = c.post(
                f"/api/journeys/{journey}/comments",
                json={"text": "look", "target_kind": "card", "target_id": "n1"},
                headers=server.auth(),
            )
            assert said.status_code == 201, said.text
        assert until(ws, "notice") == {"type": "notice", "about": "comments", "rev": 2}


def test_after_a_restart_hello_catches_up_and_a_resent_op_is_a_duplicate(
    tmp_path: Path,
) -> None:
    database = str(tmp_path / "restart.db")
    with start(database, tmp_path) as first:
        journey = first.journey()
        ws, _ = first.open(journey)
        with ws:
            ws.send(ops(1, ("p1", add_card("p1"))))
            assert until(ws, "ack")["status"] == "applied"
        token, workspace = first.token, first.workspace
    port = live_server.free_port()
    again = live_server.start(database, tmp_path, port)
    try:
        server = Server(again, database, token, workspace)
        ws, welcome = server.open(journey, since_rev=1)
        with ws:
            assert [m["op_id"] for m in welcome["ops"]] == ["p1"]
            ws.send(ops(1, ("p1", add_card("p1"))))  # resent: it was acknowledged before
            ack = until(ws, "ack")
            assert (ack["status"], ack["rev"]) == ("duplicate", 2)
    finally:
        live_server.stop(again)


def test_presence_is_relayed_to_the_others(server: Server) -> None:
    journey = server.journey()
    a, _ = server.open(journey)
    b, _ = server.open(journey)
    with a, b:
        a.send(json.dumps({"type": "presence", "data": {"card": "x", "cursor": [1, 2]}}))
        got = until(b, "presence")
        assert got["data"] == {"card": "x", "cursor": [1, 2]} and got["actor"] and not got["left"]
    # never stored: the op log holds only the journey's creation
    with server.http() as c:
        history = c.get(f"/api/journeys/{journey}", headers=server.auth())
        assert history.headers["ETag"] == '"r1"'


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ["viewer", "commenter"])
def test_readers_receive_but_never_write(server: Server, role: str) -> None:
    journey = server.journey()
    token = server.member(f"{role}-{journey}@example.com", role)
    reader, _ = server.open(journey, token)
    writer, _ = server.open(journey)
    with reader, writer:
        reader.send(ops(1, ("v1", add_card("v1"))))
        ack = until(reader, "ack")
        assert ack["status"] == "rejected" and f"a {role}" in ack["detail"]
        writer.send(ops(1, ("w1", add_card("w1"))))
        assert until(reader, "op")["op_id"] == "w1"


def test_share_link_in_hello_receives_but_never_writes(server: Server) -> None:
    journey = server.journey()
    with server.http() as c:
        made = c.post(f"/api/journeys/{journey}/share-links", json={}, headers=server.auth())
        made.raise_for_status()
        share = made.json()["token"]
    with connect(f"{server.ws}/api/journeys/{journey}/live") as ws:
        ws.send(json.dumps({"type": "hello", "proto": 1, "since_rev": 1, "token": share}))
        assert receive(ws)["type"] == "welcome"
        ws.send(ops(1, ("sh1", add_card("sh1"))))
        ack = until(ws, "ack")
        assert ack["status"] == "rejected" and "share link" in ack["detail"]


def test_api_token_in_hello_signs_in(server: Server) -> None:
    journey = server.journey()
    with connect(f"{server.ws}/api/journeys/{journey}/live") as ws:
        ws.send(json.dumps({"type": "hello", "proto": 1, "token": server.token}))
        assert receive(ws)["type"] == "welcome"
        ws.send(ops(1, ("ht1", add_card("ht1"))))
        assert until(ws, "ack")["status"] == "applied"


def test_no_auth_is_closed(server: Server) -> None:
    journey = server.journey()
    with connect(f"{server.ws}/api/journeys/{journey}/live") as ws:
        ws.send(json.dumps({"type": "hello", "proto": 1}))
        assert closed_code(ws) == 4401


def test_a_token_in_the_url_is_refused(server: Server) -> None:
    journey = server.journey()
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{server.ws}/api/journeys/{journey}/live?token={server.token}")
    assert refused.value.response.status_code == 403


def _session_cookie(server: Server) -> str:
    with server.http() as c:
        signed = c.post(
            "/api/session",
            json={"email": "ada@example.com", "password": live_server.PASSWORD},
        )
        signed.raise_for_status()
        return str(signed.cookies["jm_session"])


def test_a_session_from_another_origin_is_refused(server: Server) -> None:
    journey = server.journey()
    cookie = {"Cookie": f"jm_session={_session_cookie(server)}"}
    url = f"{server.ws}/api/journeys/{journey}/live"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers=cookie, origin=Origin("http://evil.example"))
    assert refused.value.response.status_code == 403
    with pytest.raises(InvalidStatus):
        connect(url, additional_headers=cookie)  # no Origin at all
    own = server.live.url
    with connect(url, additional_headers=cookie, origin=Origin(own)) as ws:
        ws.send(json.dumps({"type": "hello", "proto": 1}))
        assert receive(ws)["type"] == "welcome"
        ws.send(ops(1, ("cookie1", add_card("cookie1"))))
        assert until(ws, "ack")["status"] == "applied"


def test_a_revoked_token_closes_the_socket(server: Server) -> None:
    journey = server.journey()
    with server.http() as c:
        made = c.post("/api/tokens", json={"name": "live"}, headers=server.auth())
        made.raise_for_status()
        token, token_id = made.json()["token"], made.json()["id"]
        ws, _ = server.open(journey, token)
        with ws:
            c.delete(f"/api/tokens/{token_id}", headers=server.auth()).raise_for_status()
            started = time.monotonic()
            assert closed_code(ws, timeout=10) == 4401  # on the timer, within RECHECK_S
            assert time.monotonic() - started < 7


def test_a_lowered_role_closes_on_the_next_message(server: Server) -> None:
    journey = server.journey()
    email = f"low-{journey}@example.com"
    token = server.member(email, "editor")
    ws, _ = server.open(journey, token)
    with ws:
        from journeymap.storage import open_database

        db = open_database(server.database)
        try:
            with db.write() as uow:
                user = uow.accounts.user_by_email(email)
                assert user is not None
                uow.accounts.set_role(server.workspace, user.id, "viewer")
        finally:
            db.dispose()
        ws.send(ops(1, ("low1", add_card("low1"))))
        assert closed_code(ws) == 4403  # connect again, to go on as a viewer
    with server.http() as c:  # nothing was applied
        assert c.get(f"/api/journeys/{journey}", headers=server.auth()).headers["ETag"] == '"r1"'


# ---------------------------------------------------------------- limits


def test_a_message_over_the_size_cap_closes_1009(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        ws.send(json.dumps({"type": "presence", "data": {"x": "y" * 300_000}}))
        assert closed_code(ws) == 1009


def test_the_rate_limit_closes_4429(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        for n in range(200):
            try:
                ws.send(json.dumps({"type": "presence", "data": {"n": n}}))
            except ConnectionClosed:
                break
        assert closed_code(ws) == 4429


def test_a_bad_message_closes_4400_and_a_bad_item_is_rejected_alone(server: Server) -> None:
    journey = server.journey()
    ws, _ = server.open(journey)
    with ws:
        ws.send(
            json.dumps(
                {
                    "type": "ops",
                    "base_rev": 1,
                    "ops": [
                        {"op_id": "bad", "op": {"kind": "explode"}},
                        {"op_id": "good", "op": add_card("good")},
                    ],
                }
            )
        )
        first, second = until(ws, "ack"), until(ws, "ack")
        assert (first["op_id"], first["status"]) == ("bad", "rejected")
        assert (second["op_id"], second["status"]) == ("good", "applied")
        ws.send("not json")
        assert closed_code(ws) == 4400


# ---------------------------------------------------------------- PostgreSQL


@pytest.mark.usefixtures("pg_server")
def test_the_core_path_on_postgresql(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from tests.db_fixtures import pg_url

    with start(pg_url(request.getfixturevalue("pg_server")), tmp_path / "data") as pg:
        _two_clients_see_each_other(pg)


# ---------------------------------------------------------------- a revision comes whole


def test_a_revision_of_several_ops_is_delivered_whole() -> None:
    """Regression (found by test_live_fuzz.py): the ops of one REST batch were handed to each
    connection one by one, so another thread's next revision could land between them and the
    connection, sending in revision order, dropped the rest of the batch for good."""
    from journeymap.services import live as rules
    from journeymap.services.journey_changes import JourneyChanged

    got: list[dict[str, Any]] = []
    the_hub = rules.LiveHub()
    the_hub.join(rules.Listener("j1", got.append, "conn", None))
    ops = tuple({"op_id": f"b{n}", "op": rename(f"c{n}", "x")} for n in range(2))
    the_hub._heard(JourneyChanged("j1", 5, "u1", "ops", ops))
    the_hub._heard(JourneyChanged("j1", 6, "u1", "ops", ops[:1]))
    (whole, single) = got
    assert whole["type"] == rules.REVISION and whole["rev"] == 5
    assert [(m["type"], m["rev"], m["op_id"]) for m in whole["ops"]] == [
        ("op", 5, "b0"),
        ("op", 5, "b1"),
    ]
    assert (single["type"], single["rev"], single["op_id"]) == ("op", 6, "b0")
