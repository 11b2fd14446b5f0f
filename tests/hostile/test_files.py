"""The server's files are its owner's alone (the database, its -wal and -shm, backups, the
secret key), whatever the umask; a client that goes away mid-upload is no error to log."""

from __future__ import annotations

import os
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from journeymap.server.settings import load_settings
from journeymap.storage import open_database
from journeymap.storage.backup import backup
from tests import live_server
from tests.pg_server import PgDatabase


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Files made as permissively as a process can ask: only our own modes protect them."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_journal_files_are_owner_only(
    tmp_path: Path, open_umask: None
) -> None:
    db = open_database(tmp_path / "data" / "team.db")
    try:
        with db.write() as uow:
            uow.accounts.add_user("ada@example.com", "Ada", "not-a-real-hash")
        files = sorted(p.name for p in (tmp_path / "data").iterdir())
        assert files == ["team.db", "team.db-shm", "team.db-wal"]
        assert {name: mode(tmp_path / "data" / name) for name in files} == dict.fromkeys(
            files, 0o600
        )
    finally:
        db.dispose()


def test_backups_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    db = open_database(tmp_path / "team.db")
    db.dispose()
    out = tmp_path / "team-backup.db"
    backup(str(tmp_path / "team.db"), out)
    assert mode(out) == 0o600


def test_a_postgresql_backup_is_owner_only(
    pg_database: PgDatabase, tmp_path: Path, open_umask: None
) -> None:
    url = f"postgresql://{pg_database.user}:{pg_database.password}@{pg_database.host}:{pg_database.port}/{pg_database.name}"
    open_database(url).dispose()
    out = tmp_path / "team.jsonl.gz"
    backup(url, out)
    assert mode(out) == 0o600


def test_the_secret_key_and_its_folder_are_owner_only(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNEYMAP_SECRET", raising=False)
    folder = tmp_path / "data"
    settings = load_settings(data=folder)
    assert len(settings.secret) == 64
    assert mode(folder / "secret.key") == 0o600 and mode(folder) == 0o700


@pytest.fixture
def server(tmp_path: Path) -> Iterator[live_server.Live]:
    live = live_server.start(str(tmp_path / "server.db"), tmp_path / "data")
    try:
        yield live
    finally:
        live_server.stop(live)


def test_a_client_gone_mid_upload_leaves_no_traceback(server: live_server.Live) -> None:
    token, workspace = live_server.sign_up(server)
    url = f"{server.url}/api/workspaces/{workspace}/journeys/import"
    auth = {"Authorization": f"Bearer {token}"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts the stream
        for _ in range(700):
            yield b"x" * 10_000

    refused = httpx.post(url, content=chunks(), headers=auth, timeout=60)
    assert refused.status_code == 413
    assert refused.json()["title"] == "Request too large"

    # A client that hangs up halfway through a body it announced.
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(
            f"POST /api/workspaces/{workspace}/journeys/import HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/yaml\r\nContent-Length: 100000\r\n\r\n"
            "title: half a file\n".encode()
        )
        time.sleep(0.5)
    assert httpx.get(f"{server.url}/api/health").status_code == 200
    time.sleep(0.5)  # the server has noticed the hang-up
    log = server.log.read_text()
    assert "Traceback" not in log and "ClientDisconnect" not in log, log[-3000:]
