"""`journeymap token create`: a personal API token for an account, printed once (as `user add`
reaches the database), that the server then takes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

BIN = Path(sys.executable).parent / "journeymap"


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOURNEYMAP_DATA": str(tmp_path / "data"), "COLUMNS": "200"}
    env.pop("JOURNEYMAP_DATABASE_URL", None)
    return subprocess.run(
        [BIN, *args, "--db", str(tmp_path / "team.db")],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _me(tmp_path: Path, token: str) -> tuple[int, dict[str, object]]:
    from journeymap.server.app import create_app
    from journeymap.server.settings import Settings
    from journeymap.storage import open_database

    settings = Settings(database=str(tmp_path / "team.db"), data=tmp_path, secret=b"s" * 64)
    db = open_database(settings.database)
    try:
        answer = TestClient(create_app(settings, db)).get(
            "/api/me", headers={"Authorization": f"Bearer {token}"}
        )
        return answer.status_code, answer.json()
    finally:
        db.dispose()


def test_a_token_is_printed_once_and_signs_its_account_in(tmp_path: Path) -> None:
    added = _run(
        tmp_path,
        "user",
        "add",
        "ann@example.com",
        "--name",
        "Ann",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert added.returncode == 0, added.stderr
    made = _run(tmp_path, "token", "create", "--user", "Ann@Example.com", "--name", "notebook")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("jm_") and "\n" not in token  # stdout is the token alone
    assert "shown once" in made.stderr and "ann@example.com" in made.stderr
    status, me = _me(tmp_path, token)
    assert status == 200 and me["email"] == "ann@example.com"
    again = _run(tmp_path, "token", "create", "--user", "ann@example.com")
    assert again.returncode == 0 and again.stdout.strip() != token  # a new one each time
    assert _me(tmp_path, token)[0] == 200  # the first still works


def test_an_unknown_account_is_named_with_the_way_to_list_them(tmp_path: Path) -> None:
    missing = _run(tmp_path, "token", "create", "--user", "nobody@example.com")
    assert missing.returncode == 1 and missing.stdout == ""
    assert "there is no user 'nobody@example.com'" in missing.stderr
    assert "journeymap user list" in missing.stderr and "Traceback" not in missing.stderr
