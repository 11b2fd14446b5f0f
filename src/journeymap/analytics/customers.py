"""The optional customer table: one row per customer, with attributes (segment, country, plan)
that persona rules and splits read.

It is ingested with the events, into `customers.parquet` beside `events.parquet`: the store's
integer `customer_key` (found by the customer id as text, trimmed, like the events' ids) and the
attributes, typed as numbers where every value is one (no leading zeros), else text. Only
customers the events know are kept; the report counts the rest.

Duplicate ids: a row that repeats another exactly is dropped with a warning; the same id with
different attributes is an error, since no rule could say which row is the customer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..domain.suggest import did_you_mean, one_of
from .errors import SourceError
from .source_spec import CustomerTable
from .store import dictionary_path

TABLE = "customers.parquet"
REPORT = "customers.json"


@dataclass
class CustomerReport:
    source: str
    rows_read: int
    customers: int  # distinct ids in the table
    matched: int  # of those, customers the events have
    not_in_events: int  # ids in the table the events never mention (left out of the store)
    without_row: int  # customers in the events the table has no row for
    dropped: dict[str, int]  # reason -> rows
    attributes: dict[str, str] = field(default_factory=dict)  # column -> "number" or "text"
    warnings: list[str] = field(default_factory=list)


def table_file(table: CustomerTable, base: Path) -> Path:
    """The customer table's file; SourceError when it is missing or empty."""
    path = table.file().resolved(base)
    if not path.is_file():
        raise SourceError(f"{path}: no such file (check customers.path, relative to {base})")
    if path.stat().st_size == 0:
        raise SourceError(f"{path}: the customer table is empty")
    return path


def fingerprint(key: str, table: CustomerTable, base: Path) -> str:
    """The events store's key, changed whenever the customer table's file changes."""
    path = table_file(table, base)
    stat = path.stat()
    text = json.dumps([key, str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def load_report(store: Path) -> CustomerReport | None:
    """The report of the customer table ingested with `store`, if there is one."""
    path = store.parent / REPORT
    return CustomerReport(**json.loads(path.read_text())) if path.exists() else None


def open_customers(events: Any, store: Path) -> Any | None:
    """The customer table beside `store` as an Ibis table on the events' own backend (so the
    two can be joined), or None when the source has none."""
    path = store.parent / TABLE
    return events._find_backend().read_parquet(str(path)) if path.exists() else None


def ingest_customers(table: CustomerTable, base: Path, store: Path) -> CustomerReport:
    """Read the customer table, check it, and write it beside the events store."""
    import duckdb

    source = table_file(table, base)
    con = duckdb.connect()
    try:
        try:
            con.execute(f"CREATE TEMP TABLE raw AS SELECT * FROM {_reader(table, source)}")
        except duckdb.Error as error:
            raise SourceError(f"{source}: cannot be read ({str(error).splitlines()[0]})") from None
        present = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
        for column in [table.customer, *table.attributes]:
            if column not in present:
                hint = did_you_mean(column, present, f"its columns are: {one_of(present, 20)}")
                raise SourceError(f"{source.name} has no column '{column}' ({hint})")
        report = _write(con, table, source, store)
    finally:
        con.close()
    (store.parent / REPORT).write_text(json.dumps(asdict(report), indent=2))
    return report


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reader(table: CustomerTable, source: Path) -> str:
    kind, path = table.file().kind(), _lit(str(source))
    if kind == "csv":  # all text: ids such as 007 keep their zeros; types are decided below
        return f"read_csv({path}, all_varchar = true, header = true)"
    if kind == "parquet":
        return f"read_parquet({path})"
    return f"read_json({path}, format = 'newline_delimited')"


def _text(column: str) -> str:
    return f"NULLIF(TRIM(CAST({_q(column)} AS VARCHAR)), '')"


def _write(con: Any, table: CustomerTable, source: Path, store: Path) -> CustomerReport:
    attrs = table.attributes
    kept = ", ".join(_q(a) for a in attrs)
    con.execute(f"CREATE TEMP VIEW ided AS SELECT {_text(table.customer)} AS _id, {kept} FROM raw")
    rows_read, missing = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE _id IS NULL) FROM ided"
    ).fetchone()
    con.execute("CREATE TEMP TABLE rows AS SELECT DISTINCT * FROM ided WHERE _id IS NOT NULL")
    repeats = rows_read - missing - con.execute("SELECT count(*) FROM rows").fetchone()[0]
    clashes = [
        r[0]
        for r in con.execute(
            "SELECT _id FROM rows GROUP BY _id HAVING count(*) > 1 ORDER BY _id LIMIT 4"
        ).fetchall()
    ]
    if clashes:
        shown = ", ".join(f"'{c}'" for c in clashes[:3]) + (" and more" if len(clashes) > 3 else "")
        raise SourceError(
            f"{source.name} has more than one row, with different values, for customer {shown} "
            f"(keep one row per customer in column '{table.customer}')"
        )
    types = {a: _attribute_type(con, a) for a in attrs}
    typed = ", ".join(
        f"TRY_CAST({_q(a)} AS DOUBLE) AS {_q(a)}" if t == "number" else f"{_text(a)} AS {_q(a)}"
        for a, t in types.items()
    )
    known = (  # the events' customers: the store's dictionary maps each key to its id
        f"(SELECT code AS customer_key, value AS customer FROM "
        f"read_parquet({_lit(str(dictionary_path(store)))}) WHERE \"column\" = 'customer')"
    )
    con.execute(f"""
        COPY (
            SELECT e.customer_key, {typed}
            FROM rows JOIN {known} AS e ON e.customer = rows._id
            ORDER BY e.customer_key
        ) TO {_lit(str(store.parent / TABLE))} (FORMAT parquet, COMPRESSION zstd)""")
    customers, matched, without_row = con.execute(f"""
        SELECT (SELECT count(*) FROM rows),
               (SELECT count(*) FROM rows WHERE _id IN (SELECT customer FROM {known})),
               (SELECT count(*) FROM {known} WHERE customer NOT IN (SELECT _id FROM rows))
        """).fetchone()
    dropped = {
        k: v for k, v in {"missing customer id": missing, "exact duplicate": repeats}.items() if v
    }
    warnings: list[str] = []
    if matched == 0:
        warnings.append(
            f"no id in column '{table.customer}' matches a customer of the events "
            "(is it the same id as the events' customer column?)"
        )
    return CustomerReport(
        source=str(source),
        rows_read=rows_read,
        customers=customers,
        matched=matched,
        not_in_events=customers - matched,
        without_row=without_row,
        dropped=dropped,
        attributes=types,
        warnings=warnings,
    )


def _attribute_type(con: Any, column: str) -> str:
    """'number' when every value reads as one and none has a leading zero (a postcode or code
    such as `007` stays text, unchanged), else 'text'; as the events' properties are typed."""
    text = _text(column)
    bad = con.execute(
        f"SELECT count(*) FROM rows WHERE {text} IS NOT NULL AND "
        f"(TRY_CAST({_q(column)} AS DOUBLE) IS NULL OR regexp_matches({text}, '^[+-]?0[0-9]'))"
    ).fetchone()[0]
    return "number" if bad == 0 else "text"
