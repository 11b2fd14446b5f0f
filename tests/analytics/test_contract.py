"""The contract: every analysis gives the same answer on DuckDB and on Spark (local mode).

The NumPy plan that builds the evidence on the local store is held to the same contract.
Counts must be identical; floating-point figures (shares, medians, p90s) agree within a relative
tolerance of 1e-9. The data: 5,000 seeded demo events on the online-store template, bound as the
template binds them.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeymap.analytics import measures as m
from journeymap.analytics.demo_data import generate
from journeymap.analytics.ingest import ingest
from journeymap.analytics.spec_file import load_source_spec
from journeymap.analytics.store_measures import measure_store
from journeymap.services.templates import new_journey

from . import helpers

TOLERANCE = 1e-9
START, DAY = 1767571200000, 86_400_000  # when the demo events begin (2026-01-05), one day
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("journeymap-contract")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def results(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    import ibis

    folder = tmp_path_factory.mktemp("contract")
    source = generate(folder, 5000, seed=11)
    store = ingest(load_source_spec(source), folder, folder / "store").store
    journey = new_journey(template="online-store-checkout")
    backends = {
        "duckdb": m.open_store(store),
        "spark": m.open_store(store, ibis.pyspark.connect(spark)),
    }
    out = {}
    for name, events in backends.items():
        bound = m.bind(events, journey)
        entries = m.stage_entries(events, bound, journey)
        out[name] = {
            "touchpoint_reach": m.touchpoint_reach(bound, journey),
            "stage_reach": m.stage_reach(entries, journey),
            "funnel": m.funnel(entries, journey),
            "transitions": m.transitions(bound),
            "top_paths": m.top_paths(bound, 20),
            "drop_off": m.drop_off(bound, entries, journey),
            "measure_all": m.measure_all(events, journey, paths=20),
            "sessions": m.sessions(events),
            "funnel_by": sorted(m.funnel_by(entries, events, journey, "device").items()),
            "compare_periods": m.compare_periods(
                entries, journey, (START, START + 20 * DAY), (START + 20 * DAY, START + 61 * DAY)
            ),
        }
    out["numpy"] = {"measure_all": measure_store(store, journey, paths=20)}
    return out


def same(a: Any, b: Any) -> bool:
    return helpers.same(a, b, TOLERANCE)


@pytest.mark.parametrize(
    "analysis",
    [
        "touchpoint_reach",
        "stage_reach",
        "funnel",
        "transitions",
        "top_paths",
        "drop_off",
        "measure_all",
        "sessions",
        "funnel_by",
        "compare_periods",
    ],
)
def test_duckdb_and_spark_agree(results: dict[str, dict[str, Any]], analysis: str) -> None:
    duck, spark = results["duckdb"][analysis], results["spark"][analysis]
    assert duck, f"{analysis} found nothing to compare"
    if analysis == "measure_all":  # the shared build gives what the measures give one by one
        assert same(duck.funnel, results["duckdb"]["funnel"])
        assert same(duck.paths, results["duckdb"]["top_paths"])
    assert same(duck, spark), f"{analysis}:\nduckdb {duck}\nspark  {spark}"


def test_the_comparison_is_not_vacuous(results: dict[str, dict[str, Any]]) -> None:
    funnel = results["duckdb"]["funnel"]
    assert funnel[0].customers > 100 and funnel[-1].customers > 0
    assert any(t.median_gap_ms > 0 for t in results["duckdb"]["transitions"])
    tweaked = [
        *funnel[:-1],
        type(funnel[-1])(**{**funnel[-1].__dict__, "customers": funnel[-1].customers + 1}),
    ]
    assert not same(funnel, tweaked)


def test_the_numpy_plan_on_the_local_store_agrees_with_spark(
    results: dict[str, dict[str, Any]],
) -> None:
    ours, spark = results["numpy"]["measure_all"], results["spark"]["measure_all"]
    assert same(ours, spark), f"numpy {ours}\nspark {spark}"


def test_persona_rules_agree(spark: Any, tmp_path: Path) -> None:
    """Persona rules (customer table attributes, first-event properties, did and did_not) give
    every customer the same persona on Spark as on DuckDB."""
    import ibis

    from .test_personas import personas_of, world

    events, customers = world(tmp_path)
    (store,) = (tmp_path / "data").glob("ingest/*/events.parquet")
    con = ibis.pyspark.connect(spark)
    people = con.read_parquet(str(store.parent / "customers.parquet"))
    duck = personas_of(events, customers)
    assert set(duck.values()) == {"smb-buyer", "self-serve", "explorer", "unassigned"}
    assert personas_of(m.open_store(store, con), people) == duck
