"""Backup and restore: a consistent snapshot of the whole workspace database, and loading one.

- SQLite: the database file copied with SQLite's online backup API, in one step, inside a read
  transaction: the copy is the database as of one moment even while the server writes (WAL
  readers never block writers). The copy is an ordinary SQLite file (one file, no WAL).
- PostgreSQL: a logical export of every table in ONE `REPEATABLE READ, READ ONLY` transaction
  (one snapshot for all tables), written as gzip-compressed JSON lines: a header line (format,
  version, engine, schema revision, tables and their columns), one line per row, and an end line
  with the row count (a cut-off file is refused).

Restore loads a snapshot into an EMPTY database (no rows in any table; a missing SQLite file is
empty) and refuses anything else, so nothing is ever merged or overwritten. It reads either
format into either engine: the schema is migrated to the snapshot's revision, the rows are
loaded in foreign-key order, and the schema is then brought up to date.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import URL, Connection, Engine, MetaData, Table, func, select, text
from sqlalchemy.types import DateTime

from .database import create_db_engine, current_revision, database_url, private_file, upgrade
from .migrations import alembic_config

FORMAT = "journeymap-backup"
VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
ALEMBIC_TABLE = "alembic_version"
_CHUNK = 1000


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    kind: str  # "sqlite" or "logical"
    revision: str | None
    rows: dict[str, int]  # table -> rows

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# ---------------------------------------------------------------- backup


def backup(target: str | Path | URL, out: Path) -> Summary:
    """Write a consistent snapshot of the database at `target` to `out` (written beside it,
    then renamed into place, so `out` is never a half-written file)."""
    url = database_url(target)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        private_file(partial)  # the whole database: its owner's eyes only
        if url.get_backend_name() == "sqlite":
            summary = _backup_sqlite(Path(str(url.database)), partial)
        else:
            summary = _backup_logical(url, partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _backup_sqlite(path: Path, out: Path) -> Summary:
    if not path.exists():
        raise BackupError(f"{path}: no such database file")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    copy = sqlite3.connect(out, isolation_level=None)
    try:
        source.execute("BEGIN")  # one read transaction: the snapshot of one moment
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        source.backup(copy, pages=-1)  # every page in one step, under that transaction
        source.execute("COMMIT")
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        source.close()
        copy.close()
    engine = create_db_engine(out)
    try:
        with engine.connect() as connection:
            return Summary("sqlite", _revision(connection), _counts(connection))
    finally:
        engine.dispose()


def _backup_logical(url: URL, out: Path) -> Summary:
    engine = create_db_engine(url)
    try:
        with (
            engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            ) as connection,
            connection.begin(),
            gzip.open(out, "wt", encoding="utf-8", compresslevel=6) as handle,
        ):
            return _write_logical(connection, handle, engine.dialect.name)
    finally:
        engine.dispose()


def _write_logical(connection: Connection, handle: IO[str], engine_name: str) -> Summary:
    tables = _tables(connection)
    revision = _revision(connection)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "engine": engine_name,
        "revision": revision,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": {t.name: [c.name for c in t.columns] for t in tables},
    }
    handle.write(json.dumps(header) + "\n")
    rows: dict[str, int] = {}
    for table in tables:
        count = 0
        query = select(table).order_by(*table.primary_key.columns)
        for row in connection.execute(query):
            handle.write(json.dumps({"t": table.name, "r": [_plain(v) for v in row]}) + "\n")
            count += 1
        rows[table.name] = count
    handle.write(json.dumps({"end": True, "rows": sum(rows.values())}) + "\n")
    return Summary("logical", revision, rows)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()  # UTC, written without an offset
    return value


# ---------------------------------------------------------------- restore


def restore(source: Path, target: str | Path | URL) -> Summary:
    """Load the snapshot `source` into the EMPTY database `target`; BackupError otherwise."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with source.open("rb") as handle:
        magic = handle.read(16)
    if magic.startswith(SQLITE_MAGIC):
        header, rows = _sqlite_snapshot(source)
        kind = "sqlite"
    elif magic.startswith(GZIP_MAGIC):
        header, rows = _logical_snapshot(source)
        kind = "logical"
    else:
        raise BackupError(
            f"{source} is not a journeymap backup (neither a SQLite file nor a "
            "gzip-compressed journeymap export); make one with `journeymap backup`"
        )
    revision = header.get("revision")
    if revision is None:
        raise BackupError(f"{source} holds no journeymap schema (no alembic_version)")
    script = _scripts()
    if revision not in {r.revision for r in script.walk_revisions()}:
        raise BackupError(
            f"{source} was made by a newer journeymap (schema {revision}; this one knows up "
            f"to {script.get_current_head()}): upgrade journeymap, then restore"
        )
    engine = create_db_engine(target)
    try:
        _check_empty(engine, target)
        upgrade(engine, revision)
        with engine.begin() as connection:
            counts = _load(connection, header["tables"], rows)
        upgrade(engine, "head")
    finally:
        engine.dispose()
    return Summary(kind, revision, counts)


def _scripts() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(None))


def _check_empty(engine: Engine, target: str | Path | URL) -> None:
    with engine.connect() as connection:
        counts = _counts(connection)
    filled = {name: n for name, n in counts.items() if n}
    if filled:
        listed = ", ".join(f"{name} ({n})" for name, n in sorted(filled.items())[:4])
        where = database_url(target).render_as_string(hide_password=True)
        raise BackupError(
            f"the database {where} is not empty: {listed}. Restore only into an empty "
            "database (a new SQLite file, or a freshly created PostgreSQL database), so that "
            "nothing in it is overwritten"
        )


def _sqlite_snapshot(path: Path) -> tuple[dict[str, Any], Iterator[tuple[str, list[Any]]]]:
    engine = create_db_engine(path)
    with engine.connect() as connection:
        ok = connection.exec_driver_sql("PRAGMA quick_check").scalar()
        if ok != "ok":
            engine.dispose()
            raise BackupError(f"{path} is damaged (SQLite quick_check: {ok})")
        tables = _tables(connection)
        header = {
            "revision": _revision(connection),
            "tables": {t.name: [c.name for c in t.columns] for t in tables},
        }

    def rows() -> Iterator[tuple[str, list[Any]]]:
        try:
            with engine.connect() as connection, connection.begin():
                for table in tables:
                    query = select(table).order_by(*table.primary_key.columns)
                    for row in connection.execute(query):
                        yield table.name, [_plain(v) for v in row]
        finally:
            engine.dispose()

    return header, rows()


def _logical_snapshot(path: Path) -> tuple[dict[str, Any], Iterator[tuple[str, list[Any]]]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = json.loads(handle.readline())
    except (OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a readable journeymap backup ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a journeymap backup (no {FORMAT} header)")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{path} is a backup of format version {header.get('version')}; this journeymap "
            f"reads version {VERSION}"
        )

    def rows() -> Iterator[tuple[str, list[Any]]]:
        count = 0
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            handle.readline()
            for line in handle:
                item = json.loads(line)
                if item.get("end"):
                    if item.get("rows") != count:
                        raise BackupError(f"{path}: {count} rows, its end line says {item}")
                    return
                count += 1
                yield item["t"], item["r"]
        raise BackupError(f"{path} is cut short (no end line): make the backup again")

    return header, rows()


def _load(
    connection: Connection,
    columns: dict[str, list[str]],
    rows: Iterator[tuple[str, list[Any]]],
) -> dict[str, int]:
    """Insert the rows (tables come in foreign-key order) in chunks; fix sequences after."""
    tables = {t.name: t for t in _tables(connection)}
    missing = [name for name in columns if name not in tables]
    if missing:
        raise BackupError(f"the backup has tables this schema lacks: {', '.join(missing)}")
    counts = dict.fromkeys(columns, 0)
    pending: list[dict[str, Any]] = []
    current: Table | None = None
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")

    def flush() -> None:
        if current is not None and pending:
            connection.execute(current.insert(), pending)
            pending.clear()

    for name, values in rows:
        if current is None or current.name != name:
            flush()
            current = tables[name]
        row = dict(zip(columns[name], values, strict=True))
        for key, value in row.items():
            if value is not None and isinstance(current.c[key].type, DateTime):
                moment = dt.datetime.fromisoformat(value)
                moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
                row[key] = moment.replace(tzinfo=None) if sqlite else moment
        pending.append(row)
        counts[name] += 1
        if len(pending) >= _CHUNK:
            flush()
    flush()
    if connection.dialect.name == "postgresql":
        for table in tables.values():
            for column in table.primary_key.columns:
                if column.autoincrement is True or (
                    column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                ):
                    _reset_sequence(connection, table.name, column.name)
    return counts


def _reset_sequence(connection: Connection, table: str, column: str) -> None:
    sequence = connection.execute(
        text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table, "c": column}
    ).scalar()
    if sequence:
        connection.execute(
            text(f'SELECT setval(:s, COALESCE(max("{column}"), 0) + 1, false) FROM "{table}"'),
            {"s": sequence},
        )


# ---------------------------------------------------------------- shared


def _tables(connection: Connection) -> list[Table]:
    """Every table but Alembic's, parents before children."""
    meta = MetaData()
    meta.reflect(connection)
    return [t for t in meta.sorted_tables if t.name != ALEMBIC_TABLE]


def _revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _counts(connection: Connection) -> dict[str, int]:
    return {
        t.name: int(connection.execute(select(func.count()).select_from(t)).scalar() or 0)
        for t in _tables(connection)
    }


__all__ = ["BackupError", "Summary", "backup", "current_revision", "restore"]
