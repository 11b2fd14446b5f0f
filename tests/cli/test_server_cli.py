"""`journeymap demo --check` as CI runs it, and the demo set-up run twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from journeymap.server.demo import DEMO_WORKSPACE, set_up
from journeymap.services.templates import template_names
from journeymap.storage import open_database

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
