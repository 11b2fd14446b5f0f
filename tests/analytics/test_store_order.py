"""The store stays in its order (customer key, time, source row) through every rewrite.

The NumPy plan reads the store in slices of whole customers and takes "the event before" to
be the row before, so a store out of order loses transitions silently. Dropping exact
duplicates rewrites the store; DuckDB's threads do not keep a filter's output in order, so
that rewrite once left most stores unsorted (and, now and then, wrong counts). These tests
write many small row groups on several threads, with duplicates spread across them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.analytics import ingest as ingest_module
from journeymap.analytics.errors import StoreError
from journeymap.analytics.ingest import ingest
from journeymap.analytics.measures import measure_all, open_store
from journeymap.analytics.source_spec import SourceSpec
from journeymap.analytics.store import SORT_KEY, SORTED_BY, check_sorted
from journeymap.analytics.store_measures import measure_store
from journeymap.domain.apply import apply_all
from journeymap.domain.model import Journey

from . import helpers
from .helpers import touchpoint

EVENTS = ["visit", "cart", "pay", "ship"]
SPEC = SourceSpec(
    source={"path": "events.parquet"},
    columns={"customer": "user", "timestamp": "time", "event": "event", "properties": ["seq"]},
)


def write_log(folder: Path, rows: int, duplicates: int, seed: int) -> int:
    """A log of `rows` distinct rows (each has its own `seq`) in random customer order, with
    `duplicates` exact copies of random rows, each placed somewhere after its original; the
    copies' count."""
    rng = np.random.default_rng(seed)
    customer = rng.integers(0, rows // 8, rows)
    minute = rng.integers(0, 500, rows)  # few minutes: many ties at one time
    event = rng.integers(0, len(EVENTS), rows)
    order = list(range(rows))
    for original in rng.choice(rows, duplicates, replace=False).tolist():
        at = order.index(original)
        order.insert(int(rng.integers(at + 1, len(order) + 1)), original)
    take = np.array(order)
    pq.write_table(
        pa.table(
            {
                "user": [f"u{c:05d}" for c in customer[take]],
                "time": pa.array(
                    (1_700_000_000_000 + minute[take] * 60_000) * 1000, pa.timestamp("us", "UTC")
                ),
                "event": [EVENTS[e] for e in event[take]],
                "seq": take.astype(np.int64),
            }
        ),
        folder / "events.parquet",
    )
    return len(take) - rows


def store_order_holds(store: Path) -> bool:
    table = pq.read_table(store, columns=list(SORT_KEY))
    keys = [table[c].to_numpy() for c in reversed(SORT_KEY)]
    return bool((np.lexsort(keys) == np.arange(table.num_rows)).all())


def journey_on(small: Journey) -> Journey:
    rules = [
        ("t_visit", "awareness", {"names": ["visit"]}),
        ("t_cart", "awareness", {"names": ["cart"]}),
        ("t_pay", "decision", {"names": ["pay", "ship"]}),
    ]
    return apply_all(small, [touchpoint(i, stage, rule) for i, stage, rule in rules])


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_dropping_duplicates_keeps_the_store_sorted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    """Fails on the rewrite without ORDER BY: with two threads or more the kept rows came
    out interleaved, row groups overlapping in customers."""
    monkeypatch.setattr(ingest_module, "ROW_GROUP_ROWS", 2048)
    monkeypatch.setattr(ingest_module, "THREADS", threads)
    planted = write_log(tmp_path, 40_000, 500, seed=threads)
    result = ingest(SPEC, tmp_path, tmp_path / "data")
    assert result.report.dropped == {"exact duplicate": planted}
    assert pq.ParquetFile(result.store).num_row_groups >= 8
    assert store_order_holds(result.store)
    assert pq.read_metadata(result.store).metadata[SORTED_BY] == b"customer_key,ts,source_row"
    check_sorted(result.store)


def test_repeated_ingests_give_the_same_store_and_measures(
    small: Journey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "ROW_GROUP_ROWS", 4096)
    monkeypatch.setattr(ingest_module, "THREADS", 4)
    write_log(tmp_path, 30_000, 300, seed=11)
    journey = journey_on(small)
    digests, results = set(), []
    for run in range(3):
        store = ingest(SPEC, tmp_path, tmp_path / f"data{run}").store
        digests.add(hashlib.sha256(store.read_bytes()).hexdigest())
        ours = measure_store(store, journey, paths=50)
        assert helpers.same(ours, measure_all(open_store(store), journey, paths=50), 1e-12)
        results.append(ours)
    assert len(digests) == 1
    assert results[0] == results[1] == results[2]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.integers(200, 3000),
    duplicates=st.integers(0, 150),
    seed=st.integers(0, 2**16),
    threads=st.sampled_from([1, 2, 4]),
)
def test_planted_duplicates_change_nothing_but_the_count(
    small: Journey,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    rows: int,
    duplicates: int,
    seed: int,
    threads: int,
) -> None:
    """With duplicates planted at random, ingest drops exactly them, the store stays sorted,
    and both plans measure what they measure on the log without them."""
    monkeypatch.setattr(ingest_module, "ROW_GROUP_ROWS", 256)
    monkeypatch.setattr(ingest_module, "THREADS", threads)
    planted, clean = tmp_path_factory.mktemp("planted"), tmp_path_factory.mktemp("clean")
    copies = write_log(planted, rows, duplicates, seed)
    write_log(clean, rows, 0, seed)
    dirty_store = ingest(SPEC, planted, planted / "d")
    clean_store = ingest(SPEC, clean, clean / "d").store
    assert dirty_store.report.dropped == ({"exact duplicate": copies} if copies else {})
    assert store_order_holds(dirty_store.store)
    journey = journey_on(small)
    expected = measure_store(clean_store, journey, paths=50)
    assert measure_store(dirty_store.store, journey, paths=50) == expected
    assert helpers.same(
        measure_all(open_store(dirty_store.store), journey, paths=50), expected, 1e-12
    )


def test_the_numpy_plan_refuses_a_store_out_of_order(small: Journey, tmp_path: Path) -> None:
    write_log(tmp_path, 5000, 0, seed=3)
    store = ingest(SPEC, tmp_path, tmp_path / "data").store
    table = pq.read_table(store).replace_schema_metadata(None)
    journey = journey_on(small)
    # Written without the order in its footer (an older journeymap's store): refused.
    pq.write_table(table, store)
    with pytest.raises(StoreError, match=r"not sorted by customer and time .*--force"):
        measure_store(store, journey)
    # The footer says sorted, but rows were shuffled since: refused by the slice check.
    shuffled = table.take(np.random.default_rng(1).permutation(table.num_rows))
    pq.write_table(
        shuffled.replace_schema_metadata({SORTED_BY: b"customer_key,ts,source_row"}),
        store,
        row_group_size=10**6,
    )
    with pytest.raises(StoreError, match=r"customer \d+ is out of order"):
        measure_store(store, journey)
