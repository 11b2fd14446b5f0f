"""Hostile load on a real server: `python -m bench.hostile [--quick]`.

A real `journeymap serve` process (one uvicorn worker) on SQLite, with its default limits (on a
2-core machine: 2 parses and 1 Chromium render at a time):

1. Nested YAML: 45 clients post `[` x 5000 (5 KB) to the import route, over and over, while a
   viewer reads a journey (GET /api/journeys/{id}) once every 20 ms: the viewer's p50/p99, and
   the imports' answers. Beside it, what ruamel alone takes on one such body, in this process
   (the cost each import had before the depth check).
2. Posters: 8 clients ask at once for `render.png?scale=4`, of one journey (cached after the
   first) and of 8 different journeys (each a render): every answer's status and time, and the
   peak memory of the server's process tree (proportional set size, so pages Chromium's
   processes share are counted once), sampled every 50 ms.
3. Wrong passwords: the median time of a sign-in with a wrong password for emails that have an
   account and for emails that do not, taken in turn (so the machine's load falls on both
   alike), on a second server whose sign-in budgets are raised so that every attempt is checked
   rather than refused (429). Beside them, one argon2 verification in this process: the cost
   an unknown email skipped before it was given a dummy hash to verify.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
from tests import live_server

BOMB = "[" * 5000
IMPORTERS = 45
POSTERS = 8


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def tree_pss(root: int) -> int:
    """Bytes of memory the process tree under `root` holds (PSS, shared pages split)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def ruamel_alone() -> float:
    """Seconds ruamel takes to refuse one bomb (what each import cost before the check)."""
    from ruamel.yaml import YAML

    start = time.process_time()
    with contextlib.suppress(RecursionError):
        YAML(typ="rt").load(BOMB)
    return time.process_time() - start


def nested_yaml(url: str, auth: dict[str, str], workspace: str, seconds: float) -> None:
    made = httpx.post(
        f"{url}/api/workspaces/{workspace}/journeys",
        json={"template": "online-store-checkout"},
        headers=auth,
        timeout=60,
    )
    made.raise_for_status()
    journey = made.json()["id"]
    stop = threading.Event()
    answers: Counter[int] = Counter()
    lock = threading.Lock()

    def importer() -> None:
        with httpx.Client(base_url=url, headers=auth, timeout=120) as client:
            while not stop.is_set():
                status = client.post(
                    f"/api/workspaces/{workspace}/journeys/import", content=BOMB
                ).status_code
                with lock:
                    answers[status] += 1

    def viewer(times: list[float]) -> None:
        with httpx.Client(base_url=url, headers=auth, timeout=600) as client:
            while not stop.is_set():
                start = time.perf_counter()
                client.get(f"/api/journeys/{journey}").raise_for_status()
                times.append(time.perf_counter() - start)
                time.sleep(0.02)

    quiet: list[float] = []
    calm = threading.Thread(target=viewer, args=(quiet,))
    calm.start()
    time.sleep(3)
    stop.set()
    calm.join()
    stop.clear()
    loaded: list[float] = []
    threads = [threading.Thread(target=importer) for _ in range(IMPORTERS)]
    threads.append(threading.Thread(target=viewer, args=(loaded,)))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    print(f"1. {IMPORTERS} clients posting `[` x 5000 to the import route for {seconds:.0f} s")
    print(
        f"   viewer GET alone:      n={len(quiet)}  p50 {statistics.median(quiet) * 1000:.1f} ms"
        f"  p99 {_pct(quiet, 0.99) * 1000:.1f} ms"
    )
    print(
        f"   viewer GET under load: n={len(loaded)}  p50 {statistics.median(loaded) * 1000:.1f} "
        f"ms  p99 {_pct(loaded, 0.99) * 1000:.1f} ms  (target p99 < 200 ms)"
    )
    print(
        f"   imports answered: {sum(answers.values())}, by status {dict(sorted(answers.items()))}"
    )
    print(f"   ruamel alone on one such body (no depth check): {ruamel_alone():.2f} s of CPU")


def posters(live: live_server.Live, auth: dict[str, str], workspace: str, timeout: float) -> None:
    journeys = []
    for _ in range(POSTERS):
        made = httpx.post(
            f"{live.url}/api/workspaces/{workspace}/journeys",
            json={"template": "online-store-checkout"},
            headers=auth,
            timeout=60,
        )
        made.raise_for_status()
        journeys.append(made.json()["id"])
    for label, targets in (("one journey", [journeys[0]] * POSTERS), ("8 journeys", journeys)):
        answers, peak = _burst(live, auth, targets)
        statuses = Counter(s for s, _ in answers)
        slowest = max(t for _, t in answers)
        print(
            f"   {label}: statuses {dict(sorted(statuses.items()))}, slowest answer "
            f"{slowest:.1f} s (render timeout {timeout:.0f} s), server tree peak "
            f"{peak / 1e6:,.0f} MB (target < 2,000 MB)"
        )


def _burst(
    live: live_server.Live, auth: dict[str, str], targets: list[str]
) -> tuple[list[tuple[int, float]], int]:
    """(status and seconds of each answer, the server tree's peak memory) for one PNG at
    scale 4 of each target, all asked at once."""
    peak, stop = [tree_pss(live.process.pid)], threading.Event()
    answers: list[tuple[int, float]] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(targets))

    def sample() -> None:
        while not stop.is_set():
            peak.append(tree_pss(live.process.pid))
            time.sleep(0.05)

    def ask(journey: str) -> None:
        with httpx.Client(base_url=live.url, headers=auth, timeout=600) as client:
            ready.wait()
            start = time.perf_counter()
            status = client.get(f"/api/journeys/{journey}/render.png?scale=4").status_code
            with lock:
                answers.append((status, time.perf_counter() - start))

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=ask, args=(j,)) for j in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    sampler.join()
    return answers, max(peak)


def wrong_passwords(url: str, token: str, rounds: int) -> None:
    """Median seconds of a wrong-password sign-in for known and unknown emails, in turn."""
    admin = {"Authorization": f"Bearer {token}"}
    known = [f"known{i}@example.com" for i in range(4)]
    for email in known:
        body = {"email": email, "display_name": "K", "password": live_server.PASSWORD}
        httpx.post(f"{url}/api/users", json=body, headers=admin, timeout=60).raise_for_status()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        for i in range(rounds):
            for kind, email in (("known", known[i % 4]), ("unknown", f"nobody{i}@example.com")):
                start = time.perf_counter()
                answer = client.post(
                    "/api/session", json={"email": email, "password": "not the password"}
                )
                times[kind].append(time.perf_counter() - start)
                statuses[answer.status_code] += 1
    known_ms, unknown_ms = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
    print(f"3. wrong passwords, {rounds} each, in turn (answers {dict(sorted(statuses.items()))})")
    print(
        f"   median known email {known_ms:.1f} ms, unknown email {unknown_ms:.1f} ms: the "
        f"unknown at {unknown_ms / known_ms:.0%} of the known (target within 20%)"
    )
    print(f"   one argon2 verification alone, in this process: {argon2_alone() * 1000:.1f} ms")


def argon2_alone() -> float:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerifyMismatchError

    hasher = PasswordHasher()
    digest = hasher.hash("the right password")
    start = time.perf_counter()
    with contextlib.suppress(VerifyMismatchError):
        hasher.verify(digest, "not the password")
    return time.perf_counter() - start


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """os.environ with `values` set, for a server started inside (it inherits them)."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> None:
    quick = "--quick" in sys.argv
    from journeymap.services.limits import ServerLimits

    limits = ServerLimits.from_env()
    print(
        f"machine: {os.cpu_count()} cores; limits: {limits.parses} parses, {limits.renders} "
        f"render(s) at once, render timeout {limits.render_timeout:g} s, "
        f"{limits.poster_pixels / 1e6:g} MP a poster"
    )
    with tempfile.TemporaryDirectory(prefix="journeymap-hostile-") as folder:
        base = Path(folder)
        with live_server.running(str(base / "bench.db"), base / "data") as live:
            token, workspace = live_server.sign_up(live)
            auth = {"Authorization": f"Bearer {token}"}
            nested_yaml(live.url, auth, workspace, 10 if quick else 30)
            print(f"2. {POSTERS} clients asking at once for render.png?scale=4 (online-store)")
            posters(live, auth, workspace, limits.render_timeout)
        budgets = environment(
            JOURNEYMAP_SIGN_IN_ATTEMPTS="100000", JOURNEYMAP_SIGN_IN_ADDRESS_ATTEMPTS="100000"
        )
        with budgets, live_server.running(str(base / "sign-in.db"), base / "data2") as live:
            token, _ = live_server.sign_up(live)
            wrong_passwords(live.url, token, 20 if quick else 100)


if __name__ == "__main__":
    main()
