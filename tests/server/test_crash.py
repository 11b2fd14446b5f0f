"""kill -9 in the middle of a burst of writes loses nothing that was answered 2xx: after a
restart on the same database every acknowledged op_id is applied (sent again, it is a
duplicate) and the journey shows its effect."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import live_server

BATCHES = 400
CLIENTS = 8


def _batch(n: int, stage: str) -> dict[str, Any]:
    ops = [
        {
            "op_id": f"crash-{n}-{k}",
            "op": {
                "kind": "add",
                "entity": "card",
                "id": f"k{n}x{k}",
                "value": {"kind": "note", "stage": stage, "lane": "actions", "text": f"{n}.{k}"},
            },
        }
        for k in range(3)
    ]
    return {"base_rev": 1, "ops": ops}


def _crash_and_check(database: str, data: Path) -> None:
    live = live_server.start(database, data)
    try:
        token, workspace = live_server.sign_up(live)
        auth = {"Authorization": f"Bearer {token}"}
        made = httpx.post(
            f"{live.url}/api/workspaces/{workspace}/journeys",
            json={"framework": "five-stage", "title": "Crash"},
            headers=auth,
            timeout=30,
        )
        assert made.status_code == 201, made.text
        journey = made.json()
        stage = journey["document"]["stages"][0]["id"]
        acked: dict[int, dict[str, Any]] = {}
        lock = threading.Lock()
        killed = threading.Event()

        def send(n: int, client: httpx.Client) -> None:
            if killed.is_set():
                return
            body = _batch(n, stage)
            try:
                answer = client.post(f"/api/journeys/{journey['id']}/ops", json=body)
            except httpx.HTTPError:
                return  # in flight when the server died: no promise was made
            if answer.is_success:
                with lock:
                    acked[n] = body
            else:
                assert answer.status_code >= 500, answer.text  # never a 4xx for a good batch

        clients = [
            httpx.Client(base_url=live.url, headers=auth, timeout=30) for _ in range(CLIENTS)
        ]
        try:
            with ThreadPoolExecutor(CLIENTS) as pool:
                futures = [pool.submit(send, n, clients[n % CLIENTS]) for n in range(BATCHES)]
                # kill at a random moment, once some writes were acknowledged
                deadline = time.monotonic() + 60
                wanted = random.randint(10, 60)
                while len(acked) < wanted and time.monotonic() < deadline:
                    time.sleep(0.005)
                time.sleep(random.uniform(0, 0.2))
                os.kill(live.process.pid, signal.SIGKILL)
                killed.set()
                live.process.wait(timeout=30)
                for future in futures:
                    future.result()
        finally:
            for client in clients:
                client.close()
        print(f"acknowledged {len(acked)} of {BATCHES} batches before the kill")
        assert acked, "nothing was acknowledged before the kill"
        assert len(acked) < BATCHES, "the burst ended before the kill; make it longer"
    finally:
        live_server.stop(live)

    again = live_server.start(database, data)
    try:
        with httpx.Client(base_url=again.url, headers=auth, timeout=30) as client:
            for n, body in sorted(acked.items()):
                answer = client.post(f"/api/journeys/{journey['id']}/ops", json=body)
                assert answer.status_code == 200, answer.text
                assert answer.json()["status"] == "duplicate", (n, answer.json())
            document = client.get(f"/api/journeys/{journey['id']}").json()["document"]
        cards = {c["id"] for c in document.get("cards", [])}
        wanted = {op["op"]["id"] for body in acked.values() for op in body["ops"]}
        missing = sorted(wanted - cards)
        assert not missing, f"acknowledged but lost: {missing[:10]}"
    finally:
        live_server.stop(again)


def test_kill_9_loses_no_acknowledged_write_sqlite(tmp_path: Path) -> None:
    _crash_and_check(str(tmp_path / "crash.db"), tmp_path / "data")


@pytest.mark.usefixtures("pg_server")
def test_kill_9_loses_no_acknowledged_write_postgresql(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tests.db_fixtures import pg_url

    _crash_and_check(pg_url(request.getfixturevalue("pg_server")), tmp_path / "data")
