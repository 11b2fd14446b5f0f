"""backup and restore: a consistent snapshot of the whole database, loaded into an empty one, on
SQLite and PostgreSQL (and across them); a non-empty target and a foreign file are refused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from journeymap.services.journeys import apply_ops, create_journey, get_journey
from journeymap.services.templates import new_journey
from journeymap.storage import Database, open_database
from journeymap.storage.backup import BackupError, backup, restore
from tests.db_fixtures import db, db_url, pg_url  # noqa: F401
from tests.pg_server import PgServer

RENAME = {"kind": "rename", "entity": "stage", "id": "awareness", "name": "N"}
TITLE = {"kind": "set", "entity": "journey", "field": "title", "value": "Ü"}


def _fill(database: Database) -> str:
    made = create_journey(database, "w1", new_journey(template="online-store-checkout"), "u1")
    apply_ops(
        database,
        made.id,
        "u1",
        [{"op_id": "t1", "op": TITLE}],
        1,
    )
    with database.write() as uow:
        uow.evidence.put(made.id, {"items": [1, 2]}, "u1")
        uow.comments.add(made.id, "stage", "awareness", "first", "u1")
    return made.id


def _rows(database: Database) -> dict[str, list[tuple[object, ...]]]:
    from journeymap.storage.backup import _tables

    with database.engine.connect() as connection:
        return {
            t.name: sorted(
                (tuple(str(v) for v in r) for r in connection.execute(t.select())), key=str
            )
            for t in _tables(connection)
        }


def _target(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return str(tmp_path / "restored.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return pg_url(server)


@pytest.mark.parametrize("into", ["sqlite", "postgresql"])
def test_backup_then_restore_gives_the_same_rows(
    db: Database,  # noqa: F811
    into: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    journey_id = _fill(db)
    out = tmp_path / "snapshot.bak"
    summary = backup(str(db.engine.url.render_as_string(hide_password=False)), out)
    head = out.read_bytes()[:16]
    assert head.startswith(b"SQLite format 3" if db.is_sqlite else b"\x1f\x8b")
    assert summary.rows["op_log"] == 2 and summary.rows["journeys"] == 1
    target = _target(into, tmp_path, request)
    restored = restore(out, target)
    assert restored.rows == summary.rows
    again = open_database(target)
    try:
        before, after = _rows(db), _rows(again)
        assert before.keys() == after.keys()
        for table in before:
            if table not in ("journeys", "op_log", "evidence", "comments"):
                assert len(before[table]) == len(after[table]), table
        assert get_journey(again, journey_id).journey == get_journey(db, journey_id).journey
        # the restored database takes new writes (PostgreSQL: its sequences were moved on)
        apply_ops(
            again,
            journey_id,
            "u1",
            [{"op_id": "t2", "op": RENAME}],
            2,
        )
        with again.write() as uow:
            uow.comments.add(journey_id, "stage", "awareness", "second", "u1")
        with again.read() as uow:
            assert [c.body for c in uow.comments.of_journey(journey_id)] == ["first", "second"]
            assert uow.evidence.get(journey_id).data == {"items": [1, 2]}  # type: ignore[union-attr]
    finally:
        again.dispose()


def test_restore_refuses_a_database_with_data(db: Database, tmp_path: Path) -> None:  # noqa: F811
    _fill(db)
    out = tmp_path / "snapshot.bak"
    url = db.engine.url.render_as_string(hide_password=False)
    backup(url, out)
    with pytest.raises(BackupError, match="is not empty"):
        restore(out, url)


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_text("hello")
    with pytest.raises(BackupError, match="not a journeymap backup"):
        restore(junk, tmp_path / "a.db")
    other = tmp_path / "other.jsonl.gz"
    with gzip.open(other, "wt") as handle:
        handle.write(json.dumps({"format": "something-else"}) + "\n")
    with pytest.raises(BackupError, match="no journeymap-backup header"):
        restore(other, tmp_path / "b.db")
    newer = tmp_path / "newer.jsonl.gz"
    with gzip.open(newer, "wt") as handle:
        handle.write(json.dumps({"format": "journeymap-backup", "version": 99}) + "\n")
    with pytest.raises(BackupError, match="format version 99"):
        restore(newer, tmp_path / "c.db")


def test_a_cut_off_logical_backup_is_refused_and_loads_nothing(tmp_path: Path) -> None:
    source = tmp_path / "src.db"
    database = open_database(source)
    with database.write() as uow:
        uow.accounts.add_workspace("Team", workspace_id="w1")
        uow.accounts.add_user("ann@example.com", "Ann", user_id="u1")
        uow.accounts.set_role("w1", "u1", "owner")
    _fill(database)
    database.dispose()
    # a logical export of the SQLite database, as PostgreSQL's backup writes it
    from journeymap.storage.backup import _write_logical
    from journeymap.storage.database import create_db_engine

    engine = create_db_engine(source)
    full = tmp_path / "full.jsonl.gz"
    with engine.connect() as connection, gzip.open(full, "wt", encoding="utf-8") as handle:
        _write_logical(connection, handle, "sqlite")
    engine.dispose()
    with gzip.open(full, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:-3]) + "\n")
    with pytest.raises(BackupError, match="cut short"):
        restore(cut, tmp_path / "cut.db")
    check = open_database(tmp_path / "cut.db")
    with check.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 0
    check.dispose()
    assert restore(full, tmp_path / "ok.db").rows["users"] == 1


def test_the_cli_backs_up_and_restores(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeymap.cli.app import app

    source = tmp_path / "live.db"
    database = open_database(source)
    with database.write() as uow:
        uow.accounts.add_workspace("Team", workspace_id="w1")
        uow.accounts.add_user("ann@example.com", "Ann", user_id="u1")
        uow.accounts.set_role("w1", "u1", "owner")
    _fill(database)
    database.dispose()
    runner = CliRunner()
    env = {"JOURNEYMAP_DATA": str(tmp_path / "data"), "COLUMNS": "200"}
    out = tmp_path / "b.db"
    done = runner.invoke(app, ["backup", "--db", str(source), str(out)], env=env)
    assert done.exit_code == 0, done.output
    assert "backed up" in done.stdout
    again = runner.invoke(app, ["backup", "--db", str(source), str(out)], env=env)
    assert again.exit_code == 1 and "--force" in again.stderr
    loaded = runner.invoke(app, ["restore", "--db", str(tmp_path / "new.db"), str(out)], env=env)
    assert loaded.exit_code == 0, loaded.output
    refused = runner.invoke(app, ["restore", "--db", str(source), str(out)], env=env)
    assert refused.exit_code == 1 and "not empty" in refused.stderr
