"""The NumPy plan on the local store gives the Ibis plan's numbers, to the last digit.

The Ibis plan's numbers are checked by hand in test_measures.py; here the NumPy plan must
match them on hand-written logs, on generated logs with ties and odd bindings (hypothesis),
and when the store is read in slices that cut through the data at every place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.analytics import store_measures
from journeymap.analytics.ingest import ingest
from journeymap.analytics.measures import BindingError, Reach, measure_all, open_store
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.store_measures import measure_store
from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey
from journeymap.domain.operations import SetOp

from . import helpers
from .helpers import touchpoint
from .test_measures import H, bound_journey, store

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
TOLERANCE = 1e-12


def same(a: Any, b: Any) -> bool:
    return helpers.same(a, b, TOLERANCE)


def both(store_file: Any, journey: Journey, **options: Any) -> tuple[Any, Any]:
    ours = measure_store(store_file, journey, **options)
    reference = measure_all(open_store(store_file), journey, **options)
    assert same(ours, reference), f"\nnumpy {ours}\nibis  {reference}"
    return ours, reference


def test_the_hand_written_log(small: Journey, tmp_path: Path) -> None:
    ours, _ = both(store(tmp_path), bound_journey(small))
    assert ours.touchpoints == [Reach("ad", 4, 5), Reach("checkout", 4, 6)]
    assert [(f.stage, f.customers) for f in ours.funnel] == [("awareness", 4), ("decision", 2)]
    assert ours.funnel[1].median_ms == pytest.approx(1.5 * H)
    assert ours.funnel[1].p90_ms == pytest.approx(1.9 * H)
    assert [(t.source, t.target, t.count) for t in ours.transitions] == [
        ("ad", "checkout", 3),
        ("ad", "ad", 1),
        ("checkout", "ad", 1),
        ("checkout", "checkout", 1),
    ]
    # Leavers had their whole window and did not go on: u2, and u4 (whose checkout came after
    # 40 days), both last seen at the ad before their window closed. u3 never entered the
    # first stage, so is not in the funnel. (Before the definitions were set down, drop-off
    # looked at whole histories: checkout 2 (u3, u4), ad 1.)
    assert [(d.touchpoint, d.leavers) for d in ours.drop_off] == [("ad", 2)]


def test_first_only_entry_events_shared_events_and_windows(small: Journey, tmp_path: Path) -> None:
    data = store(tmp_path)
    first = bound_journey(small, ad_first_only=True)
    assert both(data, first)[0].touchpoints[0] == Reach("ad", 4, 4)
    entry = apply_all(
        bound_journey(small),
        [
            SetOp(
                entity="stage",
                id="awareness",
                field="entry_events",
                value={"names": ["newsletter_open"]},
            ),
            touchpoint("again", "decision", {"names": ["ad_click", "newsletter_open"]}),
        ],
    )
    ours, _ = both(data, entry)
    assert ours.stages[0] == Reach("awareness", 4, 6)
    assert {r.id: r for r in ours.touchpoints}["again"] == Reach("again", 4, 6)
    # "again" puts every ad click in the decision stage too: all four clickers reach it at once.
    reached = both(data, entry, window_ms=60 * 24 * H)[0].funnel[1]
    assert (reached.customers, reached.median_ms) == (4, 0.0)
    assert len(both(data, entry, paths=2)[0].paths) == 2


def test_binding_mistakes_read_the_same(small: Journey, tmp_path: Path) -> None:
    data = store(tmp_path)
    with pytest.raises(BindingError, match="no touchpoint has `events:`"):
        measure_store(data, small)
    journey = apply_all(
        small,
        [
            SetOp(
                entity="card",
                id="ad",
                field="events",
                value={"names": ["ad_click"], "where": {"campain": "x"}},
            )
        ],
    )
    with pytest.raises(BindingError) as ours:
        measure_store(data, journey)
    with pytest.raises(BindingError) as theirs:
        measure_all(open_store(data), journey)
    assert str(ours.value) == str(theirs.value)


EVENTS = ["view", "cart", "pay", "mail", "view_b"]


@st.composite
def logs(draw: st.DrawFn) -> list[tuple[str, int, str, str, int]]:
    """(customer, minute, event, channel, amount) rows, with ties in time on purpose."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c", "d"]),
                st.integers(0, 40),
                st.sampled_from(EVENTS),
                st.sampled_from(["web", "app"]),
                st.integers(1, 3),
            ),
            min_size=1,
            max_size=60,
        )
    )
    return rows


@st.composite
def bindings(draw: st.DrawFn) -> list[tuple[str, str, dict[str, Any]]]:
    """(touchpoint id, stage, events rule) for a few touchpoints on the small journey."""
    out = []
    for i in range(draw(st.integers(1, 4))):
        rule: dict[str, Any] = {}
        if draw(st.booleans()):
            rule["names"] = draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=2))
        else:
            rule["patterns"] = [draw(st.sampled_from(["view*", "?a*", "p*"]))]
        if draw(st.integers(0, 3)) == 0:
            rule["channel"] = draw(st.sampled_from(["web", "app", "tv"]))
        if draw(st.integers(0, 3)) == 0:
            rule["where"] = {"amount": draw(st.sampled_from([1, 2, "3"]))}
        rule["first_only"] = draw(st.integers(0, 3)) == 0
        out.append((f"t{i}", draw(st.sampled_from(["awareness", "decision"])), rule))
    return out


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=logs(), rules=bindings(), window=st.sampled_from([5, 20, 10_000]))
def test_generated_logs_agree_with_the_ibis_plan(
    small: Journey,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, int, str, str, int]],
    rules: list[tuple[str, str, dict[str, Any]]],
    window: int,
) -> None:
    folder = tmp_path_factory.mktemp("gen")
    lines = ["who,at,what,via,amount"] + [
        f"{w},{(START + dt.timedelta(minutes=m)).isoformat()},{e},{c},{a}" for w, m, e, c, a in rows
    ]
    (folder / "log.csv").write_text("\n".join(lines) + "\n")
    spec = SourceSpec(
        source={"path": "log.csv"},
        columns={
            "customer": "who",
            "timestamp": "at",
            "event": "what",
            "channel": "via",
            "properties": ["amount"],
        },
    )
    data = ingest(spec, folder, folder / "d").store
    journey = apply_all(small, [touchpoint(i, stage, rule) for i, stage, rule in rules])
    both(data, journey, window_ms=window * 60_000, paths=50)


def test_slices_cut_anywhere_give_the_same_numbers(
    small: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.spec_file import load_source_spec
    from journeymap.services.templates import new_journey

    source = generate(tmp_path, 3000, seed=5, customers=40)  # long histories
    data = ingest(load_source_spec(source), tmp_path, tmp_path / "d").store
    journey = new_journey(template="online-store-checkout")
    whole = measure_store(data, journey, paths=30)
    for rows in (1, 7, 500):
        monkeypatch.setattr(store_measures, "SLICE_ROWS", rows)
        assert same(measure_store(data, journey, paths=30), whole), rows
    assert same(whole, measure_all(open_store(data), journey, paths=30))


def test_results_as_arrow_pandas_and_polars(small: Journey, tmp_path: Path) -> None:
    import pyarrow as pa

    data = store(tmp_path)
    measured = measure_store(data, bound_journey(small))
    moves = measured.to_arrow("transitions")
    assert moves.schema.field("count").type == pa.int64()
    assert moves.column("source").to_pylist() == ["ad", "ad", "checkout", "checkout"]
    assert measured.to_pandas("funnel")["customers"].tolist() == [4, 2]
    assert measured.to_polars("drop_off")["leavers"].to_list() == [2]  # u2 and u4, at the ad
    assert measured.to_arrow("paths").column("touchpoints")[0].as_py() == ["ad", "checkout"]
    empty = measure_store(data, bound_journey(small), window_ms=1)
    assert empty.to_arrow("transitions").num_rows == 4  # transitions need no window
    none = empty.to_arrow("funnel").column("median_ms").to_pylist()
    assert none == [None, None]  # nobody reached the second stage within 1 ms


def test_a_name_listed_twice_counts_once(small: Journey, tmp_path: Path) -> None:
    """Found by the generated logs: the Ibis plan counted such events twice."""
    journey = apply_all(small, [touchpoint("twice", "awareness", {"names": ["ad_click"] * 2})])
    ours, _ = both(store(tmp_path), journey)
    assert {r.id: r for r in ours.touchpoints}["twice"] == Reach("twice", 4, 5)


def test_the_measuring_pass_keeps_the_bound_events_of_a_pass_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """StorePlan(keep_bound=True).bound (the pain points' events, from the measuring pass) is
    bound_events' own read, in store order however the slices finish, with the same measures."""
    import numpy as np

    from journeymap.analytics.demo_data import generate
    from journeymap.analytics.plan import MeasureOptions, measure
    from journeymap.analytics.spec_file import load_source_spec
    from journeymap.analytics.store_bound import bound_events
    from journeymap.services.templates import new_journey

    source = generate(tmp_path, 3000, seed=5, customers=40)
    data = ingest(load_source_spec(source), tmp_path, tmp_path / "d").store
    journey = new_journey(template="online-store-checkout")
    options = MeasureOptions.for_journey(journey, paths=30)
    for rows in (7, 500, store_measures.SLICE_ROWS):
        monkeypatch.setattr(store_measures, "SLICE_ROWS", rows)
        plan = store_measures.StorePlan(data, keep_bound=True)
        assert same(measure(plan, journey, options), measure_store(data, journey, paths=30))
        alone = bound_events(data, journey)
        kept = plan.bound
        assert (kept.touchpoints, kept.data_end, kept.customers) == (
            alone.touchpoints,
            alone.data_end,
            alone.customers,
        )
        for column in ("customer", "ts", "code"):
            mine, theirs = getattr(kept, column), getattr(alone, column)
            assert mine.dtype == theirs.dtype == np.int64, column
            assert np.array_equal(mine, theirs), (rows, column)
        assert len(kept.code) > 0
