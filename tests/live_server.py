"""`journeymap serve` as a real process on a free port, for the crash test and bench/api.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "journeymap"
PASSWORD = "a long enough password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


def start(database: str, data: Path, port: int | None = None, timeout: float = 60) -> Live:
    """Start the server on `database` and wait until /api/health answers."""
    port = port or free_port()
    env = {**os.environ, "JOURNEYMAP_DATA": str(data)}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    data.mkdir(parents=True, exist_ok=True)
    log = data / f"server-{port}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [str(BIN), "serve", "--db", database, "--port", str(port), "--insecure-cookies"],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return Live(process, url, log)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server did not answer in {timeout} s:\n{log.read_text()}")
        time.sleep(0.1)


def stop(live: Live) -> None:
    if live.process.poll() is None:
        live.process.terminate()
        try:
            live.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            live.process.kill()
            live.process.wait(timeout=15)


@contextmanager
def running(database: str, data: Path) -> Iterator[Live]:
    live = start(database, data)
    try:
        yield live
    finally:
        stop(live)


def sign_up(url: str) -> tuple[str, str]:
    """First-run set-up on a fresh server: (an API token of the admin, their workspace id)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        made = client.post(
            "/api/setup",
            json={"email": "ada@example.com", "display_name": "Ada", "password": PASSWORD},
        )
        made.raise_for_status()
        signed = client.post(
            "/api/session", json={"email": "ada@example.com", "password": PASSWORD}
        )
        signed.raise_for_status()
        csrf = signed.json()["csrf_token"]
        token = client.post("/api/tokens", json={"name": "tests"}, headers={"X-CSRF-Token": csrf})
        token.raise_for_status()
        plaintext = token.json()["token"]
        client.cookies.clear()
        spaces = client.get("/api/workspaces", headers={"Authorization": f"Bearer {plaintext}"})
        spaces.raise_for_status()
        return plaintext, spaces.json()[0]["id"]
