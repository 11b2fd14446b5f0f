"""The source definition: where a journey's events live and which columns mean what.

It is a small YAML file kept beside the journey (never inside it, and never with credentials):

    source: {path: orders.csv.gz}
    columns: {customer: CustomerID, timestamp: InvoiceDate, properties: [Country]}
    timezone: Europe/London
    derive:
      - {event: return, when: {column: InvoiceNo, starts_with: C}}
      - {event: order}
    customers: {path: customers.csv, customer: id, attributes: [segment, country]}
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Column = Annotated[str, StringConstraints(min_length=1, max_length=200)]
EventName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
FORMATS = ("csv", "parquet", "jsonl", "duckdb")
RESERVED = frozenset({"customer_key", "customer", "ts", "event", "channel", "source_row"})


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileSource(_Spec):
    path: Annotated[str, StringConstraints(min_length=1)]
    format: Literal["csv", "parquet", "jsonl", "duckdb"] | None = Field(
        default=None, description="guessed from the file name when left out"
    )
    table: str | None = Field(default=None, description="the table, for a DuckDB file")

    def resolved(self, base: Path) -> Path:
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else base / path

    def kind(self) -> str:
        if self.format:
            return self.format
        name = self.path.lower().removesuffix(".gz")
        for suffix, fmt in (
            (".csv", "csv"),
            (".parquet", "parquet"),
            (".jsonl", "jsonl"),
            (".ndjson", "jsonl"),
            (".json", "jsonl"),
            (".duckdb", "duckdb"),
            (".db", "duckdb"),
        ):
            if name.endswith(suffix):
                return fmt
        return "csv"


class Columns(_Spec):
    customer: Column
    timestamp: Column
    event: Column | None = None
    channel: Column | None = None
    properties: list[Column] = Field(default_factory=list)


class Condition(_Spec):
    """A test on one column's text; the first derive rule whose condition holds names the event."""

    column: Column
    equals: str | None = None
    starts_with: str | None = None
    one_of: list[str] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        tests = [t for t in (self.equals, self.starts_with, self.one_of) if t is not None]
        if len(tests) != 1:
            raise ValueError("give exactly one of equals, starts_with or one_of")
        return self


class Derive(_Spec):
    event: EventName
    when: Condition | None = None


class CustomerTable(_Spec):
    """An optional table of one row per customer, whose attributes persona rules and splits use."""

    path: Annotated[str, StringConstraints(min_length=1)]
    format: Literal["csv", "parquet", "jsonl"] | None = Field(
        default=None, description="guessed from the file name when left out"
    )
    customer: Column = Field(description="the column holding the events' customer ids")
    attributes: list[Column] = Field(description="the columns to keep, such as segment or plan")

    @model_validator(mode="after")
    def _check(self) -> CustomerTable:
        if self.file().kind() not in ("csv", "parquet", "jsonl"):
            raise ValueError("a customer table is a CSV, Parquet or JSON lines file")
        if not self.attributes:
            raise ValueError("list the columns to keep under `attributes`, such as [segment]")
        repeated = [a for i, a in enumerate(self.attributes) if a in self.attributes[:i]]
        if repeated:
            raise ValueError(f"attribute '{repeated[0]}' is listed twice")
        if "customer_key" in self.attributes:
            raise ValueError("'customer_key' is the name of the key the store makes; rename it")
        if self.customer in self.attributes:
            raise ValueError(f"'{self.customer}' is the id column; leave it out of `attributes`")
        return self

    def file(self) -> FileSource:
        return FileSource(path=self.path, format=self.format)


class SourceSpec(_Spec):
    source: FileSource
    columns: Columns
    timezone: str = Field(default="UTC", description="for timestamps written without an offset")
    timestamp_format: str | None = Field(
        default=None, description="strptime format, when the timestamps are not ISO 8601"
    )
    derive: list[Derive] = Field(default_factory=list)
    customers: CustomerTable | None = Field(
        default=None, description="a table of customer attributes, for persona rules and splits"
    )

    @model_validator(mode="after")
    def _check(self) -> SourceSpec:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{self.timezone}' (use an IANA name such as Europe/London)"
            ) from None
        if self.columns.event is None and not self.derive:
            raise ValueError("name an event column under columns, or derive the events")
        clash = [p for p in self.columns.properties if p in RESERVED]
        if clash:
            raise ValueError(
                f"property '{clash[0]}' has the name of a column the store makes itself "
                f"({', '.join(sorted(RESERVED))}); rename it in the source, or leave it out"
            )
        if self.derive and self.derive[-1].when is not None and self.columns.event is None:
            raise ValueError(
                "the last derive rule needs no `when`, so that every row gets an event"
            )
        return self

    def source_columns(self) -> list[str]:
        """Every column of the source this definition reads."""
        c = self.columns
        named = [c.customer, c.timestamp, c.event, c.channel, *c.properties]
        named += [d.when.column for d in self.derive if d.when is not None]
        return list(dict.fromkeys(n for n in named if n))
