"""`journeymap demo --check` as CI runs it, the demo set-up run twice, a taken port, and a
second demo on a database another one serves."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from journeymap.server.demo import DEMO_WORKSPACE, set_up
from journeymap.services.templates import template_names
from journeymap.storage import open_database
from tests import live_server

BIN = Path(sys.executable).parent / "journeymap"


def _demo_check(database: Path, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOURNEYMAP_DATA": str(data), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    done = subprocess.run(
        [BIN, "demo", "--check", "--db", str(database)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_demo_check_sets_up_serves_and_checks(tmp_path: Path) -> None:
    database, data = tmp_path / "demo.db", tmp_path / "data"
    done = _demo_check(database, data)
    assert "demo check passed: 8 checks" in done.stdout
    for name in ("/api/health", "/api/docs", "Swagger UI", "sign in", "library", "persona"):
        assert name in done.stdout
    again = _demo_check(database, data)
    assert "made: nothing new" in again.stdout


def test_demo_set_up_is_idempotent_and_rotates_the_password(tmp_path: Path) -> None:
    from journeymap.services.security import check_password

    db = open_database(tmp_path / "demo.db")
    try:
        first = set_up(db, with_evidence=False)
        second = set_up(db, with_evidence=False)
        assert first.journeys == second.journeys and len(first.journeys) == len(template_names())
        assert "workspace" in first.made and second.made == []
        assert first.password != second.password and len(second.password) >= 16
        with db.read() as uow:
            assert len(uow.journeys.in_workspace(DEMO_WORKSPACE)) == len(template_names())
            user = uow.accounts.user_by_email(first.email)
            assert user is not None and not user.is_admin and user.password_hash
            assert check_password(user.password_hash, second.password)[0]
            assert not check_password(user.password_hash, first.password)[0]
    finally:
        db.dispose()


def _journeymap(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOURNEYMAP_DATA": str(data), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    return subprocess.run(
        [BIN, *args], capture_output=True, text=True, env=env, timeout=180, check=False
    )


def test_a_taken_port_is_told_before_the_database_is_touched(tmp_path: Path) -> None:
    from journeymap.services.security import check_password

    demo_db = tmp_path / "demo.db"
    db = open_database(demo_db)
    try:
        login = set_up(db, with_evidence=False)
    finally:
        db.dispose()
    with socket.socket() as holder:  # another server holds the port
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = str(holder.getsockname()[1])
        served = _journeymap(tmp_path, "serve", "--db", str(tmp_path / "team.db"), "--port", port)
        demo = _journeymap(tmp_path, "demo", "--db", str(demo_db), "--port", port)
    for done in (served, demo):
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"port {port} on 127.0.0.1 is taken" in done.stderr
        assert f"--port {int(port) + 1}" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "team.db").exists()  # the database was never opened
    db = open_database(demo_db)
    try:
        with db.read() as uow:
            user = uow.accounts.user_by_email(login.email)
            assert user is not None and check_password(user.password_hash or "", login.password)[0]
    finally:
        db.dispose()


def test_a_second_demo_on_the_same_database_leaves_the_first_ones_login(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = live_server.start_demo(data)
    try:
        printed = first.log.read_text()
        password = re.search(r"password: (\S+)", printed)
        token = re.search(r"export JOURNEYMAP_TOKEN=(jm_\S+)", printed)
        assert password and token, printed
        second = _journeymap(data, "demo", "--port", str(live_server.free_port()))
        assert second.returncode == 1, second.stdout + second.stderr
        assert "another journeymap demo is serving" in second.stderr
        assert "its login still works" in second.stderr and "--db" in second.stderr
        with httpx.Client(base_url=first.url, timeout=30) as client:
            signed = client.post(
                "/api/session", json={"email": "demo@example.com", "password": password[1]}
            )
            assert signed.status_code == 200, signed.text
            me = client.get("/api/me", headers={"Authorization": f"Bearer {token[1]}"})
            assert me.status_code == 200 and me.json()["email"] == "demo@example.com"
    finally:
        live_server.stop(first)
    again = live_server.start_demo(data)  # once the first has stopped, a demo starts again
    live_server.stop(again)
    assert "password:" in again.log.read_text()
