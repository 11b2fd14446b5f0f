"""Database fixtures for storage and service tests: every test runs on SQLite and on a real
PostgreSQL server (tests/pg_server.py), each on a database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journeymap.storage import Database, open_database

from .pg_server import PgServer

ENGINES = ["sqlite", "postgresql"]


def pg_url(server: PgServer) -> str:
    db = server.create_database()
    return f"postgresql://{db.user}:{db.password}@{db.host}:{db.port}/{db.name}"


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "journeymap.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return pg_url(server)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A migrated database, with a workspace 'w1' and a user 'u1' (its owner)."""
    database = open_database(db_url)
    with database.write() as uow:
        uow.accounts.add_workspace("Team", workspace_id="w1")
        uow.accounts.add_user("ann@example.com", "Ann", user_id="u1")
        uow.accounts.set_role("w1", "u1", "owner")
    yield database
    database.dispose()
