"""Sources at an Ibis connection URL (PostgreSQL and the rest Ibis reaches).

A database table is streamed once, its mapped columns only, into a staging Parquet file in the
data folder (batch by batch, so memory stays bounded), and the usual ingest runs on that file;
the staging file goes once the store is made. The store is keyed by the redacted url, the table,
the mapping and a cheap change marker asked of the database (row count and latest timestamp), so
a changed table is read again and an unchanged one is not. Spark sources are not copied: see
spark_source.py (`open_spark_source`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..domain.suggest import did_you_mean, one_of
from .credentials import Resolved, credentials_path, resolve
from .errors import SourceError
from .ingest import IngestReport, IngestResult, ingest
from .source_spec import Source, SourceSpec
from .spark_source import open_spark_source  # noqa: F401  (one place to find both)
from .store import STORE_VERSION

BATCH_ROWS = 100_000
POSTGRES_SCHEMES = ("postgres", "postgresql")
# The ways a PostgreSQL server may ask us to log in: SCRAM (the password is never sent, and
# cannot be replayed), Kerberos, or no password at all. A server asking for the password in
# clear text (or as MD5) is refused by libpq before the password leaves this machine.
POSTGRES_AUTH = "scram-sha-256,gss,sspi,none"
Progress = Callable[[int], None]  # rows staged so far; the caller shows it


def connect(source: Source, project: Path) -> tuple[Any, Resolved]:
    """An Ibis connection to `source.url`, or a SourceError naming the field and the fix."""
    import ibis

    target = resolve(source, project)
    extra: dict[str, str] = {"password": target.password} if target.password else {}
    if source.scheme() in POSTGRES_SCHEMES:
        extra["require_auth"] = POSTGRES_AUTH
    try:
        return ibis.connect(target.url, **extra), target
    except ImportError as error:
        raise SourceError(
            f"source.url: {target.label} needs a driver that is not installed "
            f"({target.scrub(str(error))}); install journeymap[analytics] or the Ibis extra "
            f"for {source.scheme()}"
        ) from None
    except ValueError as error:
        if "Don't know how to connect" in str(error):
            raise SourceError(
                f"source.url: Ibis has no backend for '{source.scheme()}://' "
                "(use e.g. postgres://, mysql://, snowflake:// or pyspark://)"
            ) from None
        raise SourceError(f"source.url: {target.scrub(_first_line(error))}") from None
    except Exception as error:  # each driver raises its own errors; all mean "cannot connect"
        raise SourceError(_connect_problem(source, target, error)) from None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _connect_problem(source: Source, target: Resolved, error: Exception) -> str:
    text = target.scrub(str(error))
    if "server requested" in text:  # libpq refused the login method (require_auth)
        how = (
            "in clear text"
            if "cleartext" in text
            else "hashed with MD5"
            if "md5" in text.lower()
            else "in a way other than SCRAM"
        )
        return (
            f"source.url: {target.label} asked for the password {how}, which journeymap "
            "never sends: have the server's pg_hba.conf use scram-sha-256 for this user "
            "(and set password_encryption = scram-sha-256)"
        )
    if "password authentication failed" in text or "no password supplied" in text:
        where = target.origin or (
            f"nowhere: set ${{NAME}} in source.url, or add the host to {credentials_path()}"
        )
        return (
            f"source.url: {target.label} refused the login (the password came from {where}); "
            "check the user in source.url and the password"
        )
    detail = _first_line(Exception(text)).removeprefix("connection failed: ")
    return (
        f"source.url: cannot connect to {target.label} ({detail}); check the host, port "
        "and database in source.url, and that the server is running"
    )


def open_table(source: Source, project: Path) -> tuple[Any, Any, Resolved]:
    """(connection, the source's table, resolved url)."""
    con, target = connect(source, project)
    name = source.table or ""
    schema, _, table = name.rpartition(".")
    try:
        return con, con.table(table, database=schema or None), target
    except Exception as error:  # TableNotFound, or the driver's own error
        try:
            tables = con.list_tables(database=schema or None)
        except Exception:
            tables = []
        tables = [f"{schema}.{t}" if schema else t for t in tables]
        hint = did_you_mean(name, tables, f"its tables are: {one_of(tables, 20)}")
        if not tables:
            hint = f"it lists no tables there ({target.scrub(_first_line(error))})"
        raise SourceError(f"source.table: {target.label} has no table '{name}' ({hint})") from None


def field_of(spec: SourceSpec, column: str) -> str:
    """The field of the source file that names `column`, to say what to fix."""
    c = spec.columns
    for field in ("customer", "timestamp", "event", "channel"):
        if getattr(c, field) == column:
            return f"columns.{field}"
    if column in c.properties:
        return "columns.properties"
    for i, d in enumerate(spec.derive):
        if d.when is not None and d.when.column == column:
            return f"derive[{i}].when.column"
    return "columns"


def check_columns(spec: SourceSpec, present: list[str], where: str) -> None:
    for column in spec.source_columns():
        if column not in present:
            hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
            raise SourceError(
                f"{field_of(spec, column)}: {where} has no column '{column}' ({hint}); "
                "fix the name in the source file"
            )


def _selection(spec: SourceSpec, table: Any) -> Any:
    """The mapped columns, with types Parquet cannot hold (JSON, arrays, UUIDs...) as text."""
    columns = []
    for name in spec.source_columns():
        column = table[name]
        kind = column.type()
        plain = kind.is_numeric() or kind.is_string() or kind.is_temporal() or kind.is_boolean()
        columns.append(column if plain else column.cast("string").name(name))
    return table.select(*columns)


def _marker(spec: SourceSpec, table: Any, target: Resolved) -> dict[str, str]:
    """What changes when the table does, at the cost of one aggregate query."""
    ts = table[spec.columns.timestamp]
    try:
        row = table.aggregate(rows=table.count(), last=ts.max()).to_pyarrow().to_pylist()[0]
    except Exception as error:
        raise SourceError(
            f"source.table: cannot read {spec.source.table} at {target.label} "
            f"({target.scrub(_first_line(error))})"
        ) from None
    return {k: str(v) for k, v in row.items()}


def stage(con: Any, expr: Any, target: Path, progress: Progress | None = None) -> int:
    """Stream `expr` into the Parquet file `target`, batch by batch; the number of rows."""
    import pyarrow.parquet as pq

    partial = target.with_suffix(".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    reader = con.to_pyarrow_batches(expr, chunk_size=BATCH_ROWS)
    with pq.ParquetWriter(partial, reader.schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
            if progress is not None:
                progress(rows)
    partial.replace(target)  # never leave a half-written file where a whole one is expected
    return rows


def ingest_url(
    spec: SourceSpec,
    base: Path,
    data_dir: Path,
    force: bool = False,
    progress: Progress | None = None,
) -> IngestResult:
    """Ingest a database table: stage it as Parquet, then ingest that file as usual."""
    if spec.source.is_spark():
        raise SourceError(
            "source.url: a Spark source stays in Spark and is not copied into a local store; "
            "run `journeymap analyze` on it, or open_spark_source() from Python"
        )
    con, table, target = open_table(spec.source, base)
    try:
        check_columns(spec, list(table.columns), f"{spec.source.table} at {target.label}")
        key = {
            "url": target.label,
            "spec": spec.model_dump(mode="json"),
            "marker": _marker(spec, table, target),
            "store": STORE_VERSION,
        }
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]
        record = data_dir / "remote" / f"{digest}.json"
        if record.exists() and not force:
            done = json.loads(record.read_text())
            if Path(done["store"]).exists():
                return IngestResult(Path(done["store"]), IngestReport(**done["report"]), True)
        staged = data_dir / "remote" / f"{digest}.parquet"
        try:
            stage(con, _selection(spec, table), staged, progress)
        except Exception as error:
            raise SourceError(
                f"source.table: reading {spec.source.table} at {target.label} failed "
                f"({target.scrub(_first_line(error))})"
            ) from None
    finally:
        con.disconnect()
    as_file = spec.model_copy(update={"source": Source(path=str(staged), format="parquet")})
    try:
        result = ingest(as_file, base, data_dir, force=True)
    finally:
        staged.unlink(missing_ok=True)
    report = replace(result.report, source=f"{spec.source.table} at {target.label}")
    record.write_text(json.dumps({"store": str(result.store), "report": asdict(report)}))
    return replace(result, report=report)
