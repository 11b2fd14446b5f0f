"""Ingest: every row is read, checked, normalised and accounted for."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from journeymap.analytics.ingest import SourceError, ingest
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.spec_file import load_source_spec
from journeymap.analytics.store import open_store
from journeymap.domain.errors import JourneyInvalid

DATA = Path(__file__).parents[1] / "data"

LOG = """\
user,when,what,via,amount
u1,2024-03-01 10:00:00,visit,web,
u2,2024-03-01T09:00:00+02:00,visit,app,
u1,2024-03-01 10:00:00,add_to_cart,web,12.5
,2024-03-01 11:00:00,visit,web,
u3,,visit,web,
u3,not a time,visit,web,
u1,2024-03-01 10:05:00,checkout,web,12.5
u1,2024-03-01 10:05:00,checkout,web,12.5
u2,2024-03-02 08:00:00,checkout,,20
u3,2024-03-03 12:00:00,,store,
"""


def spec(**overrides: object) -> SourceSpec:
    data = {
        "source": {"path": "log.csv"},
        "columns": {
            "customer": "user",
            "timestamp": "when",
            "event": "what",
            "channel": "via",
            "properties": ["amount"],
        },
        "timezone": "Europe/Paris",
    }
    return SourceSpec.model_validate({**data, **overrides})


def rows(store: Path) -> list[tuple[object, ...]]:
    table = open_store(store).select("customer", "ts", "event", "channel", "amount")
    return [tuple(r.values()) for r in table.to_pyarrow().to_pylist()]


def test_a_hand_written_log(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    result = ingest(spec(), tmp_path, tmp_path / "data")
    r = result.report
    assert (r.rows_read, r.rows_kept, r.customers) == (10, 5, 2)
    assert r.dropped == {
        "missing customer id": 1,
        "missing timestamp": 1,
        "unparsable timestamp": 1,
        "exact duplicate": 1,
        "missing event": 1,
    }
    assert r.events == {"checkout": 2, "visit": 2, "add_to_cart": 1}
    assert r.properties == {"amount": "number"}
    # Paris is UTC+1 in March: 10:00 local is 09:00 UTC; u2's +02:00 offset wins over the zone.
    ms = pd.Timestamp("2024-03-01 09:00:00", tz="UTC").value // 10**6
    assert rows(result.store) == [
        ("u1", ms, "visit", "web", None),
        ("u1", ms, "add_to_cart", "web", 12.5),  # same time: kept in source order
        ("u1", ms + 5 * 60_000, "checkout", "web", 12.5),
        ("u2", ms - 2 * 3_600_000, "visit", "app", None),
        (
            "u2",
            pd.Timestamp("2024-03-02 07:00:00", tz="UTC").value // 10**6,
            "checkout",
            None,
            20.0,
        ),
    ]
    assert (r.first_event, r.last_event) == ("2024-03-01T07:00:00Z", "2024-03-02T07:00:00Z")
    keys = open_store(result.store).select("customer", "customer_key").distinct()
    assert sorted(tuple(r.values()) for r in keys.to_pyarrow().to_pylist()) == [
        ("u1", 1),
        ("u2", 2),
    ]
    # The store itself holds integers only; the dictionary beside it gives the words back.
    stored = duckdb.sql(f"DESCRIBE SELECT * FROM '{result.store}'").fetchall()
    assert {r[0]: r[1] for r in stored} == {
        "customer_key": "INTEGER",
        "ts": "BIGINT",
        "event": "INTEGER",
        "channel": "INTEGER",
        "source_row": "BIGINT",
        "amount": "DOUBLE",
    }


def test_the_store_is_reused_until_the_source_or_mapping_changes(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    first = ingest(spec(), tmp_path, tmp_path / "data")
    again = ingest(spec(), tmp_path, tmp_path / "data")
    assert again.reused and again.store == first.store and again.report == first.report
    other = ingest(spec(timezone="UTC"), tmp_path, tmp_path / "data")
    assert not other.reused and other.store != first.store
    (tmp_path / "log.csv").write_text(LOG + "u9,2024-03-04 10:00:00,visit,web,\n")
    changed = ingest(spec(), tmp_path, tmp_path / "data")
    assert not changed.reused and changed.report.rows_read == 11


def test_derived_events_on_the_real_retail_log(tmp_path: Path) -> None:
    definition = SourceSpec.model_validate(
        {
            "source": {"path": str(DATA / "online-retail-slice.csv.gz")},
            "columns": {
                "customer": "CustomerID",
                "timestamp": "InvoiceDate",
                "properties": ["InvoiceNo", "Quantity", "Country"],
            },
            "timezone": "Europe/London",
            "derive": [
                {"event": "return", "when": {"column": "InvoiceNo", "starts_with": "C"}},
                {"event": "order"},
            ],
        }
    )
    report = ingest(definition, tmp_path, tmp_path / "data").report
    frame = pd.read_csv(DATA / "online-retail-slice.csv.gz", dtype=str)
    frame = frame[frame["CustomerID"].notna()].drop_duplicates()
    returns = frame["InvoiceNo"].str.startswith("C")
    assert report.events == {"order": int((~returns).sum()), "return": int(returns.sum())}
    assert report.customers == frame["CustomerID"].nunique()
    assert report.properties == {"InvoiceNo": "text", "Quantity": "number", "Country": "text"}


def test_parquet_jsonl_and_duckdb_sources(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"id": ["a", "a", "b"], "at": ["2024-01-01T00:00:00Z"] * 3, "name": ["x", "y", "x"]}
    )
    frame.to_parquet(tmp_path / "e.parquet")
    frame.to_json(tmp_path / "e.jsonl", orient="records", lines=True)
    con = duckdb.connect(str(tmp_path / "e.duckdb"))
    con.execute("CREATE TABLE events AS SELECT * FROM frame")
    con.close()
    cols = {"customer": "id", "timestamp": "at", "event": "name"}
    for source in (
        {"path": "e.parquet"},
        {"path": "e.jsonl"},
        {"path": "e.duckdb", "table": "events"},
    ):
        result = ingest(SourceSpec(source=source, columns=cols), tmp_path, tmp_path / "d")
        assert (result.report.rows_kept, result.report.customers) == (3, 2), source


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"columns": {"customer": "usr", "timestamp": "when", "event": "what"}},
            "log.csv has no column 'usr' (did you mean 'user'?)",
        ),
        ({"source": {"path": "nope.csv"}}, "nope.csv: no such file (check source.path"),
        ({"source": {"path": "log.duckdb", "table": "events"}}, "cannot be read"),
        (
            {"source": {"path": "log.csv", "format": "duckdb"}},
            "a DuckDB source needs `table:` naming the table to read",
        ),
    ],
)
def test_unreadable_sources_are_explained(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    (tmp_path / "log.duckdb").write_text("not a database")
    with pytest.raises(SourceError, match=re.escape(message)):
        ingest(spec(**change), tmp_path, tmp_path / "data")


def test_source_definitions_are_checked_with_locations(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "source: {path: log.csv}\ncolumns:\n  customer: user\n  timestmp: when\n"
        "timezone: Mars/Olympus\n"
    )
    with pytest.raises(JourneyInvalid) as caught:
        load_source_spec(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3:3 columns.timestamp: missing required field 'timestamp' (add `timestamp: ...`)",
        f"{path}:4:3 columns.timestmp: unknown field 'timestmp' (did you mean 'timestamp'?)",
    ]
    path.write_text(
        "source: {path: log.csv}\ncolumns: {customer: u, timestamp: t}\ntimezone: Mars/Olympus\n"
    )
    with pytest.raises(JourneyInvalid, match="unknown time zone 'Mars/Olympus'"):
        load_source_spec(path)


def test_cli_ingest_reports_and_reuses(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from journeymap.cli.app import app

    (tmp_path / "log.csv").write_text(LOG)
    (tmp_path / "s.yaml").write_text(json.dumps(spec().model_dump(mode="json")))
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(tmp_path / "s.yaml")])
    assert first.exit_code == 0
    assert "10 rows read, 5 kept, 2 customers" in first.stdout
    assert "1 row dropped: exact duplicate" in first.stdout
    assert (tmp_path / ".journeymap" / "ingest").is_dir()
    second = runner.invoke(app, ["ingest", str(tmp_path / "s.yaml"), "--json"])
    payload = json.loads(second.stdout)
    assert payload["reused"] and payload["report"]["rows_kept"] == 5
    bad = runner.invoke(app, ["ingest", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 1 and "no such file" in bad.stderr


def test_a_damaged_file_is_refused_cleanly(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "log.csv.gz", "wb") as handle:
        handle.write(b"user,when,what\n\xff\xfe,\x00\x01,zz\n")
    definition = spec(
        source={"path": "log.csv.gz"},
        columns={"customer": "user", "timestamp": "when", "event": "what"},
    )
    with pytest.raises(SourceError, match=r"log.csv.gz: cannot be read \(Invalid Input Error"):
        ingest(definition, tmp_path, tmp_path / "data")


def test_a_duplicate_across_the_stores_row_groups_is_found(tmp_path: Path) -> None:
    """Exact duplicates are found among rows of equal customer and time, which the sorted store
    puts side by side, row group by row group: a pair split by a group's end counts too."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 130_000
    minutes = list(range(n))
    boundary = 122_880  # DuckDB's Parquet row group: rows boundary-1 and boundary pair up
    minutes[boundary] = boundary - 1
    start = pd.Timestamp("2024-01-01", tz="UTC")
    pq.write_table(
        pa.table(
            {
                "who": ["a"] * n,
                "at": [start + pd.Timedelta(minutes=m) for m in minutes],
                "what": ["x"] * n,
            }
        ),
        tmp_path / "e.parquet",
    )
    definition = SourceSpec(
        source={"path": "e.parquet"},
        columns={"customer": "who", "timestamp": "at", "event": "what"},
    )
    result = ingest(definition, tmp_path, tmp_path / "d")
    groups = pq.ParquetFile(result.store).metadata
    assert groups.num_row_groups > 1 and groups.row_group(0).num_rows == boundary
    assert result.report.dropped == {"exact duplicate": 1}
    assert result.report.rows_kept == n - 1
