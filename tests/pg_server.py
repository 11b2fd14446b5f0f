"""A real, throwaway PostgreSQL server for tests: one per test session, a fresh database per test.

tests/conftest.py registers its fixtures (`pytest_plugins`), so any test may ask for them:

    def test_something(pg_database: PgDatabase) -> None:
        with pg_database.connect() as con: ...

The server runs from Debian's binaries (/usr/lib/postgresql/*/bin, from `make system-packages`)
on a free port of 127.0.0.1 with password (SCRAM) logins, its data in a temporary folder; it is
never installed or started as a system service. PostgreSQL refuses to run as root, so as root
it runs as the `postgres` user. Tests using it are skipped, saying why, when the binaries are
missing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
SUPERUSER = "postgres"


def bin_dir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    return found[-1].parent if found else None


def _version(path: Path) -> int:
    part = path.parents[1].name
    return int(part) if part.isdigit() else 0


@dataclass(frozen=True)
class PgDatabase:
    host: str
    port: int
    name: str
    user: str  # the superuser
    password: str

    def connect(self, **kwargs: Any) -> Any:
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            dbname=self.name,
            user=self.user,
            password=self.password,
            autocommit=True,
            **kwargs,
        )

    def url(self, user: str | None = None) -> str:
        """A postgres:// URL for `user` (default the superuser), without a password."""
        return f"postgres://{user or self.user}@{self.host}:{self.port}/{self.name}"


@dataclass
class PgServer:
    host: str
    port: int
    password: str
    count: int = 0

    def create_database(self) -> PgDatabase:
        self.count += 1
        name = f"test_{self.count}_{secrets.token_hex(3)}"
        admin = PgDatabase(self.host, self.port, "postgres", SUPERUSER, self.password)
        with admin.connect() as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return PgDatabase(self.host, self.port, name, SUPERUSER, self.password)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def running_server(hba: tuple[str, ...] = ()) -> Iterator[PgServer]:
    """Start a server in a temporary folder; stop it and remove the folder afterwards. `hba`:
    lines put first in its pg_hba.conf (e.g. a user who logs in another way)."""
    binaries = bin_dir()
    if binaries is None:
        pytest.skip(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin "
            "(install them with `make system-packages`)"
        )
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root needs `runuser` to start PostgreSQL as the postgres user")
    # Not under pytest's tmp folder: its parents are private to root, so postgres could not
    # enter them.
    folder = Path(tempfile.mkdtemp(prefix="journeymap-pg-"))
    password = secrets.token_urlsafe(16)
    data, pwfile, log = folder / "data", folder / "pw", folder / "server.log"
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    port = _free_port()
    try:
        _run(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "--encoding=UTF8",
                "--locale=C",
            ]
        )
        if hba:
            conf = data / "pg_hba.conf"
            conf.write_text("\n".join(hba) + "\n" + conf.read_text())
        options = f"-c listen_addresses={HOST} -p {port} -k {folder} -c fsync=off"
        _run(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "start",
            ]
        )
        yield PgServer(HOST, port, password)
    finally:
        if (data / "postmaster.pid").exists():
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    with running_server() as server:
        yield server


@pytest.fixture
def pg_database(pg_server: PgServer) -> PgDatabase:
    return pg_server.create_database()
