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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.suggest import did_you_mean, one_of
from .errors import SourceError
from .ingest_report import (
    EXAMPLES,
    IngestReport,
    epoch_format,
    example,
    fix_for,
    iso,
    trimmed_warning,
)
from .source_spec import EPOCH_FORMATS, Condition, SourceSpec
from .store import SORT_KEY, STORE_VERSION, as_numpy, dictionary_path, sorted_metadata

MEMORY_LIMIT = "1GB"
ROW_GROUP_ROWS = 122_880  # DuckDB's own default; tests make it small to get many groups
THREADS: int | None = None  # DuckDB's threads (default: one a core); tests try several
__all__ = ["STORE_VERSION", "IngestReport", "SourceError"]  # where callers have found them


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
    key = fingerprint(spec, source)
    if spec.customers is not None:  # a changed customer table makes a new store too
        from . import customers

        key = customers.fingerprint(key, spec.customers, base)
    folder = data_dir / "ingest" / key
    store, report_file = folder / "events.parquet", folder / "report.json"
    if store.exists() and report_file.exists() and not force:
        report = IngestReport(**json.loads(report_file.read_text()))
        return IngestResult(store, report, reused=True)
    folder.mkdir(parents=True, exist_ok=True)
    report = _run(spec, source, store)
    if spec.customers is not None:  # before the report, so a failure leaves no reusable store
        customers.ingest_customers(spec.customers, base, store)
    report_file.write_text(report.to_json())
    return IngestResult(store, report, reused=False)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _run(spec: SourceSpec, source: Path, store: Path) -> IngestReport:
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = {_lit(spec.timezone)}")  # for times written without offset
        # Out of core: past this much memory DuckDB spills to disk beside the store.
        con.execute(f"SET memory_limit = {_lit(MEMORY_LIMIT)}")
        con.execute(f"SET temp_directory = {_lit(str(store.parent / 'spill'))}")
        if THREADS is not None:
            con.execute(f"SET threads = {int(THREADS)}")
        reader, row = _reader(spec, source)
        try:
            if spec.source.kind() == "duckdb":
                con.execute(f"ATTACH {_lit(str(source))} AS src_db (READ_ONLY)")
            described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        except duckdb.Error as error:
            raise SourceError(f"{source}: cannot be read ({str(error).splitlines()[0]})") from None
        # CSV cells carry stray spaces and are trimmed; typed sources keep their text as it
        # is, which saves trimming every string twice (`_text` trims only "VARCHAR").
        text = "VARCHAR" if spec.source.kind() == "csv" else "TEXT"
        types = {r[0]: text if str(r[1]) == "VARCHAR" else str(r[1]) for r in described}
        present = [n for n in types if n != "file_row_number" or row != "file_row_number"]
        _check_columns(spec, present, source)
        _check_epoch(con, spec, reader, types, source)
        try:
            return _normalise(con, spec, reader, row, types, source, store)
        except duckdb.Error as error:
            raise SourceError(f"{source}: cannot be read ({str(error).splitlines()[0]})") from None
    finally:
        con.close()


def _check_columns(spec: SourceSpec, present: list[str], source: Path) -> None:
    for column in spec.source_columns():
        if column not in present:
            hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
            raise SourceError(f"{source.name} has no column '{column}' ({hint})")


def _check_epoch(
    con: Any, spec: SourceSpec, reader: str, types: dict[str, str], source: Path
) -> None:
    """A timestamp column of numbers needs to be told they are epoch seconds or milliseconds
    (DuckDB cannot cast a number to a time): say so, naming the format its values suggest."""
    column = spec.columns.timestamp
    numeric = types[column].startswith((*_NUMERIC, *_UNSIGNED))
    if not numeric or spec.timestamp_format in EPOCH_FORMATS:
        return
    sample = con.execute(
        f"SELECT CAST({_q(column)} AS VARCHAR) FROM {reader} WHERE {_q(column)} IS NOT NULL LIMIT 3"
    ).fetchall()
    values = [r[0] for r in sample]
    guess = epoch_format(values) or "epoch_s"
    raise SourceError(
        f"{source.name}: columns.timestamp '{column}' holds numbers ({', '.join(values)}); "
        f"if they count {'seconds' if guess == 'epoch_s' else 'milliseconds'} since 1970, add "
        f"`timestamp_format: {guess}` to the source definition"
    )


def _reader(spec: SourceSpec, source: Path) -> tuple[str, str]:
    """The source as a relation, and the expression numbering its rows in source order: a
    Parquet file numbers them itself, other readers keep their order (insertion order)."""
    kind, path = spec.source.kind(), _lit(str(source))
    if kind == "csv":
        return f"read_csv({path}, all_varchar = true, header = true)", "row_number() OVER ()"
    if kind == "parquet" and source.is_file():
        return f"read_parquet({path}, file_row_number = true)", "file_row_number"
    if kind == "parquet":
        return f"read_parquet({path})", "row_number() OVER ()"
    if kind == "jsonl":
        return f"read_json({path}, format = 'newline_delimited')", "row_number() OVER ()"
    if not spec.source.table:
        raise SourceError("a DuckDB source needs `table:` naming the table to read")
    return f"src_db.{_q(spec.source.table)}", "row_number() OVER ()"


def _condition(c: Condition) -> str:
    column = f"CAST({_q(c.column)} AS VARCHAR)"
    if c.equals is not None:
        return f"{column} = {_lit(c.equals)}"
    if c.starts_with is not None:
        return f"starts_with({column}, {_lit(c.starts_with)})"
    return f"{column} IN ({', '.join(_lit(v) for v in c.one_of or [])})"


def _customer_expr(column: str) -> tuple[str, str]:
    """(the customer id as trimmed text or NULL, whether trimming changed it): ids are matched
    as trimmed text everywhere (the customer table too), whatever the source's type."""
    raw = f"CAST({_q(column)} AS VARCHAR)"
    return f"NULLIF(TRIM({raw}), '')", f"(length(TRIM({raw})) < length({raw}))"


def _text(column: str, kind: str) -> str:
    """A column as text with blanks as NULL; text is trimmed (CSV cells carry spaces)."""
    if kind == "VARCHAR":
        return f"NULLIF(TRIM({_q(column)}), '')"
    if kind == "TEXT":
        return f"NULLIF({_q(column)}, '')"
    return f"CAST({_q(column)} AS VARCHAR)"


def _event_expr(spec: SourceSpec, types: dict[str, str]) -> str:
    base = _text(spec.columns.event, types[spec.columns.event]) if spec.columns.event else "NULL"
    if not spec.derive:
        return base
    cases = " ".join(
        f"WHEN {_condition(d.when)} THEN {_lit(d.event)}" for d in spec.derive if d.when
    )
    fallback = next((d.event for d in spec.derive if d.when is None), None)
    otherwise = _lit(fallback) if fallback else base
    return f"(CASE {cases} ELSE {otherwise} END)" if cases else otherwise


def _timestamp_expr(spec: SourceSpec, kind: str) -> tuple[str, str]:
    """(the time as TIMESTAMPTZ or NULL, whether the cell was empty). A typed timestamp column
    is used as it is (a naive one read in the source's time zone); text is parsed; epoch
    numbers are UTC whatever the time zone (rounded to the millisecond)."""
    column = _q(spec.columns.timestamp)
    if kind.startswith(("TIMESTAMP", "DATE")) and not spec.timestamp_format:
        return f"CAST({column} AS TIMESTAMPTZ)", f"{column} IS NULL"
    text = _text(spec.columns.timestamp, kind)
    if spec.timestamp_format in EPOCH_FORMATS:
        scale = EPOCH_FORMATS[spec.timestamp_format]
        ms = f"CAST(round(TRY_CAST({text} AS DOUBLE) * {scale}) AS BIGINT)"
        return f"timezone('UTC', epoch_ms({ms}))", f"{text} IS NULL"
    if spec.timestamp_format:
        parsed = f"try_strptime({text}, {_lit(spec.timestamp_format)})::TIMESTAMPTZ"
        return parsed, f"{text} IS NULL"
    return f"TRY_CAST({text} AS TIMESTAMPTZ)", f"{text} IS NULL"


_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
_UNSIGNED = ("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT")


def _normalise(
    con: Any,
    spec: SourceSpec,
    reader: str,
    row: str,
    types: dict[str, str],
    source: Path,
    store: Path,
) -> IngestReport:
    """Two passes over the source: a tally (rows, drop reasons, and the distinct values that
    become the dictionaries), then the sorted write, with text already turned into integer
    codes: sorting and writing integers is what makes ingest fast (about three times faster
    than carrying the strings). Exact duplicates are found afterwards among the few rows that
    share a customer and a time, which the sorted store puts side by side."""
    c = spec.columns
    ts, ts_missing = _timestamp_expr(spec, types[c.timestamp])
    channel = _text(c.channel, types[c.channel]) if c.channel else "NULL::VARCHAR"
    typed = [p for p in c.properties if types[p].startswith((*_NUMERIC, *_UNSIGNED))]
    text_props = [p for p in c.properties if p not in typed]
    props = [f"TRY_CAST({_q(p)} AS DOUBLE) AS {_q('p_' + p)}" for p in typed]
    props += [f"{_text(p, types[p])} AS {_q('p_' + p)}" for p in text_props]
    customer, trimmed = _customer_expr(c.customer)
    con.execute(f"""
        CREATE TEMP VIEW checked AS SELECT *,
            CASE
                WHEN _customer IS NULL THEN 'missing customer id'
                WHEN _ts_missing THEN 'missing timestamp'
                WHEN _ts IS NULL THEN 'unparsable timestamp'
                WHEN _event IS NULL THEN 'missing event'
            END AS _reason
        FROM (SELECT *,
            {row} AS _row,
            {customer} AS _customer,
            {trimmed} AS _trimmed,
            {ts} AS _ts,
            {ts_missing} AS _ts_missing,
            {_event_expr(spec, types)} AS _event,
            {channel} AS _channel
            {"".join(", " + p for p in props)}
        FROM {reader})""")
    coded = ["_customer", "_event", "_channel", *(_q("p_" + p) for p in text_props)]
    con.execute(f"""
        CREATE TEMP TABLE tally AS
        SELECT _reason, {", ".join(coded)}, count(*) AS n, count_if(_trimmed) AS trimmed,
               grouping({", ".join(coded)}) AS _set
        FROM checked
        GROUP BY GROUPING SETS ((_reason), {", ".join(f"(_reason, {col})" for col in coded)})""")
    everything = (1 << len(coded)) - 1  # grouping(): a bit set for each column left out

    def only(index: int) -> int:
        return everything & ~(1 << (len(coded) - 1 - index))

    rows_read, trimmed_ids = con.execute(
        f"SELECT coalesce(sum(n), 0), coalesce(sum(trimmed), 0) FROM tally "
        f"WHERE _set = {everything}"
    ).fetchone()
    dropped = dict(
        con.execute(
            f"SELECT _reason, n FROM tally WHERE _set = {everything} "
            "AND _reason IS NOT NULL ORDER BY n DESC, _reason"
        ).fetchall()
    )
    # A text property is a number when every distinct value is one, and none has a leading
    # zero (`007`, a postcode, a SKU stay text, so they are never changed).
    kinds = dict.fromkeys(typed, "number")
    for i, p in enumerate(text_props, start=3):
        bad = con.execute(f"""
            SELECT count(*) FROM tally WHERE _set = {only(i)} AND {coded[i]} IS NOT NULL
            AND (TRY_CAST({coded[i]} AS DOUBLE) IS NULL
                 OR regexp_matches({coded[i]}, '^[+-]?0[0-9]'))""").fetchone()[0]
        kinds[p] = "text" if bad else "number"
    kinds = {p: kinds[p] for p in c.properties}
    words = [(0, "customer"), (1, "event"), (2, "channel")]
    words += [(i, p) for i, p in enumerate(text_props, start=3) if kinds[p] == "text"]
    for i, _ in words:
        col = coded[i]
        order = "value" if i == 0 else "n DESC, value"  # customer keys follow the ids
        start = 1 if i == 0 else 0  # and count from 1
        con.execute(f"""
            CREATE TEMP TABLE d{i} AS SELECT value,
                (row_number() OVER (ORDER BY {order}) - 1 + {start})::INTEGER AS code
            FROM (SELECT {col} AS value, n FROM tally
                  WHERE _set = {only(i)} AND _reason IS NULL AND {col} IS NOT NULL)""")
    joins = " ".join(f"LEFT JOIN d{i} ON d{i}.value = checked.{coded[i]}" for i, _ in words)
    fields = ["d0.code AS customer_key", "epoch_ms(checked._ts)::BIGINT AS ts"]
    fields += ["d1.code AS event", "d2.code AS channel", "checked._row::BIGINT AS source_row"]
    for p in c.properties:
        if p not in text_props:  # typed numbers, already doubles
            fields.append(f"checked.{_q('p_' + p)} AS {_q(p)}")
            continue
        at = 3 + text_props.index(p)
        if kinds[p] == "text":
            fields.append(f"d{at}.code AS {_q(p)}")
        else:  # text that reads as numbers throughout
            fields.append(f"TRY_CAST(checked.{coded[at]} AS DOUBLE) AS {_q(p)}")
    # Parquet v2 (delta-encoded integers) with snappy: at 10M rows it wrote in 0.8 of zstd's
    # time for a store a tenth larger, and reads back faster too.
    # The footer records the order, which the NumPy plan checks before it relies on it.
    write = (
        f"(FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION v2, "
        f"ROW_GROUP_SIZE {int(ROW_GROUP_ROWS)}, {sorted_metadata()})"
    )
    con.execute(f"""
        COPY (SELECT {", ".join(fields)} FROM checked {joins} WHERE _reason IS NULL
              ORDER BY {", ".join(SORT_KEY)})
        TO {_lit(str(store))} {write}""")
    from_zero = row == "file_row_number"
    examples = _examples(con, spec, from_zero) if dropped else {}
    originals = [n for n in types if n != row]
    duplicates, repeats = _drop_duplicates(con, store, originals, write, from_zero)
    if duplicates:
        dropped["exact duplicate"] = duplicates
        dropped = dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0])))
        examples["exact duplicate"] = repeats
    dictionary = " UNION ALL ".join(
        f'SELECT {_lit(name)} AS "column", code, value FROM d{i}' for i, name in words
    )
    con.execute(
        f'COPY ({dictionary} ORDER BY "column", code) TO {_lit(str(dictionary_path(store)))} '
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    kept, first, last = con.execute(
        f"SELECT count(*), min(ts), max(ts) FROM read_parquet({_lit(str(store))})"
    ).fetchone()
    events = dict(
        con.execute(f"""
            SELECT d1.value, count(*) FROM read_parquet({_lit(str(store))}) e
            JOIN d1 ON d1.code = e.event GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
    )
    customers = con.execute("SELECT count(*) FROM d0").fetchone()[0]
    warnings = _warnings(con, store, last)
    if trimmed_ids:
        warnings.append(trimmed_warning(trimmed_ids, c.customer))
    return IngestReport(
        source=str(source),
        rows_read=rows_read,
        rows_kept=kept,
        dropped=dropped,
        first_event=iso(first),
        last_event=iso(last),
        customers=customers,
        events=events,
        properties=kinds,
        warnings=warnings,
        examples=examples,
        fixes={reason: fix_for(reason, spec, examples.get(reason, [])) for reason in dropped},
    )


def _tied_rows(store: Path) -> Any:
    """Source rows of the store's runs of equal (customer, time), read a row group at a time
    (memory stays small however big the store), minding the runs that cross from one group
    into the next."""
    import numpy as np
    import pyarrow.parquet as pq

    groups = pq.ParquetFile(store)
    found = []
    last = None  # (customer, time, source row) ending the group before
    for index in range(groups.num_row_groups):
        part = groups.read_row_group(index, columns=["customer_key", "ts", "source_row"])
        ck, ts, row = (as_numpy(part[c]) for c in ("customer_key", "ts", "source_row"))
        if not len(ck):
            continue
        tied = (ck[1:] == ck[:-1]) & (ts[1:] == ts[:-1])
        in_run = np.r_[tied, False] | np.r_[False, tied]
        if last is not None and last[:2] == (ck[0], ts[0]):
            in_run[0] = True
            found.append(np.array([last[2]]))
        found.append(row[in_run])
        last = (ck[-1], ts[-1], row[-1])
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _examples(con: Any, spec: SourceSpec, from_zero: bool) -> dict[str, list[dict[str, Any]]]:
    """The first rows dropped for each reason, with the column at fault and its value as
    written: one more pass over the source, made only when some rows were dropped."""
    c = spec.columns
    event = _q(c.event) if c.event else "NULL"
    rows = con.execute(f"""
        SELECT _reason, _row, CAST({_q(c.customer)} AS VARCHAR),
               CAST({_q(c.timestamp)} AS VARCHAR), CAST({event} AS VARCHAR)
        FROM checked WHERE _reason IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY _reason ORDER BY _row) <= {EXAMPLES}
        ORDER BY _reason, _row""").fetchall()
    column = {
        "missing customer id": (c.customer, 2),
        "missing timestamp": (c.timestamp, 3),
        "unparsable timestamp": (c.timestamp, 3),
        "missing event": (c.event or "derive", 4),
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        name, at = column[r[0]]
        out.setdefault(r[0], []).append(example(_shown_row(r[1], from_zero), name, r[at]))
    return out


def _shown_row(row: int, from_zero: bool) -> int:
    """Rows as a person counts them: the first data row is 1 (`file_row_number` counts from
    0, `row_number()` from 1)."""
    return int(row) + (1 if from_zero else 0)


def _drop_duplicates(
    con: Any, store: Path, originals: list[str], write: str, from_zero: bool
) -> tuple[int, list[dict[str, Any]]]:
    """Remove rows equal in every source column to an earlier row; how many were removed.
    Such rows share a customer and a time, so they sit side by side in the sorted store:
    only rows in a run of equal (customer, time) are compared with the source."""
    rows = _tied_rows(store)
    if not len(rows):
        return 0, []
    con.execute("CREATE TEMP TABLE tied AS SELECT unnest($1::BIGINT[]) AS _row", [rows.tolist()])
    same = ", ".join(_q(o) for o in originals)
    con.execute(f"""
        CREATE TEMP TABLE dups AS SELECT _row, _first FROM (
            SELECT _row, min(_row) OVER (PARTITION BY {same}) AS _first,
                   row_number() OVER (PARTITION BY {same} ORDER BY _row) AS _n
            FROM checked SEMI JOIN tied USING (_row))
        WHERE _n > 1""")
    removed = con.execute("SELECT count(*) FROM dups").fetchone()[0]
    repeats = [
        example(
            _shown_row(r, from_zero), "every column", f"same as row {_shown_row(first, from_zero)}"
        )
        for r, first in con.execute(
            f"SELECT _row, _first FROM dups ORDER BY _row LIMIT {EXAMPLES}"
        ).fetchall()
    ]
    if removed:  # rewrite without them, sorted again: a filter alone does not keep the
        # order (DuckDB's threads interleave its output), and the NumPy plan relies on it.
        kept = store.with_name("events.kept.parquet")
        con.execute(f"""
            COPY (SELECT * FROM read_parquet({_lit(str(store))})
                  WHERE source_row NOT IN (SELECT _row FROM dups)
                  ORDER BY {", ".join(SORT_KEY)})
            TO {_lit(str(kept))} {write}""")
        kept.replace(store)
    return int(removed), repeats


def _warnings(con: Any, store: Path, last: int | None) -> list[str]:
    """Rows kept but worth a look: times in the future usually mean a broken clock or format."""
    import time

    soon = int(time.time() * 1000) + 86_400_000
    if last is None or last <= soon:  # the usual case, known without reading the store
        return []
    future = con.execute(
        f"SELECT count(*) FROM read_parquet({_lit(str(store))}) WHERE ts > {soon}"
    ).fetchone()[0]
    return [f"{future:,} rows have timestamps in the future"]
