"""The contract: every plan gives the numbers of a plain-SQL reference (reference_sql.py).

The suite runs once over a `plan` fixture: the NumPy plan on the local store, the Ibis plan on
DuckDB, and the Ibis plan on Spark (local mode). Counts must be identical; floating-point
figures (shares, medians, p90s) agree within a relative 1e-9. The data: seeded demo events on
the online-store template, and the three real public logs in tests/data with their mess
(customers missing, exact duplicates, many events at one time, several time zones).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from journeymap.analytics import measures as m
from journeymap.analytics.demo_data import generate
from journeymap.analytics.ingest import ingest
from journeymap.analytics.plan import DAY_MS, MeasureOptions, Measures, measure
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.spec_file import load_source_spec
from journeymap.analytics.store_measures import StorePlan
from journeymap.domain.model import Journey
from journeymap.files.journey_file import journey_from_text
from journeymap.services.templates import new_journey

from . import helpers
from .reference_sql import Reference, reference

TOLERANCE = 1e-9
START, DAY = 1767571200000, DAY_MS  # when the demo events begin (2026-01-05), one day
DATA = Path(__file__).parents[1] / "data"


HELPDESK = """\
format_version: 1
id: helpdesk
title: A ticket at the help desk
stages:
  - {id: opened, name: Opened}
  - {id: handled, name: Handled, entry_events: {names: [Wait]}}
  - {id: closed, name: Closed}
sections:
  - {id: persona, name: Persona, lanes: [{id: tp, name: Touchpoints, kind: touchpoints}]}
cards:
  - {id: seriousness, kind: touchpoint, stage: opened, lane: tp, text: Seriousness,
     events: {names: [Assign seriousness, Insert ticket]}}
  - {id: taken, kind: touchpoint, stage: handled, lane: tp, text: Taken in charge,
     events: {patterns: ["Take in *"]}}
  - {id: first-take, kind: touchpoint, stage: handled, lane: tp, text: First take,
     events: {names: [Take in charge ticket], first_only: true}}
  - {id: upgrade, kind: touchpoint, stage: handled, lane: tp, text: Upgrade,
     events: {names: [Require upgrade, Create SW anomaly]}}
  - {id: resolved, kind: touchpoint, stage: closed, lane: tp, text: Resolved,
     events: {names: [Resolve ticket]}}
  - {id: closed-tp, kind: touchpoint, stage: closed, lane: tp, text: Closed,
     events: {names: [Closed]}}
"""

RECEIPT = """\
format_version: 1
id: receipt
title: Applying for a permit
stages:
  - {id: received, name: Received}
  - {id: checked, name: Checked}
  - {id: decided, name: Decided}
sections:
  - {id: persona, name: Persona, lanes: [{id: tp, name: Touchpoints, kind: touchpoints}]}
cards:
  - {id: receipt, kind: touchpoint, stage: received, lane: tp, text: Receipt,
     events: {names: [Confirmation of receipt]}}
  - {id: online, kind: touchpoint, stage: received, lane: tp, text: Receipt online,
     events: {names: [Confirmation of receipt], channel: Internet}}
  - {id: checks, kind: touchpoint, stage: checked, lane: tp, text: Checks,
     events: {patterns: ["T0? *"]}}
  - {id: sent, kind: touchpoint, stage: decided, lane: tp, text: Sent,
     events: {patterns: ["*send*", "*stop indication"]}}
"""

RETAIL = """\
format_version: 1
id: retail
title: Buying from the online retailer
stages:
  - {id: buy, name: Buy}
  - {id: again, name: Buy again}
sections:
  - {id: persona, name: Persona, lanes: [{id: tp, name: Touchpoints, kind: touchpoints}]}
cards:
  - {id: order, kind: touchpoint, stage: buy, lane: tp, text: Order, events: {names: [order]}}
  - {id: uk-bulk, kind: touchpoint, stage: again, lane: tp, text: UK bulk,
     events: {names: [order], where: {Country: United Kingdom, Quantity: 12}}}
  - {id: return, kind: touchpoint, stage: again, lane: tp, text: Return, events: {names: [return]}}
"""


def _real(folder: Path, name: str) -> tuple[Path, Journey]:
    specs: dict[str, dict[str, Any]] = {
        "helpdesk": {
            "source": {"path": str(DATA / "helpdesk-slice.csv.gz")},
            "columns": {
                "customer": "case:concept:name",
                "timestamp": "time:timestamp",
                "event": "concept:name",
            },
        },
        "receipt": {
            "source": {"path": str(DATA / "receipt-slice.csv.gz")},
            "columns": {
                "customer": "case:concept:name",
                "timestamp": "time:timestamp",
                "event": "concept:name",
                "channel": "case:channel",
            },
        },
        "retail": {
            "source": {"path": str(DATA / "online-retail-slice.csv.gz")},
            "columns": {
                "customer": "CustomerID",
                "timestamp": "InvoiceDate",
                "properties": ["Quantity", "Country"],
            },
            "timezone": "Europe/London",
            "derive": [
                {"event": "return", "when": {"column": "InvoiceNo", "starts_with": "C"}},
                {"event": "order"},
            ],
        },
    }
    texts = {"helpdesk": HELPDESK, "receipt": RECEIPT, "retail": RETAIL}
    spec = SourceSpec.model_validate(specs[name])
    store = ingest(spec, folder, folder / "data").store
    return store, journey_from_text(texts[name], f"{name}.yaml")


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Journey]]:
    out = {}
    folder = tmp_path_factory.mktemp("demo")
    source = generate(folder, 5000, seed=11)
    out["demo"] = (
        ingest(load_source_spec(source), folder, folder / "store").store,
        new_journey(template="online-store-checkout"),
    )
    for name in ("helpdesk", "receipt", "retail"):
        out[name] = _real(tmp_path_factory.mktemp(name), name)
    return out


OPTIONS = {
    "30d-first": MeasureOptions(paths=0),
    "7d-previous": MeasureOptions(window_ms=7 * DAY, window_from="previous", paths=0),
    "reentry": MeasureOptions(window_ms=10 * DAY, reentry=True, paths=0),
}
PLANS = ["numpy", "ibis-duckdb"]
# Spark takes seconds a case: it runs the demo and one real log with re-entry.
SPARK_CASES = [("demo", "30d-first"), ("receipt", "reentry")]


@pytest.fixture(params=PLANS)
def plan(request: pytest.FixtureRequest) -> str:
    return str(request.param)


_references: dict[tuple[str, str], Reference] = {}


def expected(datasets: dict[str, tuple[Path, Journey]], data: str, option: str) -> Reference:
    if (data, option) not in _references:
        store, journey = datasets[data]
        o = OPTIONS[option]
        _references[(data, option)] = reference(
            store, journey, o.window_ms, o.window_from, o.reentry
        )
    return _references[(data, option)]


def run(plan: str, store: Path, journey: Journey, options: MeasureOptions, spark: Any) -> Measures:
    if plan == "numpy":
        return measure(StorePlan(store), journey, options)
    if plan == "ibis-duckdb":
        return measure(m.IbisPlan(m.open_store(store)), journey, options)
    import ibis

    return measure(m.IbisPlan(m.open_store(store, ibis.pyspark.connect(spark))), journey, options)


def close(a: float | None, b: float | None) -> bool:
    return (a is None) == (b is None) and (a is None or math.isclose(a, b, rel_tol=TOLERANCE))  # type: ignore[arg-type]


def agree(got: Measures, ref: Reference) -> list[str]:
    """Every difference between a plan's measures and the reference, in words."""
    wrong = []
    for r in got.touchpoints:
        if (r.customers, r.events) != ref.reach.get(r.id, (0, 0)):
            wrong.append(f"reach {r.id}: {r.customers, r.events} != {ref.reach.get(r.id)}")
    for r in got.stages:
        if (r.customers, r.events) != ref.stage_reach.get(r.id, (0, 0)):
            wrong.append(f"stage {r.id}: {r.customers, r.events} != {ref.stage_reach.get(r.id)}")
    for step, (n, median, p90) in zip(got.funnel, ref.funnel, strict=True):
        if step.customers != n or not close(step.median_ms, median) or not close(step.p90_ms, p90):
            wrong.append(f"funnel {step}: {(n, median, p90)}")
    moves = {(t.source, t.target): (t.count, t.median_gap_ms) for t in got.transitions}
    if moves.keys() != ref.transitions.keys():
        wrong.append(f"transitions {sorted(moves)} != {sorted(ref.transitions)}")
    for pair, (count, gap) in moves.items():
        want = ref.transitions.get(pair)
        if want is not None and (count != want[0] or not close(gap, want[1])):
            wrong.append(f"transition {pair}: {(count, gap)} != {want}")
    paths = {p.touchpoints: p.customers for p in got.paths}
    if paths != dict(ref.paths):
        wrong.append(f"paths differ: {set(paths.items()) ^ set(ref.paths.items())}")
    leavers = {d.touchpoint: d.leavers for d in got.drop_off}
    if leavers != {t: n for t, n in ref.leavers.items() if n}:
        wrong.append(f"drop-off {leavers} != {ref.leavers}")
    return wrong


@pytest.mark.parametrize("data", ["demo", "helpdesk", "receipt", "retail"])
@pytest.mark.parametrize("option", list(OPTIONS))
def test_every_plan_gives_the_reference_numbers(
    plan: str, data: str, option: str, datasets: dict[str, tuple[Path, Journey]]
) -> None:
    check(plan, data, option, datasets, None)


@pytest.mark.spark
@pytest.mark.parametrize(("data", "option"), SPARK_CASES)
def test_the_ibis_plan_on_spark_gives_the_reference_numbers(
    data: str, option: str, datasets: dict[str, tuple[Path, Journey]], spark: Any
) -> None:
    check("ibis-spark", data, option, datasets, spark)


def check(
    plan: str, data: str, option: str, datasets: dict[str, tuple[Path, Journey]], spark: Any
) -> None:
    store, journey = datasets[data]
    got = run(plan, store, journey, OPTIONS[option], spark)
    ref = expected(datasets, data, option)
    assert got.funnel[0].customers > 0 and got.transitions, "nothing measured: a vacuous case"
    assert agree(got, ref) == []


def test_the_comparison_is_not_vacuous(datasets: dict[str, tuple[Path, Journey]]) -> None:
    """The reference finds a one-customer difference in the funnel, a transition or a path."""
    store, journey = datasets["helpdesk"]
    got = run("numpy", store, journey, OPTIONS["30d-first"], None)
    ref = expected(datasets, "helpdesk", "30d-first")
    assert agree(got, ref) == []
    off = Reference(**{**ref.__dict__, "funnel": [(n + 1, a, b) for n, a, b in ref.funnel]})
    assert agree(got, off)
    pair = next(iter(ref.transitions))
    moved = {**ref.transitions, pair: (ref.transitions[pair][0] + 1, ref.transitions[pair][1])}
    assert agree(got, Reference(**{**ref.__dict__, "transitions": moved}))


@pytest.fixture(scope="module")
def cohorts(spark: Any, datasets: dict[str, tuple[Path, Journey]]) -> dict[str, dict[str, Any]]:
    """Sessions, splits and period comparisons (Ibis only) on DuckDB and on Spark."""
    import ibis

    from journeymap.analytics.cohorts import compare_periods, funnel_by, sessions

    store, journey = datasets["demo"]
    out = {}
    for name, events in {
        "duckdb": m.open_store(store),
        "spark": m.open_store(store, ibis.pyspark.connect(spark)),
    }.items():
        entries = m.stage_entries(events, m.bind(events, journey), journey)
        out[name] = {
            "sessions": sessions(events),
            "funnel_by": sorted(funnel_by(entries, events, journey, "device").items()),
            "compare_periods": compare_periods(
                entries, journey, (START, START + 20 * DAY), (START + 20 * DAY, START + 61 * DAY)
            ),
        }
    return out


@pytest.mark.spark
@pytest.mark.parametrize("analysis", ["sessions", "funnel_by", "compare_periods"])
def test_cohorts_agree_on_duckdb_and_spark(
    cohorts: dict[str, dict[str, Any]], analysis: str
) -> None:
    duck, spark = cohorts["duckdb"][analysis], cohorts["spark"][analysis]
    assert duck, f"{analysis} found nothing to compare"
    assert helpers.same(duck, spark, TOLERANCE), f"{analysis}:\nduckdb {duck}\nspark  {spark}"


@pytest.mark.spark
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


def same(a: Any, b: Any) -> bool:
    return helpers.same(a, b, TOLERANCE)
