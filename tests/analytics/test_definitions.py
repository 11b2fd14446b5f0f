"""The worked examples of docs/analytics.md ("Definitions"), one test each, on every local plan
(the NumPy plan on the store, the Ibis plan on DuckDB) and on the plain-SQL reference.

The example: stages Awareness (Ad, bound to `ad_click`), Consideration (Product,
`product_view`) and Decision (Pay, `pay`); times in days from 2024-01-01 00:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from journeymap.analytics.ingest import ingest
from journeymap.analytics.measures import IbisPlan
from journeymap.analytics.plan import DAY_MS, MeasureOptions, Measures, measure
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.store import open_store
from journeymap.analytics.store_measures import StorePlan
from journeymap.domain.model import Journey
from journeymap.files.journey_file import journey_from_text

from .reference_sql import reference

LOG = [  # (customer, day, event)
    ("u1", 0, "ad_click"),
    ("u1", 1, "product_view"),
    ("u1", 2, "pay"),
    ("u2", 0, "ad_click"),
    ("u2", 20, "product_view"),
    ("u2", 40, "pay"),
    ("u3", 3, "product_view"),
    ("u3", 5, "ad_click"),
    ("u3", 6, "product_view"),
    ("u4", 0, "ad_click"),
    ("u4", 50, "ad_click"),
    ("u4", 55, "product_view"),
    ("u5", 1, "pay"),
]

JOURNEY = """\
format_version: 1
id: example
title: The worked example
stages:
  - {id: awareness, name: Awareness}
  - {id: consideration, name: Consideration}
  - {id: decision, name: Decision}
sections:
  - id: persona
    name: Persona
    lanes: [{id: touchpoints, name: Touchpoints, kind: touchpoints}]
cards:
  - {id: ad, kind: touchpoint, stage: awareness, lane: touchpoints, text: Ad,
     events: {names: [ad_click]}}
  - {id: product, kind: touchpoint, stage: consideration, lane: touchpoints, text: Product,
     events: {names: [product_view]}}
  - {id: pay, kind: touchpoint, stage: decision, lane: touchpoints, text: Pay,
     events: {names: [pay]}}
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("definitions")
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    lines = ["who,at,what"] + [
        f"{who},{(start + dt.timedelta(days=day)).isoformat()},{what}" for who, day, what in LOG
    ]
    (folder / "log.csv").write_text("\n".join(lines) + "\n")
    spec = SourceSpec(
        source={"path": "log.csv"}, columns={"customer": "who", "timestamp": "at", "event": "what"}
    )
    return ingest(spec, folder, folder / "data").store


def journey(entry_events: bool = False) -> Journey:
    text = JOURNEY
    if entry_events:
        text = text.replace(
            "{id: consideration, name: Consideration}",
            "{id: consideration, name: Consideration, entry_events: {names: [product_view]}}",
        )
    return journey_from_text(text, "example.yaml")


class Measured:
    """The measures of one plan, and the same figures from the reference, side by side."""

    def __init__(self, plan: str, store: Path, journey: Journey, **options: Any) -> None:
        opts = MeasureOptions(**options, paths=0)
        runner = StorePlan(store) if plan == "numpy" else IbisPlan(open_store(store))
        self.m: Measures = measure(runner, journey, opts)
        kwargs = {k: v for k, v in options.items() if k in ("window_ms", "window_from", "reentry")}
        self.ref = reference(store, journey, **kwargs)

    def funnel(self) -> list[int]:
        counts = [f.customers for f in self.m.funnel]
        assert counts == [n for n, _, _ in self.ref.funnel]
        return counts


@pytest.fixture(params=["numpy", "ibis"])
def plan(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_reach(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey())
    reach = {r.id: (r.customers, r.events) for r in got.m.touchpoints}
    assert reach == {"ad": (4, 5), "product": (4, 5), "pay": (3, 3)} == got.ref.reach


@pytest.mark.parametrize("entry_events", [False, True])
def test_stage_reach_counts_each_event_once(plan: str, store: Path, entry_events: bool) -> None:
    got = Measured(plan, store, journey(entry_events))
    stages = {r.id: (r.customers, r.events) for r in got.m.stages}
    assert stages["consideration"] == (4, 5) == got.ref.stage_reach["consideration"]


def test_funnel_from_the_first_stage(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey())
    assert got.funnel() == [4, 3, 1]
    f = got.m.funnel
    assert f[1].conversion == pytest.approx(0.75) and f[2].conversion == pytest.approx(1 / 3)
    assert [s.overall for s in f] == pytest.approx([1, 0.75, 0.25])
    assert f[1].median_ms == DAY_MS and f[1].p90_ms == pytest.approx(16.2 * DAY_MS)
    assert (f[1].median_ms, f[1].p90_ms) == pytest.approx(got.ref.funnel[1][1:])


def test_funnel_from_the_previous_stage(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey(), window_from="previous")
    assert got.funnel() == [4, 3, 2]


def test_funnel_with_reentry(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey(), reentry=True)
    assert got.funnel() == [4, 4, 1]
    gaps = sorted([1, 20, 1, 5])  # u4's time to Consideration comes from the try of day 50
    assert got.m.funnel[1].median_ms == pytest.approx((gaps[1] + gaps[2]) / 2 * DAY_MS)


def test_drop_off_counts_only_closed_windows(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey())
    left = {d.touchpoint: (d.leavers, d.share) for d in got.m.drop_off}
    assert left == {"product": (2, pytest.approx(2 / 3)), "ad": (1, pytest.approx(1 / 3))}
    assert got.ref.leavers == {"product": 2, "ad": 1}


def test_drop_off_with_reentry_waits_for_an_open_try(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey(), reentry=True)
    left = {d.touchpoint: (d.leavers, d.share) for d in got.m.drop_off}
    assert left == {"product": (2, 1.0)} and got.ref.leavers == {"product": 2}


def test_transitions(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey())
    moves = {(t.source, t.target): (t.count, t.median_gap_ms) for t in got.m.transitions}
    assert moves == {
        ("ad", "product"): (4, 3 * DAY_MS),
        ("ad", "ad"): (1, 50 * DAY_MS),
        ("product", "pay"): (2, 10.5 * DAY_MS),
        ("product", "ad"): (1, 2 * DAY_MS),
    }
    assert moves == got.ref.transitions
    shares = {(t.source, t.target): t.share for t in got.m.transitions if t.source == "ad"}
    assert shares == {("ad", "product"): 0.8, ("ad", "ad"): pytest.approx(0.2)}


def test_top_paths(plan: str, store: Path) -> None:
    got = Measured(plan, store, journey())
    paths = [(p.touchpoints, p.customers) for p in got.m.paths]
    assert paths == [
        (("ad", "product", "pay"), 2),
        (("ad", "product"), 1),
        (("pay",), 1),
        (("product", "ad", "product"), 1),
    ]
    assert dict(paths) == dict(got.ref.paths)
