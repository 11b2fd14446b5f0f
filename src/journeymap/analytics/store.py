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

from .errors import StoreError

# 3: the footer records the sort order (2 could come out unsorted after dropping duplicates).
STORE_VERSION = 3
DICTIONARY = "dictionary.parquet"
CODED = ("customer", "event", "channel")  # besides the text properties
SORT_KEY = ("customer_key", "ts", "source_row")  # the store's order, every row distinct in it
SORTED_BY = b"journeymap.sorted_by"  # the footer's key-value entry that records it


def sorted_metadata() -> str:
    """DuckDB's COPY option that writes the order into the Parquet footer."""
    key, order = SORTED_BY.decode(), ",".join(SORT_KEY)
    return f"KV_METADATA {{'{key}': '{order}'}}"


def check_sorted(store: Path) -> None:
    """StoreError unless the store says it is sorted by SORT_KEY and its row groups agree: each
    group's customer keys start at or after the last group's end. Reads the footer only."""
    import pyarrow.parquet as pq

    meta = pq.read_metadata(store)
    written = (meta.metadata or {}).get(SORTED_BY, b"").decode()
    if written != ",".join(SORT_KEY):
        raise StoreError(_unsorted(store, "it does not record its order"))
    column = meta.schema.names.index("customer_key")
    end = None
    for index in range(meta.num_row_groups):
        stats = meta.row_group(index).column(column).statistics
        if stats is None or not stats.has_min_max:
            raise StoreError(_unsorted(store, f"row group {index} has no statistics"))
        if end is not None and stats.min < end:
            raise StoreError(
                _unsorted(store, f"row group {index} goes back to customer {stats.min}")
            )
        end = stats.max


def check_slice_sorted(store: Path, customer: Any, ts: Any, row: Any) -> None:
    """StoreError unless the rows are in SORT_KEY order, strictly: a slice's whole check costs
    a few comparisons a row, far less than measuring it, and catches a store changed since."""
    import numpy as np

    if len(customer) < 2:
        return
    dc = np.diff(customer)
    # Rows that do not move on in (customer, time): the customer goes back, or stays with a
    # time that does not grow. Only those few (ties) need the source row compared.
    suspect = np.flatnonzero((dc < 0) | ((dc == 0) & (ts[1:] <= ts[:-1])))
    if len(suspect):
        at = suspect + 1
        ok = (dc[suspect] == 0) & (ts[at] == ts[suspect]) & (row[at] > row[suspect])
        if not ok.all():
            first = int(at[np.flatnonzero(~ok)[0]])
            raise StoreError(_unsorted(store, f"customer {int(customer[first])} is out of order"))


def _unsorted(store: Path, why: str) -> str:
    return (
        f"{store}: the store is not sorted by customer and time ({why}); it was written by an "
        "older journeymap or changed since: ingest the source again with "
        "`journeymap ingest SOURCE.yaml --force`"
    )


def dictionary_path(store: Path) -> Path:
    return Path(store).parent / DICTIONARY


def read_dictionary(store: Path, customers: bool = True) -> dict[str, list[str | None]]:
    """column -> its values, indexed by code (customer keys count from 1: index 0 is unused).
    `customers=False` leaves out the customer ids, by far the longest part.

    The file is sorted by column, so each column's values are one run of rows, found from the
    column's dictionary codes in NumPy and sliced out without a copy. (Arrow's compute
    functions would import pandas, a third of a second of `analyze`'s start-up.)"""
    import numpy as np
    import pyarrow.parquet as pq

    table = pq.ParquetFile(dictionary_path(store), read_dictionary=["column"]).read()
    names = table["column"].combine_chunks()
    codes = as_numpy(names.indices)
    labels = names.dictionary.to_pylist()
    values = table["value"]
    out: dict[str, list[str | None]] = {}
    starts: list[int] = (
        np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]).tolist() if len(codes) else []
    )
    for start, end in zip(starts, [*starts[1:], len(codes)], strict=True):
        column = labels[codes[start]]
        if column == "customer" and not customers:
            continue
        # (a column written in two runs would still be whole: each run extends it in order)
        known = out.setdefault(column, [None] if column == "customer" else [])
        known.extend(values.slice(start, end - start).to_pylist())
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


def as_numpy(column: Any) -> Any:
    """An integer or float column as a NumPy array, sharing its memory where it can: NULL
    becomes -1 in integers (no code is negative) and NaN in floats (it equals nothing). Made
    from the Arrow buffer directly, because pyarrow's own `to_numpy` imports pandas, which
    costs a third of a second."""
    import numpy as np
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    floating = pa.types.is_floating(column.type)
    if column.null_count:  # (pyarrow.compute costs a twentieth of a second: only when needed)
        import pyarrow.compute as pc

        column = pc.fill_null(column, float("nan") if floating else -1)
    signed = floating or pa.types.is_signed_integer(column.type)
    width = column.type.bit_width // 8
    kind = "f" if floating else "i" if signed else "u"
    return np.frombuffer(
        column.buffers()[1], dtype=f"{kind}{width}", count=len(column), offset=column.offset * width
    )
