"""`journeymap user`: accounts made, listed and re-passworded on the server's database, and the
server then lets them in with that password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

BIN = Path(sys.executable).parent / "journeymap"
GOOD = "a long enough password"


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOURNEYMAP_DATA": str(tmp_path / "data"), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    return subprocess.run(
        [BIN, "user", *args, "--db", str(tmp_path / "team.db")],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _sign_in(tmp_path: Path, email: str, password: str) -> int:
    from journeymap.server.app import create_app
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    settings = Settings(
        database=str(tmp_path / "team.db"), data=tmp_path, secret=b"s" * 64, secure_cookies=False
    )
    db = open_database(settings.database)
    try:
        client = TestClient(create_app(settings, db))
        answer = client.post("/api/session", json={"email": email, "password": password})
        return answer.status_code
    finally:
        db.dispose()


def test_add_list_and_reset_a_password(tmp_path: Path) -> None:
    named = _run(tmp_path, "add", "a@example.com", "--name", "a@b", "--password-stdin", stdin=GOOD)
    assert named.returncode == 1 and "display_name: give a name without @" in named.stderr
    weak = _run(
        tmp_path, "add", "ann@example.com", "--name", "Ann", "--password-stdin", stdin="x\n"
    )
    assert weak.returncode == 1 and "password: use at least 10 characters" in weak.stderr
    guessable = _run(
        tmp_path, "add", "ann@example.com", "--name", "Ann", "--password-stdin", stdin="password1!"
    )
    assert guessable.returncode == 1
    assert "password: it is too easy to guess: This is similar to a commonly" in guessable.stderr
    made = _run(
        tmp_path,
        "add",
        "Ann@Example.com",
        "--name",
        "Ann Lee",
        "--admin",
        "--password-stdin",
        stdin=GOOD + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert "added ann@example.com (admin)" in made.stdout
    twice = _run(tmp_path, "add", "ann@example.com", "--name", "A", "--password-stdin", stdin=GOOD)
    assert twice.returncode == 1 and "already a user" in twice.stderr
    assert _sign_in(tmp_path, "ann@example.com", GOOD) == 200
    listed = _run(tmp_path, "list")
    assert listed.returncode == 0 and "ann@example.com" in listed.stdout and "yes" in listed.stdout
    reset = _run(
        tmp_path, "password", "ann@example.com", "--password-stdin", stdin="new words here\n"
    )
    assert reset.returncode == 0, reset.stderr
    spaces = _run(tmp_path, "password", "ann@example.com", "--password-stdin", stdin=" " * 10)
    assert spaces.returncode == 1 and "too easy to guess" in spaces.stderr
    assert _sign_in(tmp_path, "ann@example.com", GOOD) == 401
    assert _sign_in(tmp_path, "ann@example.com", "new words here") == 200
    nobody = _run(tmp_path, "password", "zed@example.com", "--password-stdin", stdin=GOOD)
    assert nobody.returncode == 1 and "no user 'zed@example.com'" in nobody.stderr


def test_a_member_of_a_workspace_at_once(tmp_path: Path) -> None:
    from journeymap.storage import open_database

    db = open_database(tmp_path / "team.db")
    with db.write() as uow:
        uow.accounts.add_workspace("CX team", workspace_id="cx")
    db.dispose()
    bo = ("add", "bo@example.com", "--name", "Bo", "--password-stdin", "--workspace")
    missing = _run(tmp_path, *bo, "nope", stdin=GOOD)
    assert missing.returncode == 1 and "no workspace 'nope'" in missing.stderr
    bad_role = _run(tmp_path, *bo, "cx", "--role", "boss", stdin=GOOD)
    assert bad_role.returncode == 1 and "--role" in bad_role.stderr
    made = _run(tmp_path, *bo, "cx", "--role", "viewer", stdin=GOOD)
    assert made.returncode == 0, made.stderr
    assert "CX team (viewer)" in _run(tmp_path, "list").stdout
