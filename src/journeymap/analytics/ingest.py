"""Ingest once: read a source, check every row, and write a normalised local store.

The store is one Parquet file per source and mapping (keyed by their fingerprint), sorted by
customer and time, ties kept in source order: an integer customer key, UTC epoch milliseconds,
the event name (dictionary-encoded by Parquet), the channel, and the property columns typed
(numbers where every value is one). Analyses then rerun on it without reading the source again.
DuckDB does the work out of core, so a file larger than memory is fine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..domain.suggest import did_you_mean, one_of
from .source_spec import Condition, SourceSpec

STORE_VERSION = 1
MEMORY_LIMIT = "1GB"


class SourceError(ValueError):
    """The source cannot be read as the definition says; the message names the fix."""


@dataclass
class IngestReport:
    source: str
    rows_read: int
    rows_kept: int
    dropped: dict[str, int]  # reason -> rows
    first_event: str | None  # ISO 8601, UTC
    last_event: str | None
    customers: int
    events: dict[str, int]  # event name -> rows, most frequent first
    properties: dict[str, str] = field(default_factory=dict)  # column -> "number" or "text"
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


@dataclass
class IngestResult:
    store: Path  # the Parquet file
    report: IngestReport
    reused: bool  # True when an earlier ingest of the same source and mapping was found


def fingerprint(spec: SourceSpec, source: Path) -> str:
    """Changes when the source file or the mapping changes, so a stale store is never used."""
    stat = source.stat()
    key = {
        "spec": spec.model_dump(mode="json"),
        "path": str(source.resolve()),
        "size": stat.st_size,
        "mtime": stat.st_mtime_ns,
        "store": STORE_VERSION,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:20]


def ingest(
    spec: SourceSpec,
    base: Path,
    data_dir: Path,
    force: bool = False,
    progress: Callable[[int], None] | None = None,  # rows staged so far, for a `url:` source
) -> IngestResult:
    if spec.source.url is not None:  # a database: staged as Parquet, then ingested as a file
        from .remote_source import ingest_url

        return ingest_url(spec, base, data_dir, force, progress)
    source = spec.source.resolved(base)
    if not source.exists():
        raise SourceError(f"{source}: no such file (check source.path, relative to {base})")
    if source.is_file() and source.stat().st_size == 0:
        raise SourceError(f"{source}: the file is empty")
    folder = data_dir / "ingest" / fingerprint(spec, source)
    store, report_file = folder / "events.parquet", folder / "report.json"
    if store.exists() and report_file.exists() and not force:
        report = IngestReport(**json.loads(report_file.read_text()))
        return IngestResult(store, report, reused=True)
    folder.mkdir(parents=True, exist_ok=True)
    report = _run(spec, source, store)
    report_file.write_text(report.to_json())
    return IngestResult(store, report, reused=False)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reader(spec: SourceSpec, source: Path) -> str:
    kind, path = spec.source.kind(), _lit(str(source))
    if kind == "csv":
        return f"read_csv({path}, all_varchar = true, header = true)"
    if kind == "parquet":
        return f"read_parquet({path})"
    if kind == "jsonl":
        return f"read_json({path}, format = 'newline_delimited')"
    if not spec.source.table:
        raise SourceError("a DuckDB source needs `table:` naming the table to read")
    return f"src_db.{_q(spec.source.table)}"


def _condition(c: Condition) -> str:
    column = f"CAST({_q(c.column)} AS VARCHAR)"
    if c.equals is not None:
        return f"{column} = {_lit(c.equals)}"
    if c.starts_with is not None:
        return f"starts_with({column}, {_lit(c.starts_with)})"
    return f"{column} IN ({', '.join(_lit(v) for v in c.one_of or [])})"


def _event_expr(spec: SourceSpec) -> str:
    base = (
        f"NULLIF(TRIM(CAST({_q(spec.columns.event)} AS VARCHAR)), '')"
        if spec.columns.event
        else "NULL"
    )
    if not spec.derive:
        return base
    cases = " ".join(
        f"WHEN {_condition(d.when)} THEN {_lit(d.event)}" for d in spec.derive if d.when
    )
    fallback = next((d.event for d in spec.derive if d.when is None), None)
    otherwise = _lit(fallback) if fallback else base
    return f"(CASE {cases} ELSE {otherwise} END)" if cases else otherwise


def _timestamp_expr(spec: SourceSpec) -> str:
    column = f"CAST({_q(spec.columns.timestamp)} AS VARCHAR)"
    if spec.timestamp_format:
        return f"try_strptime({column}, {_lit(spec.timestamp_format)})::TIMESTAMPTZ"
    return f"TRY_CAST({column} AS TIMESTAMPTZ)"


def _run(spec: SourceSpec, source: Path, store: Path) -> IngestReport:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = {_lit(spec.timezone)}")  # for times written without offset
        # Out of core: past this much memory DuckDB spills to disk beside the store.
        con.execute(f"SET memory_limit = {_lit(MEMORY_LIMIT)}")
        con.execute(f"SET temp_directory = {_lit(str(store.parent / 'spill'))}")
        reader = _reader(spec, source)
        try:
            if spec.source.kind() == "duckdb":
                con.execute(f"ATTACH {_lit(str(source))} AS src_db (READ_ONLY)")
            con.execute(
                f"CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS _row, * FROM {reader}"
            )
        except duckdb.Error as error:
            raise SourceError(f"{source}: cannot be read ({str(error).splitlines()[0]})") from None
        present = [r[0] for r in con.execute("DESCRIBE raw").fetchall() if r[0] != "_row"]
        _check_columns(spec, present, source)
        return _normalise(con, spec, present, source, store)
    finally:
        con.close()


def _check_columns(spec: SourceSpec, present: list[str], source: Path) -> None:
    for column in spec.source_columns():
        if column not in present:
            hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
            raise SourceError(f"{source.name} has no column '{column}' ({hint})")


def _normalise(
    con: Any, spec: SourceSpec, present: list[str], source: Path, store: Path
) -> IngestReport:
    c = spec.columns
    channel = f"NULLIF(TRIM(CAST({_q(c.channel)} AS VARCHAR)), '')" if c.channel else "NULL"
    con.execute(f"""
        CREATE TEMP VIEW checked AS SELECT *,
            NULLIF(TRIM(CAST({_q(c.customer)} AS VARCHAR)), '') AS _customer,
            {_timestamp_expr(spec)} AS _ts,
            NULLIF(TRIM(CAST({_q(c.timestamp)} AS VARCHAR)), '') AS _ts_text,
            {_event_expr(spec)} AS _event,
            {channel} AS _channel
        FROM raw""")
    originals = ", ".join(_q(p) for p in present)
    con.execute(f"""
        CREATE TEMP TABLE reasons AS SELECT *,
            CASE
                WHEN _customer IS NULL THEN 'missing customer id'
                WHEN _ts_text IS NULL THEN 'missing timestamp'
                WHEN _ts IS NULL THEN 'unparsable timestamp'
                WHEN _event IS NULL THEN 'missing event'
                WHEN row_number() OVER (PARTITION BY {originals} ORDER BY _row) > 1
                    THEN 'exact duplicate'
            END AS _dropped
        FROM checked""")
    rows_read = con.execute("SELECT count(*) FROM reasons").fetchone()[0]
    dropped = dict(
        con.execute(
            "SELECT _dropped, count(*) FROM reasons WHERE _dropped IS NOT NULL "
            "GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    types = {p: _property_type(con, p) for p in c.properties}
    props = ", ".join(
        f"TRY_CAST({_q(p)} AS DOUBLE) AS {_q(p)}"
        if t == "number"
        else f"CAST({_q(p)} AS VARCHAR) AS {_q(p)}"
        for p, t in types.items()
    )
    con.execute(f"""
        COPY (
            SELECT
                dense_rank() OVER (ORDER BY _customer)::BIGINT AS customer_key,
                _customer AS customer,
                epoch_ms(_ts)::BIGINT AS ts,
                _event AS event,
                _channel AS channel,
                _row AS source_row{", " + props if props else ""}
            FROM reasons WHERE _dropped IS NULL
            ORDER BY customer_key, ts, source_row
        ) TO {_lit(str(store))} (FORMAT parquet, COMPRESSION zstd)""")
    kept = con.execute(f"""
        SELECT count(*), count(DISTINCT customer), min(ts), max(ts)
        FROM read_parquet({_lit(str(store))})""").fetchone()
    events = dict(
        con.execute(
            f"SELECT event, count(*) FROM read_parquet({_lit(str(store))}) "
            "GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
    )
    return IngestReport(
        source=str(source),
        rows_read=rows_read,
        rows_kept=kept[0],
        dropped=dropped,
        first_event=_iso(kept[2]),
        last_event=_iso(kept[3]),
        customers=kept[1],
        events=events,
        properties=types,
        warnings=_warnings(con, store),
    )


def _warnings(con: Any, store: Path) -> list[str]:
    """Rows kept but worth a look: times in the future usually mean a broken clock or format."""
    import time

    soon = int(time.time() * 1000) + 86_400_000
    future = con.execute(
        f"SELECT count(*) FROM read_parquet({_lit(str(store))}) WHERE ts > {soon}"
    ).fetchone()[0]
    return [f"{future:,} rows have timestamps in the future"] if future else []


def _property_type(con: Any, column: str) -> str:
    """'number' when every non-empty value reads as one, else 'text'. A value with a leading
    zero (`007`, a postcode, a SKU) keeps the column as text, so it is never changed."""
    text = f"TRIM(CAST({_q(column)} AS VARCHAR))"
    bad = con.execute(
        f"SELECT count(*) FROM raw WHERE NULLIF({text}, '') IS NOT NULL AND "
        f"(TRY_CAST({_q(column)} AS DOUBLE) IS NULL OR regexp_matches({text}, '^[+-]?0[0-9]'))"
    ).fetchone()[0]
    return "number" if bad == 0 else "text"


def _iso(epoch_ms: int | None) -> str | None:
    if epoch_ms is None:
        return None
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch_ms / 1000, tz=dt.UTC).isoformat().replace("+00:00", "Z")
