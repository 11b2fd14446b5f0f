"""`journeymap serve` and `journeymap demo` as real processes on a free port, for the crash
test, the CLI and README tests, and bench/api.py."""

from __future__ import annotations

import os
import re
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
SETUP_CODE = re.compile(r"set-up code ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


def start(
    database: str,
    data: Path,
    port: int | None = None,
    timeout: float = 60,
    sources: Path | None = None,
) -> Live:
    """Start the server on `database` (reading data sources from `sources`, when given) and
    wait until /api/health answers."""
    more = ["--sources-dir", str(sources)] if sources is not None else []
    return launch(["serve", "--db", database, "--insecure-cookies", *more], data, port, timeout)


def start_demo(data: Path, port: int | None = None, *args: str, timeout: float = 180) -> Live:
    """`journeymap demo` (on the data folder's demo.db unless `args` say --db), waited for
    until it answers; what it printed is in `live.log`."""
    return launch(["demo", *args], data, port, timeout)


def launch(
    args: list[str], data: Path, port: int | None, timeout: float, cwd: Path | None = None
) -> Live:
    """`journeymap ARGS --port PORT` as a process, once /api/health answers on that port."""
    port = port or free_port()
    env = {**os.environ, "JOURNEYMAP_DATA": str(data), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    data.mkdir(parents=True, exist_ok=True)
    log = data / f"server-{port}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [str(BIN), *args, "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
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
def running(database: str, data: Path, sources: Path | None = None) -> Iterator[Live]:
    live = start(database, data, sources=sources)
    try:
        yield live
    finally:
        stop(live)


def printed_setup_code(live: Live) -> str:
    """The one-time set-up code a fresh server printed on its console."""
    found = SETUP_CODE.search(live.log.read_text())
    if found is None:
        raise RuntimeError(f"the server printed no set-up code:\n{live.log.read_text()}")
    return found.group(1)


def sign_up(live: Live) -> tuple[str, str]:
    """First-run set-up on a fresh server, with the code it printed: (an API token of the
    admin, their workspace id)."""
    with httpx.Client(base_url=live.url, timeout=30) as client:
        made = client.post(
            "/api/setup",
            json={
                "email": "ada@example.com",
                "display_name": "Ada",
                "password": PASSWORD,
                "setup_code": printed_setup_code(live),
            },
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


def add_member(database: str, workspace: str, email: str, role: str) -> str:
    """A user with `role` in the workspace, written straight into the server's database, and
    an API token of theirs (its plaintext)."""
    from journeymap.services.security import hash_password, new_token
    from journeymap.storage import open_database

    made = new_token()
    db = open_database(database)
    try:
        with db.write() as uow:
            user = uow.accounts.add_user(email, email.split("@")[0], hash_password("x" * 20))
            uow.access.add_token(user.id, "tests", made.prefix, made.digest)
            uow.accounts.set_role(workspace, user.id, role)
    finally:
        db.dispose()
    return made.plaintext
