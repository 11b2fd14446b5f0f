"""What ingest reports: rows read and kept, and for each reason rows were dropped, a few
example rows (row number, column, value) and what to change in the source definition.

The same report comes from the local store (ingest.py), a database (remote_source.py) and
Spark (spark_source.py), so `ingest` and `analyze` say the same things whatever the source.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..units import count
from .source_spec import SourceSpec

EXAMPLES = 3  # example rows kept per drop reason
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


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
    # reason -> up to EXAMPLES rows: {"row": 1-based row of the source, "column", "value"}
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fixes: dict[str, str] = field(default_factory=dict)  # reason -> what to change

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)


def example(row: int, column: str | None, value: Any) -> dict[str, Any]:
    return {"row": int(row), "column": column, "value": None if value is None else str(value)}


def fix_for(reason: str, spec: SourceSpec, examples: list[dict[str, Any]]) -> str:
    """What to change so rows like these are kept (or why nothing needs to change)."""
    c = spec.columns
    if reason == "missing customer id":
        return (
            f"rows with an empty '{c.customer}' cannot be placed on anyone's journey; if "
            "another column names the customer, map it as columns.customer"
        )
    if reason == "missing timestamp":
        return f"rows with an empty '{c.timestamp}' have no place in time; fill them in the source"
    if reason == "unparsable timestamp":
        return _timestamp_fix(spec, [e["value"] for e in examples if e.get("value")])
    if reason == "missing event":
        where = f"'{c.event}' is empty" if c.event else "no derive rule matched"
        return (
            f"{where} on these rows: map columns.event, or end `derive:` with a rule that has "
            "no `when` (it names every other row's event)"
        )
    if reason == "exact duplicate":
        return (
            "nothing to change: a row equal in every column read to an earlier row is a repeat "
            "(a logging retry, an export run twice) and counts once"
        )
    return ""


def _timestamp_fix(spec: SourceSpec, values: list[str]) -> str:
    epoch = epoch_format(values)
    if epoch is not None:
        return (
            f"these look like epoch {_unit(epoch)}: add "
            f"`timestamp_format: {epoch}` to the source definition"
        )
    numbers = [v for v in values if epoch_format([v])]
    also = (
        f"; '{numbers[0]}' looks like epoch {_unit(epoch_format(numbers[:1]))}, which needs "
        f"`timestamp_format: {epoch_format(numbers[:1])}` (one format per column)"
        if numbers
        else ""
    )
    if spec.timestamp_format:
        return (
            f"they do not match timestamp_format '{spec.timestamp_format}'; correct it "
            f"(strptime directives: %Y %m %d %H %M %S %z ...){also}"
        )
    return (
        "they are not ISO 8601 (2024-01-31 13:45:00): add `timestamp_format:` with their "
        f"strptime format, such as '%d/%m/%Y %H:%M'{also}"
    )


def _unit(epoch: str | None) -> str:
    return "seconds" if epoch == "epoch_s" else "milliseconds"


def epoch_format(values: list[str]) -> str | None:
    """epoch_s or epoch_ms when every value is a number of seconds or milliseconds since
    1970 that lands between 1990 and 2100; else None."""
    if not values or not all(_NUMBER.match(v.strip()) for v in values):
        return None
    low, high = 631_152_000, 4_102_444_800  # 1990-01-01 and 2100-01-01, in seconds
    numbers = [float(v) for v in values]
    if all(low <= n <= high for n in numbers):
        return "epoch_s"
    if all(low * 1000 <= n <= high * 1000 for n in numbers):
        return "epoch_ms"
    return None


def trimmed_warning(rows: int, column: str) -> str:
    return (
        f"{count(rows, 'row')} had spaces around the customer id in '{column}'; they were "
        "trimmed (' 42 ' is read as '42')"
    )


def describe(report: IngestReport) -> list[str]:
    """The drops in words, with their examples and fixes: a line each, for a terminal."""
    lines = []
    for reason, rows in report.dropped.items():
        lines.append(f"{count(rows, 'row')} dropped: {reason}")
        for e in report.examples.get(reason, []):
            value = "empty" if e["value"] is None else repr(e["value"])
            lines.append(f"    row {e['row']:,}: {e['column']} = {value}")
        fix = report.fixes.get(reason)
        if fix:
            lines.append(f"    fix: {fix}")
    return lines


def iso(epoch_ms: int | None) -> str | None:
    if epoch_ms is None:
        return None
    return dt.datetime.fromtimestamp(epoch_ms / 1000, tz=dt.UTC).isoformat().replace("+00:00", "Z")
