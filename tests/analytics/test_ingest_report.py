"""The ingest report explains itself: for each reason rows were dropped, the first example
rows (row, column, value) and what to change; epoch timestamps; trimmed customer ids; and a
Spark source reports exactly what the local store does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from journeymap.analytics.errors import SourceError
from journeymap.analytics.ingest import ingest
from journeymap.analytics.ingest_report import epoch_format
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.store import open_store
from journeymap.cli.app import app

LOG = """\
who,at,what
 u1 ,2024-01-01 10:00:00,visit
,2024-01-01 10:05:00,visit
u2,31/01/2024,visit
u2,1704103200,cart
u3,2024-01-01 11:00:00,
u4,2024-01-01 12:00:00,pay
u4,2024-01-01 12:00:00,pay
,,visit
u5,,visit
"""


def spec(**extra: Any) -> SourceSpec:
    return SourceSpec.model_validate(
        {
            "source": {"path": "log.csv"},
            "columns": {"customer": "who", "timestamp": "at", "event": "what"},
            **extra,
        }
    )


def test_each_drop_reason_has_example_rows_and_a_fix(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    report = ingest(spec(), tmp_path, tmp_path / "data").report
    assert report.rows_read == 9 and report.rows_kept == 2
    assert report.dropped == {
        "missing customer id": 2,
        "unparsable timestamp": 2,
        "exact duplicate": 1,
        "missing event": 1,
        "missing timestamp": 1,
    }
    ex = report.examples
    # Rows count from 1, the first data row (the header is not a row).
    assert ex["missing customer id"] == [
        {"row": 2, "column": "who", "value": None},
        {"row": 8, "column": "who", "value": None},
    ]
    assert ex["unparsable timestamp"] == [
        {"row": 3, "column": "at", "value": "31/01/2024"},
        {"row": 4, "column": "at", "value": "1704103200"},
    ]
    assert ex["missing event"] == [{"row": 5, "column": "what", "value": None}]
    assert ex["missing timestamp"] == [{"row": 9, "column": "at", "value": None}]
    assert ex["exact duplicate"] == [{"row": 7, "column": "every column", "value": "same as row 6"}]
    fixes = report.fixes
    assert set(fixes) == set(report.dropped)
    assert "timestamp_format" in fixes["unparsable timestamp"]
    assert "'1704103200' looks like epoch seconds" in fixes["unparsable timestamp"]
    assert "columns.customer" in fixes["missing customer id"]
    assert "nothing to change" in fixes["exact duplicate"]
    # The customer id written " u1 " is read as "u1", and the report says so once.
    assert report.warnings == [
        "1 row had spaces around the customer id in 'who'; they were trimmed (' 42 ' is read "
        "as '42')"
    ]
    customers = open_store(ingest(spec(), tmp_path, tmp_path / "data").store).customer
    assert "u1" in customers.to_pyarrow().to_pylist()


def test_the_cli_prints_the_examples_and_fixes(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    (tmp_path / "s.yaml").write_text(
        "source: {path: log.csv}\ncolumns: {customer: who, timestamp: at, event: what}\n"
    )
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    assert "2 rows dropped: unparsable timestamp" in result.stdout
    assert "row 3: at = '31/01/2024'" in result.stdout
    assert "1 row dropped: missing event" in result.stdout
    assert "fix: rows with an empty 'who'" in result.stdout
    as_json = CliRunner().invoke(app, ["ingest", str(tmp_path / "s.yaml"), "--json"])
    report = json.loads(as_json.stdout)["report"]
    assert report["examples"]["missing event"] == [{"row": 5, "column": "what", "value": None}]


@pytest.mark.parametrize(
    ("form", "written", "expected_ms"),
    [
        ("epoch_s", "1704103200", 1704103200000),
        ("epoch_s", "1704103200.1234", 1704103200123),
        ("epoch_ms", "1704103200123", 1704103200123),
    ],
)
def test_epoch_timestamps_are_utc_whatever_the_time_zone(
    tmp_path: Path, form: str, written: str, expected_ms: int
) -> None:
    (tmp_path / "log.csv").write_text(f"who,at,what\nu1,{written},visit\n")
    result = ingest(spec(timestamp_format=form, timezone="Europe/Paris"), tmp_path, tmp_path / "d")
    assert result.report.dropped == {}
    assert pq.read_table(result.store)["ts"].to_pylist() == [expected_ms]


def test_a_column_of_numbers_asks_for_an_epoch_format(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"who": ["a", "b"], "at": [1704103200123, 1704103260000], "what": ["x", "y"]}),
        tmp_path / "log.parquet",
    )
    definition = SourceSpec.model_validate(
        {
            "source": {"path": "log.parquet"},
            "columns": {"customer": "who", "timestamp": "at", "event": "what"},
        }
    )
    with pytest.raises(SourceError, match=r"'at' holds numbers .*timestamp_format: epoch_ms"):
        ingest(definition, tmp_path, tmp_path / "d")
    fixed = definition.model_copy(update={"timestamp_format": "epoch_ms"})
    result = ingest(fixed, tmp_path, tmp_path / "d")
    assert pq.read_table(result.store)["ts"].to_pylist() == [1704103200123, 1704103260000]


def test_parquet_rows_count_from_one_too(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"who": ["a", None, "c"], "at": ["2024-01-01"] * 3, "what": ["x"] * 3}),
        tmp_path / "log.parquet",
    )
    definition = SourceSpec.model_validate(
        {
            "source": {"path": "log.parquet"},
            "columns": {"customer": "who", "timestamp": "at", "event": "what"},
        }
    )
    report = ingest(definition, tmp_path, tmp_path / "d").report
    assert report.examples["missing customer id"] == [{"row": 2, "column": "who", "value": None}]


def test_epoch_guesses() -> None:
    assert epoch_format(["1704103200", "1704103260.5"]) == "epoch_s"
    assert epoch_format(["1704103200000"]) == "epoch_ms"
    assert epoch_format(["12", "1704103200"]) is None  # 12 s after 1970 is no event time
    assert epoch_format(["2024-01-01"]) is None and epoch_format([]) is None


def test_a_timestamp_format_must_be_strptime_or_epoch() -> None:
    with pytest.raises(ValueError, match="neither a strptime format"):
        spec(timestamp_format="dd/MM/yyyy")


@pytest.mark.spark
def test_a_spark_source_reports_what_the_store_reports(tmp_path: Path, spark: Any) -> None:
    from journeymap.analytics.spark_source import open_spark, spark_report

    (tmp_path / "log.csv").write_text(LOG)
    local = ingest(spec(), tmp_path, tmp_path / "d").report
    in_spark = SourceSpec.model_validate(
        {**spec().model_dump(exclude_none=True), "source": {"url": "pyspark://", "path": "log.csv"}}
    )
    remote = spark_report(in_spark, open_spark(in_spark, spark, base=tmp_path))
    for name in ("rows_read", "rows_kept", "dropped", "customers", "events", "warnings", "fixes"):
        assert getattr(remote, name) == getattr(local, name), name
    # Spark numbers the rows as it reads them: for one small file, as the file does.
    assert remote.examples == local.examples


def test_a_tiny_file_says_once_which_option_shows_its_figures(tmp_path: Path) -> None:
    from .test_definitions import JOURNEY
    from .test_definitions import LOG as TINY

    lines = ["who,at,what"] + [f"{w},2024-01-{d + 1:02d} 00:00:00,{e}" for w, d, e in TINY]
    (tmp_path / "log.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "s.yaml").write_text(
        "source: {path: log.csv}\ncolumns: {customer: who, timestamp: at, event: what}\n"
    )
    (tmp_path / "j.yaml").write_text(JOURNEY)
    args = ["analyze", str(tmp_path / "j.yaml"), "--source", str(tmp_path / "s.yaml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("`--min-count` sets the smallest count shown") == 1
    assert "<10" in result.stdout
    shown = CliRunner().invoke(app, [*args, "--min-count", "1"])
    assert "--min-count" not in shown.stderr and "<10" not in shown.stdout
