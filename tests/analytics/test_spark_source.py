"""Spark sources stay in Spark: normalised there, they give what the DuckDB store gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journeymap.analytics import measures as m
from journeymap.analytics.ingest import SourceError, ingest
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.spark_source import java_pattern, open_spark, spark_report
from journeymap.analytics.spec_file import load_source_spec
from journeymap.cli.app import app
from journeymap.services.templates import new_journey

from .helpers import demo_journey
from .test_contract import same
from .test_ingest import LOG

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")
COLUMNS = ["customer_key", "customer", "ts", "event", "channel", "amount"]


def on_spark(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "source": {**data["source"], "url": "pyspark://"}}


def rows(table: Any) -> list[tuple[Any, ...]]:
    frame = table.select(*COLUMNS).to_pandas().astype(object)
    frame = frame.where(frame.notna(), None)
    return sorted(frame.itertuples(index=False, name=None), key=repr)


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {  # events derived by rules, and a strptime format
            "columns": {"customer": "user", "timestamp": "when", "properties": ["amount"]},
            "timestamp_format": "%Y-%m-%d %H:%M:%S",
            "derive": [
                {"event": "purchase", "when": {"column": "what", "equals": "checkout"}},
                {"event": "browse", "when": {"column": "what", "one_of": ["visit"]}},
                {"event": "other"},
            ],
        },
    ],
)
def test_normalised_in_spark_as_in_the_store(
    spark: Any,
    tmp_path: Path,
    variant: dict[str, Any],
) -> None:
    (tmp_path / "log.csv").write_text(LOG)
    data: dict[str, Any] = {
        "source": {"path": "log.csv"},
        "columns": {
            "customer": "user",
            "timestamp": "when",
            "event": "what",
            "channel": "via",
            "properties": ["amount"],
        },
        "timezone": "Europe/Paris",
    } | variant
    local = ingest(SourceSpec.model_validate(data), tmp_path, tmp_path / "data")
    spec = SourceSpec.model_validate(on_spark(data))
    opened = open_spark(spec, spark, base=tmp_path)
    assert rows(opened.events) == rows(m.open_store(local.store))
    report = spark_report(spec, opened)
    assert report.source == "log.csv in Spark"
    assert {**report.__dict__, "source": ""} == {**local.report.__dict__, "source": ""}


def test_measures_on_spark_equal_the_duckdb_path(spark: Any, tmp_path: Path) -> None:
    journey_file, source = demo_journey(tmp_path, 400)
    spec = load_source_spec(source)
    local = ingest(spec, tmp_path, tmp_path / "data")
    in_spark = SourceSpec.model_validate(on_spark(spec.model_dump(exclude_none=True)))
    events = open_spark(in_spark, spark, base=tmp_path).events
    journey = new_journey(template="online-store-checkout")
    duck = m.measure_all(m.open_store(local.store), journey, paths=5)
    assert duck.funnel[0].customers > 20
    assert same(m.measure_all(events, journey, paths=5), duck)

    # The command line measures it in Spark, writing no local store.
    spark_source = tmp_path / "spark.source.yaml"
    spark_source.write_text(source.read_text().replace("source: {", 'source: {url: "pyspark://", '))
    data_dir = tmp_path / "nothing-here"
    result = CliRunner().invoke(
        app,
        ["analyze", str(journey_file), "--source", str(spark_source), "--data-dir", str(data_dir)],
    )
    assert result.exit_code == 0, result.stderr
    assert f"on {local.report.rows_kept:,} events" in result.stdout
    # `ingest` checks it in Spark and reports as for a file, copying nothing.
    checked = CliRunner().invoke(
        app, ["ingest", str(spark_source), "--data-dir", str(data_dir), "--json"]
    )
    assert checked.exit_code == 0, checked.stderr
    payload = json.loads(checked.stdout)
    assert payload["store"] is None and payload["report"]["rows_kept"] == local.report.rows_kept
    assert payload["report"]["events"] == local.report.events
    assert not data_dir.exists()


def test_spark_mistakes(spark: Any, tmp_path: Path) -> None:
    base = {"columns": {"customer": "user", "timestamp": "when", "event": "what"}}
    missing = SourceSpec.model_validate({**base, "source": {"url": "pyspark://", "table": "nope"}})
    with pytest.raises(SourceError, match=r"source.table: Spark's catalog has no table 'nope'"):
        open_spark(missing, spark)
    (tmp_path / "log.csv").write_text(LOG)
    wrong = {**base, "columns": {**base["columns"], "event": "wat"}}
    spec = SourceSpec.model_validate({**wrong, "source": {"url": "pyspark://", "path": "log.csv"}})
    with pytest.raises(SourceError, match=r"columns.event: .* no column 'wat' \(did you mean"):
        open_spark(spec, spark, base=tmp_path)
    with pytest.raises(SourceError, match=r"stays in Spark"):
        ingest(spec, tmp_path, tmp_path / "data")


def test_strptime_formats_as_spark_patterns() -> None:
    assert java_pattern("%d/%m/%Y %H:%M") == "dd/MM/yyyy HH:mm"
    assert java_pattern("%Y-%m-%dT%H:%M:%S%z") == "yyyy-MM-dd'T'HH:mm:ssZ"
    with pytest.raises(SourceError, match="timestamp_format: Spark cannot read %a"):
        java_pattern("%a %d")
