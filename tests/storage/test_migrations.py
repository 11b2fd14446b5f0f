"""Migrations run from an empty database, on both engines, also when several start at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from journeymap.storage import database_url, open_database
from journeymap.storage.database import create_db_engine, current_revision, upgrade
from journeymap.storage.models import Base

TABLES = {t.name for t in Base.metadata.sorted_tables}


def _head() -> str:
    from alembic.script import ScriptDirectory

    from journeymap.storage.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


HEAD = _head()  # the newest migration: every start must end there


def test_migrates_an_empty_database_to_the_models(db_url: str) -> None:
    engine = create_db_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == HEAD
    found = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert found == TABLES
    # The migration matches the models: autogenerate finds nothing to do.
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    upgrade(engine)  # a second start changes nothing
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_order_keys_compare_bytewise(db_url: str) -> None:
    db = open_database(db_url)
    with db.engine.connect() as c:
        c.execute(text("CREATE TABLE t (k VARCHAR(20))"))
        column = "k" if db.is_sqlite else 'k COLLATE "C"'
        c.execute(text("INSERT INTO t VALUES ('a0'), ('Zz'), ('a0V'), ('a1'), ('b'), ('B')"))
        got = [r[0] for r in c.execute(text(f"SELECT k FROM t ORDER BY {column}"))]
        c.rollback()
    assert got == sorted(["a0", "Zz", "a0V", "a1", "b", "B"])  # Python compares code points
    # and the entity table's own column is declared that way
    if not db.is_sqlite:
        with db.engine.connect() as c:
            collation = c.execute(
                text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'journey_entities' AND column_name = 'order_key'"
                )
            ).scalar()
        assert collation == "C"
    db.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "x.db")
    with db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_threads_with_their_own_engines_migrate_at_once(db_url: str) -> None:
    def start(_: int) -> str | None:
        db = open_database(db_url)
        try:
            return current_revision(db.engine)
        finally:
            db.dispose()

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(start, range(6))) == [HEAD] * 6


def test_processes_migrate_at_once(db_url: str) -> None:
    code = textwrap.dedent(
        """
        import sys
        from journeymap.storage import open_database
        from journeymap.storage.database import current_revision
        db = open_database(sys.argv[1])
        print(current_revision(db.engine))
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert [out.strip() for out, _ in results] == [HEAD] * 4


def test_database_url_forms() -> None:
    assert database_url("data/j.db").drivername == "sqlite+pysqlite"
    assert database_url("postgres://u:p@h/db").drivername == "postgresql+psycopg"
    assert database_url("postgresql://u@h:5/db").drivername == "postgresql+psycopg"
    assert database_url("sqlite:///x.db").database == "x.db"


def test_0003_indexes_the_journeys_stored_before_it(
    db_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A database at 0002 holding a journey (rows as a 0002 server wrote them): upgrading fills
    the library's search columns from the journey's rows, and workspaces get an updated_at."""
    from sqlalchemy import MetaData, Table

    from journeymap.services.journeys import create_journey
    from journeymap.services.templates import new_journey
    from journeymap.storage.repositories import LibraryQuery
    from tests.db_fixtures import pg_url

    scratch_url = (
        str(tmp_path / "scratch.db")
        if "://" not in db_url
        else pg_url(request.getfixturevalue("pg_server"))
    )
    scratch = open_database(scratch_url)  # today's code writes the rows...
    with scratch.write() as uow:
        uow.accounts.add_workspace("W", workspace_id="w")
    create_journey(scratch, "w", new_journey(template="car-purchase"), None, journey_id="j1")
    old = create_db_engine(db_url)
    upgrade(old, "0002")  # ...into a database at 0002, less the columns it did not have yet
    with scratch.engine.connect() as src, old.begin() as dst:
        for name in ("workspaces", "journeys", "journey_entities", "op_log"):
            table = Table(name, MetaData(), autoload_with=dst)
            rows = src.execute(Table(name, MetaData(), autoload_with=src).select()).mappings()
            dst.execute(table.insert(), [{c.name: r[c.name] for c in table.columns} for r in rows])
    old.dispose()
    scratch.dispose()
    db = open_database(db_url)  # migrates to head
    with db.read() as uow:
        rows, total = uow.journeys.search("w", LibraryQuery(("seven-seat",), persona="hannah"))
        workspace = uow.accounts.workspace("w")
    assert total == 1 and rows[0].id == "j1"
    assert workspace is not None and workspace.updated_at == workspace.created_at
    db.dispose()
    # Back down to 0002 keeps every row (no table is copied, so nothing cascades).
    engine = create_db_engine(db_url)
    from alembic import command

    from journeymap.storage.migrations import alembic_config

    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    with engine.connect() as c:
        counts = [
            c.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("workspaces", "journeys", "journey_entities", "op_log")
        ]
        columns = {col["name"] for col in inspect(c).get_columns("journeys")}
    assert counts[:2] == [1, 1] and counts[2] > 50 and counts[3] == 1
    assert "search_text" not in columns
    engine.dispose()


def test_0005_adds_invitations_and_takes_them_back(db_url: str) -> None:
    """A database at 0004 with a workspace and a member: upgrading adds the invitations table
    (an invitation then stored and read back), and going back down to 0004 drops it alone."""
    engine = create_db_engine(db_url)
    upgrade(engine, "0004")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO workspaces (id, name, created_at, updated_at) "
                "VALUES ('w', 'W', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
            )
        )
    engine.dispose()
    db = open_database(db_url)  # migrates to head
    with db.write() as uow:
        user = uow.accounts.add_user("eve@example.com", "Eve")
        uow.accounts.set_role("w", user.id, "viewer")
        uow.invitations.add("w", "Zed@Example.com", "editor", user.id)
    with db.read() as uow:
        ((invitation, workspace, inviter),) = uow.invitations.for_email("zed@example.com")
    assert (invitation.role, workspace.name, inviter and inviter.display_name) == (
        "editor",
        "W",
        "Eve",
    )
    db.dispose()
    from alembic import command

    from journeymap.storage.migrations import alembic_config

    engine = create_db_engine(db_url)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    assert current_revision(engine) == "0004"
    with engine.connect() as c:
        assert "invitations" not in inspect(c).get_table_names()
        counts = [
            c.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("workspaces", "users", "memberships")
        ]
    assert counts == [1, 1, 1]
    upgrade(engine)  # and up again
    assert current_revision(engine) == HEAD
    engine.dispose()
