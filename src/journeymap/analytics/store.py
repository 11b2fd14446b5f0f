"""The normalised event store that ingest writes, and how analyses open it.

`events.parquet` holds integers only, sorted by customer and time (ties in source order):
`customer_key`, `ts` (UTC epoch milliseconds), `event` and `channel` as codes, `source_row`,
and the properties (numbers as doubles, text as codes). `dictionary.parquet` beside it maps
every code back to its text (`column`, `code`, `value`; the `customer` column maps each
customer key to the source's customer id). Integers sort, write and filter several times
faster than the strings they stand for; `open_store` gives the readable table back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DICTIONARY = "dictionary.parquet"
CODED = ("customer", "event", "channel")  # besides the text properties


def dictionary_path(store: Path) -> Path:
    return Path(store).parent / DICTIONARY


def read_dictionary(store: Path) -> dict[str, list[str | None]]:
    """column -> its values, indexed by code (customer keys count from 1: index 0 is unused)."""
    import pyarrow.parquet as pq

    rows = pq.ParquetFile(dictionary_path(store)).read().to_pylist()  # no pyarrow.dataset
    out: dict[str, list[str | None]] = {}
    for r in rows:
        values = out.setdefault(r["column"], [None] if r["column"] == "customer" else [])
        values.append(r["value"])
    return out


def open_store(store: Path | str, backend: Any = None) -> Any:
    """The ingested events as an Ibis table with readable columns (customer_key, customer, ts,
    event, channel, source_row and the properties), on DuckDB in memory unless another Ibis
    backend is given (Spark reads the same two files)."""
    import ibis

    store = Path(store)
    con = backend if backend is not None else ibis.duckdb.connect()
    events = con.read_parquet(str(store))
    words = con.read_parquet(str(dictionary_path(store)))
    coded = set(read_dictionary(store)) | set(CODED)
    out = events
    for column in events.columns:
        key = "customer" if column == "customer_key" else column
        if key not in coded:
            continue
        values = words.filter(words["column"] == key).select(
            **{f"_code_{key}": words.code, f"_text_{key}": words.value}
        )
        out = out.left_join(values, out[column] == values[f"_code_{key}"])
    fields: dict[str, Any] = {}
    for column in events.columns:
        if column == "customer_key":
            fields |= {"customer_key": out.customer_key, "customer": out._text_customer}
        elif column in coded:
            fields[column] = out[f"_text_{column}"]
        else:
            fields[column] = out[column]
    return out.select(**fields)
