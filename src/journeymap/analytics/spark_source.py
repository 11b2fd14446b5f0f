"""Spark sources stay in Spark: the events normalised lazily, as Ibis expressions on Spark.

`open_spark_source` gives the shape the local store has (customer_key, customer, ts in UTC
epoch ms, event, channel, source_row, and the properties), with the same rules as ingest.py:
naive times read in the definition's time zone, derive rules in order, rows without a customer,
a parsable time or an event dropped, and exact repeats dropped. The measures take it as they
take the store; nothing is copied to this machine.

Spark has no row order of its own: `source_row` is Spark's row id (file order for one file),
used only to order events with the same time. Spark's ANSI mode turns a bad cast into an error,
so every parse is a `try_` one.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError
from .ingest_report import EXAMPLES, IngestReport, example, fix_for, iso, trimmed_warning
from .source_spec import EPOCH_FORMATS, Condition, SourceSpec

# An ISO time that carries its own offset (Z, +01, +01:00, +0100) needs no time zone.
_OFFSET = r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$"
_DATE_ONLY = r"^\d{4}-\d{2}-\d{2}$"
# strptime directives as Spark datetime patterns; others are refused with a clear message.
_PATTERNS = {
    "Y": "yyyy",
    "y": "yy",
    "m": "MM",
    "d": "dd",
    "H": "HH",
    "I": "hh",
    "M": "mm",
    "S": "ss",
    "f": "SSSSSS",
    "p": "a",
    "b": "MMM",
    "B": "MMMM",
    "j": "DDD",
    "z": "Z",
    "%": "%",
}


def spark_session(session: Any = None) -> Any:
    """`session`, else the active SparkSession, else a local one (all cores, UTC)."""
    if session is not None:
        return session
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        SparkSession.builder.master("local[*]")
        .appName("journeymap")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def java_pattern(strptime: str) -> str:
    """A strptime format (`%d/%m/%Y %H:%M`) as a Spark datetime pattern (`dd/MM/yyyy HH:mm`)."""
    out, i = [], 0
    while i < len(strptime):
        ch = strptime[i]
        if ch == "%" and i + 1 < len(strptime):
            code = strptime[i + 1]
            if code not in _PATTERNS:
                raise SourceError(
                    f"timestamp_format: Spark cannot read %{code}; use the directives "
                    + " ".join("%" + k for k in _PATTERNS)
                )
            out.append(_PATTERNS[code])
            i += 2
            continue
        out.append(f"'{ch}'" if ch.isalpha() else "''" if ch == "'" else ch)
        i += 1
    return "".join(out)


def _builtin(name: str, inputs: tuple[Any, ...], output: Any) -> Any:
    """A Spark SQL function Ibis has no name for, called as it is."""
    import ibis

    # Ibis reads the parameters off the function, so it needs one with as many as the call.
    def none() -> Any: ...

    def one(a: Any) -> Any: ...

    def two(a: Any, b: Any) -> Any: ...

    fn = (none, one, two)[len(inputs)]
    return ibis.udf.scalar.builtin(fn, name=name, signature=(inputs, output))


def _raw(spec: SourceSpec, base: Path, con: Any) -> Any:
    source = spec.source
    if source.table:
        database, _, name = source.table.rpartition(".")
        try:
            return con.table(name, database=database or None)
        except Exception:
            tables = con.list_tables(database=database or None)
            raise SourceError(
                f"source.table: Spark's catalog has no table '{source.table}' "
                f"(its tables: {', '.join(tables[:20]) or 'none'})"
            ) from None
    path = source.path or ""
    where = path if re.match(r"^[a-z][a-z0-9+.-]*://", path) else str(source.resolved(base))
    reader = {"csv": con.read_csv, "parquet": con.read_parquet, "jsonl": con.read_json}
    try:
        if source.kind() == "csv":
            return con.read_csv(where, header=True)  # every column as text, as in ingest.py
        return reader[source.kind()](where)
    except Exception as error:
        first = (str(error).strip().splitlines() or ["unreadable"])[0]
        raise SourceError(f"source.path: Spark cannot read {where} ({first[:300]})") from None


def _text(column: Any) -> Any:
    return column.cast("string").strip().nullif("")


def _condition(t: Any, c: Condition) -> Any:
    column = t[c.column].cast("string")
    if c.equals is not None:
        return column == c.equals
    if c.starts_with is not None:
        return column.startswith(c.starts_with)
    return column.isin(c.one_of or [])


def _event(spec: SourceSpec, t: Any) -> Any:
    import ibis

    base = _text(t[spec.columns.event]) if spec.columns.event else ibis.null("string")
    cases = [(_condition(t, d.when), ibis.literal(d.event)) for d in spec.derive if d.when]
    fallback = next((d.event for d in spec.derive if d.when is None), None)
    otherwise = ibis.literal(fallback) if fallback else base
    return ibis.cases(*cases, else_=otherwise) if cases else otherwise


def _millis(spec: SourceSpec, column: Any, text: Any) -> Any:
    """UTC epoch milliseconds; null when the time cannot be read."""
    import ibis
    import ibis.expr.datatypes as dt

    unix_millis = _builtin("unix_millis", (dt.timestamp,), dt.int64)
    kind = column.type()
    if kind.is_timestamp() and kind.timezone is not None:  # already an instant
        return unix_millis(column)
    if spec.timestamp_format in EPOCH_FORMATS:  # UTC numbers, rounded to the millisecond
        scale = EPOCH_FORMATS[spec.timestamp_format]
        return (text.try_cast("float64") * scale).round().cast("int64")
    zone = ibis.literal(" " + spec.timezone)
    if spec.timestamp_format:
        parse = _builtin("try_to_timestamp", (dt.string, dt.string), dt.timestamp)
        pattern = java_pattern(spec.timestamp_format)
        if "%z" in spec.timestamp_format:
            return unix_millis(parse(text, ibis.literal(pattern)))
        return unix_millis(parse(text.concat(zone), ibis.literal(pattern + " VV")))
    # Spark's cast takes a zone id after the time: naive times get the definition's zone.
    day = text.re_search(_DATE_ONLY)
    naive = ibis.ifelse(day, text.concat(" 00:00:00"), text).concat(zone)
    value = ibis.ifelse(text.re_search(_OFFSET), text, naive)
    return unix_millis(value.try_cast(dt.Timestamp(timezone="UTC")))


def checked(spec: SourceSpec, raw: Any) -> Any:
    """Every row with its normalised fields and `_dropped`, the reason it is left out (or
    null)."""
    import ibis
    import ibis.expr.datatypes as dt

    present = list(raw.columns)
    missing = [c for c in spec.source_columns() if c not in present]
    if missing:
        from .remote_source import check_columns

        check_columns(spec, present, "the Spark source")
    c = spec.columns
    row_id = _builtin("monotonically_increasing_id", (), dt.int64)
    t = raw.mutate(_row=row_id() + 1)
    ts_text = _text(t[c.timestamp])
    t = t.mutate(
        _customer=_text(t[c.customer]),
        _ts_text=ts_text,
        _ts=_millis(spec, t[c.timestamp], ts_text),
        _event=_event(spec, t),
        _channel=_text(t[c.channel]) if c.channel else ibis.null("string"),
    )
    repeat = ibis.row_number().over(group_by=present, order_by=t._row)
    t = t.mutate(_first=t._row.min().over(group_by=present))  # the row a repeat repeats
    reason = ibis.cases(
        (t._customer.isnull(), "missing customer id"),
        (t._ts_text.isnull(), "missing timestamp"),
        (t._ts.isnull(), "unparsable timestamp"),
        (t._event.isnull(), "missing event"),
        (repeat > 0, "exact duplicate"),
        else_=ibis.null("string"),
    )
    return t.mutate(_dropped=reason)


def _property_types(spec: SourceSpec, t: Any) -> dict[str, str]:
    """As ingest.py decides: 'number' when every non-empty value reads as one and none has a
    leading zero. Numeric columns are numbers; text ones take one pass over the data."""
    props = spec.columns.properties
    types = {p: "number" for p in props if t[p].type().is_numeric()}
    text = [p for p in props if p not in types]
    if text:
        counts = {}
        for p in text:
            value = t[p].cast("string").strip()
            bad = value.nullif("").notnull() & (
                t[p].try_cast("float64").isnull() | value.re_search("^[+-]?0[0-9]")
            )
            counts[p] = bad.ifelse(1, 0).sum()
        row = t.aggregate(**counts).to_pyarrow().to_pylist()[0]
        types |= {p: "number" if not row[p] else "text" for p in text}
    return {p: types[p] for p in props}


@dataclass
class SparkEvents:
    events: Any  # the normalised Ibis table, lazy in Spark
    rows: Any  # every row, with `_dropped`
    properties: dict[str, str]


def open_spark(spec: SourceSpec, session: Any = None, base: Path = Path()) -> SparkEvents:
    import ibis

    if not spec.source.is_spark():
        raise SourceError("source.url: open a Spark source (url: pyspark://) here")
    con = ibis.pyspark.connect(spark_session(session))
    rows = checked(spec, _raw(spec, base, con))
    kept = rows.filter(rows._dropped.isnull())
    types = _property_types(spec, kept)
    props = {
        p: kept[p].try_cast("float64") if kind == "number" else kept[p].cast("string")
        for p, kind in types.items()
    }
    events = kept.select(
        # Spark's dense_rank is an INT that Ibis types as int64 (so a plain cast would be
        # dropped): cast through int32 to get the BIGINT the store has.
        customer_key=(ibis.dense_rank().over(order_by=kept._customer) + 1)
        .cast("int32")
        .cast("int64"),
        customer=kept._customer,
        ts=kept._ts.cast("int64"),
        event=kept._event,
        channel=kept._channel,
        source_row=kept._row.cast("int64"),
        **props,
    )
    return SparkEvents(events, rows, types)


def open_spark_source(spec: SourceSpec, session: Any = None, base: Path = Path()) -> Any:
    """The events of a Spark source as an Ibis table of the store's shape, computed in Spark
    when a measure asks for them. `base` resolves a relative `path:`."""
    return open_spark(spec, session, base).events


def spark_report(spec: SourceSpec, opened: SparkEvents) -> IngestReport:
    """What ingest reports, counted in Spark (a few aggregate queries). Spark numbers rows
    as it reads them, so an example's row is the source's row only for a single file read
    in one piece."""
    import time

    rows, events = opened.rows, opened.events
    left_out = rows.filter(rows._dropped.notnull())
    reasons = left_out.group_by("_dropped").aggregate(n=left_out.count())
    dropped = {
        r["_dropped"]: r["n"]
        for r in sorted(reasons.to_pyarrow().to_pylist(), key=lambda r: (-r["n"], r["_dropped"]))
    }
    examples = _examples(spec, left_out) if dropped else {}
    c = spec.columns
    spaced = (
        rows.filter(
            rows._customer.notnull()
            & (rows[c.customer].cast("string").length() > rows._customer.length())
        )
        .count()
        .to_pyarrow()
        .as_py()
    )
    soon = int(time.time() * 1000) + 86_400_000
    stats = (
        events.aggregate(
            kept=events.count(),
            customers=events.customer.nunique(),
            first=events.ts.min(),
            last=events.ts.max(),
            future=(events.ts > soon).ifelse(1, 0).sum(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    names = events.group_by("event").aggregate(n=events.count()).to_pyarrow().to_pylist()
    future = stats["future"] or 0
    return IngestReport(
        source=f"{spec.source.table or spec.source.path} in Spark",
        rows_read=stats["kept"] + sum(dropped.values()),
        rows_kept=stats["kept"],
        dropped=dropped,
        first_event=iso(stats["first"]),
        last_event=iso(stats["last"]),
        customers=stats["customers"],
        events={r["event"]: r["n"] for r in sorted(names, key=lambda r: (-r["n"], r["event"]))},
        properties=opened.properties,
        warnings=([f"{future:,} rows have timestamps in the future"] if future else [])
        + ([trimmed_warning(spaced, c.customer)] if spaced else []),
        examples=examples,
        fixes={reason: fix_for(reason, spec, examples.get(reason, [])) for reason in dropped},
    )


def _examples(spec: SourceSpec, left_out: Any) -> dict[str, list[dict[str, Any]]]:
    import ibis

    c = spec.columns
    first = ibis.row_number().over(group_by=left_out._dropped, order_by=left_out._row)
    picked = left_out.mutate(_n=first).filter(lambda t: t._n < EXAMPLES)
    column = {
        "missing customer id": c.customer,
        "missing timestamp": c.timestamp,
        "unparsable timestamp": c.timestamp,
        "missing event": c.event,
    }
    wanted = {
        name: picked[name].cast("string") for name in {c.customer, c.timestamp, c.event} if name
    }
    rows = picked.select(
        "_dropped", "_row", "_first", **{f"v_{i}": v for i, v in enumerate(wanted.values())}
    )
    names = list(wanted)
    out: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(rows.to_pyarrow().to_pylist(), key=lambda r: (r["_dropped"], r["_row"])):
        reason = r["_dropped"]
        name = column.get(reason)
        if reason == "exact duplicate":
            same = f"same as row {r['_first']}"
            out.setdefault(reason, []).append(example(r["_row"], "every column", same))
        else:
            value = r[f"v_{names.index(name)}"] if name in names else None
            out.setdefault(reason, []).append(example(r["_row"], name or "derive", value))
    return out
