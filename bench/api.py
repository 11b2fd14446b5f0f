"""REST API latency and throughput on loopback: `python -m bench.api [--quick]`.

A real `journeymap serve` process (one uvicorn worker) on a 300-card journey (bench/render.py's
big_journey), on SQLite and on PostgreSQL (a throwaway server, tests/pg_server.py, when the
binaries are installed). Measured with httpx clients on keep-alive connections:
- one client: p50/p99 of GET /api/journeys/{id}, and of POST .../ops (a batch of one card edit);
- 20 concurrent clients (threads): throughput and p99 of the same two requests.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests import live_server

CLIENTS = 20


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Target:
    """The big journey on a fresh server, and how to read and edit it."""

    def __init__(self, live: live_server.Live) -> None:
        from bench.render import big_journey
        from journeymap.files.journey_file import render_text

        url = self.url = live.url
        token, workspace = live_server.sign_up(live)
        self.auth = {"Authorization": f"Bearer {token}"}
        text = render_text(big_journey(cards=300), as_json=True)
        made = httpx.post(
            f"{url}/api/workspaces/{workspace}/journeys",
            json={"document": text},
            headers=self.auth,
            timeout=60,
        )
        made.raise_for_status()
        self.journey = made.json()["id"]
        cards = made.json()["document"]["cards"]
        assert len(cards) == 300, len(cards)
        self.cards = [c["id"] for c in cards]
        self.rev = made.json()["rev"]
        self.count = 0
        self.lock = threading.Lock()

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.auth, timeout=60)

    def get(self, client: httpx.Client) -> None:
        answer = client.get(f"/api/journeys/{self.journey}")
        if answer.status_code != 200:
            raise RuntimeError(answer.text)

    def edit(self, client: httpx.Client) -> None:
        with self.lock:
            self.count += 1
            n, base = self.count, self.rev
        card = self.cards[n % len(self.cards)]
        op = {"kind": "set", "entity": "card", "id": card, "field": "text", "value": f"Edit {n}"}
        answer = client.post(
            f"/api/journeys/{self.journey}/ops",
            json={"base_rev": base, "ops": [{"op_id": f"bench-{n}", "op": op}]},
        )
        if answer.status_code != 200:
            raise RuntimeError(answer.text)
        with self.lock:
            self.rev = max(self.rev, answer.json()["rev"])


def one_client(target: Target, call: Callable[[httpx.Client], None], n: int) -> list[float]:
    times = []
    with target.client() as client:
        for _ in range(5):  # warm the connection and the server
            call(client)
        for _ in range(n):
            start = time.perf_counter()
            call(client)
            times.append(time.perf_counter() - start)
    return times


def many_clients(
    target: Target, call: Callable[[httpx.Client], None], each: int
) -> tuple[list[float], float]:
    """(every request's latency, the wall time) for CLIENTS threads of `each` requests."""
    times: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(CLIENTS + 1)

    def work() -> None:
        with target.client() as client:
            call(client)  # connect first
            ready.wait()
            mine = []
            for _ in range(each):
                start = time.perf_counter()
                call(client)
                mine.append(time.perf_counter() - start)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return times, time.perf_counter() - start


def measure(engine: str, live: live_server.Live, quick: bool) -> list[tuple[str, ...]]:
    target = Target(live)
    n, each = (50, 10) if quick else (300, 40)
    rows = []
    for name, call in (("GET journey", target.get), ("POST ops (1 edit)", target.edit)):
        single = one_client(target, call, n)
        rows.append(
            (
                engine,
                name,
                "1 client",
                str(len(single)),
                f"{statistics.median(single) * 1000:.1f}",
                f"{_pct(single, 0.99) * 1000:.1f}",
                f"{len(single) / sum(single):.0f}",
            )
        )
        times, wall = many_clients(target, call, each)
        rows.append(
            (
                engine,
                name,
                f"{CLIENTS} clients",
                str(len(times)),
                f"{statistics.median(times) * 1000:.1f}",
                f"{_pct(times, 0.99) * 1000:.1f}",
                f"{len(times) / wall:.0f}",
            )
        )
    return rows


@contextmanager
def _postgres() -> Iterator[str | None]:
    from tests.pg_server import running_server

    try:
        with running_server() as server:
            db = server.create_database()
            yield f"postgresql://{db.user}:{db.password}@{db.host}:{db.port}/{db.name}"
    except BaseException as error:  # pytest.skip's exception, when the binaries are missing
        if type(error).__name__ != "Skipped":
            raise
        print(f"PostgreSQL skipped: {error}", file=sys.stderr)
        yield None


def main() -> None:
    quick = "--quick" in sys.argv
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory(prefix="journeymap-bench-") as folder:
        base = Path(folder)
        with live_server.running(str(base / "bench.db"), base / "data") as live:
            rows += measure("SQLite", live, quick)
        with _postgres() as pg:
            if pg is not None:
                with live_server.running(pg, base / "data-pg") as live:
                    rows += measure("PostgreSQL", live, quick)
    head = ("engine", "request", "load", "n", "p50 ms", "p99 ms", "req/s")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    print("300-card journey, one uvicorn worker, loopback, httpx keep-alive clients")
    for row in [head, *rows]:
        cells = zip(row, widths, strict=True)
        print("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(cells)))


if __name__ == "__main__":
    main()
