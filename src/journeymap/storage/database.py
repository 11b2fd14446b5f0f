"""Opening the database: SQLite by default (a file), PostgreSQL by URL; migrations on start.

    db = open_database("journeys.db")                       # SQLite file, WAL mode
    db = open_database("postgresql://user:pw@host/name")   # PostgreSQL (psycopg 3)
    with db.write() as uow:      # one transaction holding the write lock; commits on exit
        uow.journeys.lock(journey_id) ...

SQLite connections get `PRAGMA journal_mode=WAL`, `foreign_keys=ON` and a busy timeout; write
transactions start with `BEGIN IMMEDIATE` (the database's write lock, taken up front, so two
writers queue instead of failing on upgrade), reads with a plain `BEGIN`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session

from .migrations import alembic_config
from .repositories import UnitOfWork

_BEGIN_OPTION = "journeymap_sqlite_begin"
_BUSY_TIMEOUT_S = 30.0
# pg_advisory_xact_lock key for migrations: any fixed 64-bit number ("jmap" in ASCII).
MIGRATION_LOCK_KEY = 0x6A6D6170


def database_url(target: str | Path | URL) -> URL:
    """A SQLAlchemy URL from a file path (SQLite) or a database URL. `postgres://` and
    `postgresql://` use psycopg 3; `sqlite:///path` is taken as it is."""
    if isinstance(target, URL):
        url = target
    elif isinstance(target, Path) or "://" not in target:
        return URL.create("sqlite+pysqlite", database=str(Path(target).expanduser()))
    else:
        url = make_url(target.replace("postgres://", "postgresql://", 1))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        raise ValueError("SQLite needs a file (an in-memory database is one per connection)")
    return url


class Database:
    """An engine and the way to open units of work on it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._writer = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        # A read sees one snapshot: under PostgreSQL's READ COMMITTED each statement sees its
        # own, so a journey's row and its entities could come from two revisions. SQLite's
        # read transaction is one snapshot already (WAL).
        self._reader = (
            engine.execution_options(isolation_level="REPEATABLE READ")
            if self.dialect == "postgresql"
            else engine
        )

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextlib.contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """A write transaction: committed when the block ends normally, rolled back if it
        raises. On SQLite it holds the write lock from the start (`BEGIN IMMEDIATE`)."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield UnitOfWork(session, self.dialect)

    @contextlib.contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read transaction, one snapshot on both engines; never commits (closing the session
        rolls it back, and leaves the rows it loaded readable)."""
        with Session(self._reader, expire_on_commit=False) as session:
            yield UnitOfWork(session, self.dialect)

    @contextlib.contextmanager
    def held(self, name: str) -> Iterator[bool]:
        """Whether this process now holds the lock called `name` on this database, until the
        block ends; a second holder is told at once (False), never kept waiting. PostgreSQL:
        an advisory lock on a connection kept for the block; SQLite: a lock on a file beside
        the database. Either goes with the process, should it die."""
        if self.is_sqlite:
            with _file_lock(Path(f"{self.engine.url.database}.{name}.lock")) as mine:
                yield mine
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with self.engine.connect() as connection:
            mine = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            )
            connection.commit()
            try:
                yield mine
            finally:
                if mine:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    connection.commit()

    def dispose(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_db_engine(target: str | Path | URL, **kwargs: Any) -> Engine:
    """An engine with journeymap's connection settings (no migrations run)."""
    url = database_url(target)
    if url.get_backend_name() == "sqlite":
        private_file(Path(str(url.database)).expanduser())
        engine = create_engine(
            url, connect_args={"timeout": _BUSY_TIMEOUT_S, "isolation_level": None}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def private_file(path: Path) -> None:
    """Make `path` empty and readable by its owner only, unless it exists: SQLite then writes
    into it, and gives its -wal and -shm files the same mode. (SQLite alone would make them
    as the umask says, usually readable by everyone.)"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # isolation_level=None: pysqlite leaves transactions to us (the `begin` event below).
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe in WAL mode: no corruption on crash
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def open_database(target: str | Path | URL, *, migrate: bool = True, **kwargs: Any) -> Database:
    """Connect, and bring the schema up to date under a database lock, so that several
    processes may start at once (one migrates, the others wait, then find nothing to do)."""
    engine = create_db_engine(target, **kwargs)
    if migrate:
        upgrade(engine)
    return Database(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision`, holding the database's lock throughout:
    PostgreSQL's `pg_advisory_xact_lock`, SQLite's write lock (`BEGIN IMMEDIATE`). The
    migrations run in that same transaction, so a crash leaves the schema as it was."""
    from alembic import command

    locked = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    with locked.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        config = alembic_config(connection)
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The schema's Alembic revision, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
