"""The source definition: where a journey's events live and which columns mean what.

It is a small YAML file kept beside the journey (never inside it, and never with credentials):

    source: {path: orders.csv.gz}       # or {url: "postgres://analyst@db/shop", table: events}
    columns: {customer: CustomerID, timestamp: InvoiceDate, properties: [Country]}
    timezone: Europe/London
    derive:
      - {event: return, when: {column: InvoiceNo, starts_with: C}}
      - {event: order}
    customers: {path: customers.csv, customer: id, attributes: [segment, country]}
"""

from __future__ import annotations

import re
import urllib.parse
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Column = Annotated[str, StringConstraints(min_length=1, max_length=200)]
EventName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
FORMATS = ("csv", "parquet", "jsonl", "duckdb")
RESERVED = frozenset({"customer_key", "customer", "ts", "event", "channel", "source_row"})


# `timestamp_format` values for numbers: seconds or milliseconds since 1970-01-01 UTC.
EPOCH_FORMATS = {"epoch_s": 1000, "epoch_ms": 1}  # -> milliseconds per unit


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# `${NAME}`: filled in from the environment when the source is opened (see credentials.py).
PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SPARK_SCHEMES = ("pyspark", "spark")
_SECRET_PARAMS = frozenset({"password", "passwd", "pwd", "secret", "token", "sslpassword"})
WHERE_PASSWORDS_GO = (
    "a password never goes in the source file: write ${NAME} in its place and set the "
    "environment variable NAME, or leave it out and put it in the credentials file "
    "(~/.config/journeymap/credentials.yaml, or $JOURNEYMAP_CREDENTIALS) under the host"
)


def check_url(url: str) -> str:
    """`url` if it holds no literal password (a `${NAME}` placeholder is fine); else an error
    that never repeats the password."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or len(parts.scheme) == 1:  # one letter: a Windows drive, not a scheme
        raise ValueError(
            "write the url as scheme://user@host:port/database, e.g. "
            "postgres://analyst@db.example.com:5432/shop (or pyspark:// for Spark); "
            "for a file, use `path:`"
        )
    password = parts.password
    if password and not PLACEHOLDER.fullmatch(password):
        raise ValueError(f"the url holds a password; {WHERE_PASSWORDS_GO}")
    for name, value in urllib.parse.parse_qsl(parts.query):
        if name.lower() in _SECRET_PARAMS and not PLACEHOLDER.fullmatch(value):
            raise ValueError(f"the url's `{name}=` holds a secret; {WHERE_PASSWORDS_GO}")
    return url


class Source(_Spec):
    """A file (`path`), a database table (`url` and `table`), or Spark (`url: pyspark://`
    with a catalog `table`, or a `path` Spark reads)."""

    # Validation errors must not echo a mistyped password back (pydantic shows the input).
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    path: Annotated[str, StringConstraints(min_length=1)] | None = None
    url: Annotated[str, StringConstraints(min_length=1)] | None = Field(
        default=None, description="an Ibis connection URL, without a password"
    )
    format: Literal["csv", "parquet", "jsonl", "duckdb"] | None = Field(
        default=None, description="guessed from the file name when left out"
    )
    table: str | None = Field(
        default=None, description="the table, in a DuckDB file or at the url (schema.table too)"
    )
    credentials: str | None = Field(
        default=None, description="the entry of the credentials file to use (default: the host)"
    )

    @field_validator("url")
    @classmethod
    def _no_password(cls, url: str | None) -> str | None:
        return None if url is None else check_url(url)

    @model_validator(mode="after")
    def _check(self) -> Source:
        if self.url is None:
            if self.path is None:
                raise ValueError("give `path:` (an event file) or `url:` (a database)")
            if self.credentials is not None:
                raise ValueError("`credentials:` is for a `url:` source; a file needs none")
            return self
        if self.is_spark():
            if (self.table is None) == (self.path is None):
                raise ValueError(
                    "a Spark source names a `table:` in Spark's catalog or a `path:` Spark "
                    "reads (Parquet, CSV or JSON lines), one of the two"
                )
            if self.format == "duckdb":
                raise ValueError("Spark reads csv, parquet or jsonl, not a DuckDB file")
            return self
        if self.path is not None:
            raise ValueError("a `url:` source names a `table:`, not a `path:`")
        if not self.table:
            raise ValueError("name the table to read at the url: `table: events`")
        return self

    def is_spark(self) -> bool:
        return self.url is not None and self.scheme() in SPARK_SCHEMES

    def scheme(self) -> str:
        return urllib.parse.urlsplit(self.url or "").scheme.lower()

    def resolved(self, base: Path) -> Path:
        if self.path is None:
            raise ValueError(f"{self.url} is a database source, not a file")
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else base / path

    def kind(self) -> str:
        if self.format:
            return self.format
        name = (self.path or "").lower().removesuffix(".gz")
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


FileSource = Source  # its name before it could also be a database


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
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)
    source: Source
    columns: Columns
    timezone: str = Field(default="UTC", description="for timestamps written without an offset")
    timestamp_format: str | None = Field(
        default=None,
        description="strptime format when the timestamps are not ISO 8601 (such as "
        "'%d/%m/%Y %H:%M'), or epoch_s / epoch_ms for seconds or milliseconds since 1970 UTC",
    )
    derive: list[Derive] = Field(default_factory=list)
    customers: CustomerTable | None = Field(
        default=None, description="a table of customer attributes, for persona rules and splits"
    )

    @model_validator(mode="after")
    def _check(self) -> SourceSpec:
        form = self.timestamp_format
        if form is not None and form not in EPOCH_FORMATS and "%" not in form:
            raise ValueError(
                f"timestamp_format '{form}' is neither a strptime format (such as "
                "'%d/%m/%Y %H:%M') nor epoch_s / epoch_ms"
            )
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
