"""The evidence build on the local store, in NumPy: the DuckDB backend's own plan.

`measures.measure_all` states every measure once, in Ibis, and runs on any backend. On the local
store the same answers come several times faster from a plan that uses what ingest guarantees:
rows sorted by customer, time and source row; dense integer customer keys; events and channels
as small integer codes. Binding then tests a code against a lookup table, "the event before"
is the row before, and a customer's first or last event is the first or last row of a run, so
nothing is sorted, joined or windowed. The store is read in slices of whole customers, so
memory stays bounded by the slice, not the store. The contract suite checks that this plan,
the Ibis plan on DuckDB and the Ibis plan on Spark give the same numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.cards import EventBinding, TouchpointCard
from ..domain.globs import glob_match
from ..domain.model import Journey
from .errors import BindingError
from .measures import _comparable_value, _missing_column
from .plan import PATH_STEPS, MeasureOptions, Measures, Tallies, assemble
from .store import as_numpy, check_slice_sorted, check_sorted, read_dictionary
from .store_funnel import FunnelPart, funnel_part

SLICE_ROWS = 2_000_000  # rows read at a time (about 50 MB of columns), whole customers each
DUCKDB_MEDIANS_FROM = 2_000_000  # gaps; fewer are grouped by a sort in NumPy
NO_STEP = 65_535  # an empty place in a path (touchpoint codes are below it)


@dataclass
class _Rule:
    """A binding resolved against the store's dictionary."""

    events: Any  # boolean lookup table over event codes
    channel: int | None  # the channel's code; -2 when the store never saw the channel
    where: list[tuple[str, float | int]]  # (column, number or text code); code -2: never seen
    first_only: bool


@dataclass
class _Plan:
    touchpoints: list[str]  # bound touchpoint ids, sorted: a code is an index here
    map_order: list[str]  # the same ids in map order, for the results
    rules: list[_Rule]  # by touchpoint code
    stage_of: Any  # touchpoint code -> stage code
    stages: list[str]  # live stages, in order: a stage code is an index here
    entry_rules: list[tuple[int, _Rule]]  # (stage code, rule) of stages' entry events
    columns: list[str]  # the store columns the rules read


def _resolve(
    rule: EventBinding, owner: str, words: dict[str, list[str | None]], kinds: dict[str, str]
) -> _Rule:
    import numpy as np

    names = words.get("event", [])
    wanted = set(rule.names)
    lookup = np.array(  # each distinct event name matched once, in linear steps
        [n in wanted or any(glob_match(p, n or "") for p in rule.patterns) for n in names],
        dtype=bool,
    )
    channel = None
    if rule.channel is not None:
        known = words.get("channel", [])
        channel = known.index(rule.channel) if rule.channel in known else -2
    where: list[tuple[str, float | int]] = []
    for prop, value in rule.where.items():
        if prop not in kinds:
            raise BindingError(_missing_column(owner, prop, list(kinds)))
        compared = _comparable_value(kinds[prop] == "number", value, owner, prop)
        column = "customer_key" if prop == "customer" else prop
        if isinstance(compared, str):
            known = words.get(prop, [])
            where.append((column, known.index(compared) if compared in known else -2))
        else:
            where.append((column, compared))
    return _Rule(lookup, channel, where, rule.first_only)


def _plan(journey: Journey, words: dict[str, list[str | None]], kinds: dict[str, str]) -> _Plan:
    import numpy as np

    bound = [
        c for c in journey.live_cards() if isinstance(c, TouchpointCard) and c.events is not None
    ]
    if not bound:
        raise BindingError(
            "no touchpoint has `events:`; bind some to measure the map "
            "(`journeymap bind --suggest` proposes bindings)"
        )
    stages = [s.id for s in journey.live_stages()]
    by_id = {c.id: c for c in bound}
    ids = sorted(by_id)
    rules = [_resolve(by_id[i].events, f"touchpoint '{i}'", words, kinds) for i in ids]  # type: ignore[arg-type]
    entry = [
        (stages.index(s.id), _resolve(s.entry_events, f"stage '{s.id}'", words, kinds))
        for s in journey.live_stages()
        if s.entry_events is not None
    ]
    stage_of = np.array([stages.index(by_id[i].stage) for i in ids], dtype=np.int64)
    read = {c for r in [*rules, *(r for _, r in entry)] for c, _ in r.where} - {"event"}
    if any(r.channel is not None for r in [*rules, *(r for _, r in entry)]):
        read.add("channel")
    return _Plan(ids, [c.id for c in bound], rules, stage_of, stages, entry, sorted(read))


def _matches(rule: _Rule, cols: dict[str, Any]) -> Any:
    """Row indices (ascending) of the slice's rows the rule matches."""
    import numpy as np

    mask = rule.events[cols["event"]]
    if rule.channel is not None:
        mask &= cols["channel"] == rule.channel
    for column, value in rule.where:
        mask &= cols[column] == value
    rows = np.flatnonzero(mask)
    if rule.first_only:  # the first matching row of each customer
        ck = cols["customer_key"][rows]
        rows = rows[np.r_[True, ck[1:] != ck[:-1]]] if len(rows) else rows
    return rows


def _first_of_runs(keys: Any) -> Any:
    import numpy as np

    return np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)


@dataclass
class _Totals:
    """What the slices add up to; every part merges by addition or concatenation."""

    tp_events: Any
    tp_customers: Any
    stage_events: Any
    stage_customers: Any
    funnel_count: Any
    funnel_gaps: list[list[Any]]
    pair_count: Any
    leavers: Any
    pair_gaps: list[Any] = field(default_factory=list)  # (pair code, gap) arrays per slice
    # each slice's distinct paths (trails as bytes, NumPy void) and their customers
    paths: list[tuple[Any, Any]] = field(default_factory=list)
    # the bound rows, when kept: (slice number, customer keys, times, touchpoint codes, the
    # slice's last customer key)
    bound: list[tuple[int, Any, Any, Any, int]] = field(default_factory=list)


def _bind(plan: _Plan, cols: dict[str, Any]) -> tuple[Any, Any]:
    """(row, touchpoint code) of every bound event, in (row, touchpoint id) order: the Ibis
    plan's order (time, source row, touchpoint id), because rows are in time order already."""
    import numpy as np

    n = len(cols["event"])
    # Rules that only name events share one lookup from event code to touchpoint code.
    simple = [
        (code, r)
        for code, r in enumerate(plan.rules)
        if r.channel is None and not r.where and not r.first_only
    ]
    owners = np.zeros(len(plan.rules[0].events), dtype=np.int64)
    for _, r in simple:
        owners += r.events
    if owners.max(initial=0) <= 1:
        lookup = np.full(len(owners) + 1, -1, dtype=np.int16)  # last: no event code (-1)
        for code, r in simple:
            lookup[:-1][r.events] = code
        label = lookup[cols["event"]]
        clash = False
        for code, r in enumerate(plan.rules):
            if (code, r) in simple:
                continue
            rows = _matches(r, cols)
            clash = clash or bool((label[rows] >= 0).any())
            label[rows] = code
        if not clash:
            rows = np.flatnonzero(label >= 0)
            return rows, label[rows].astype(np.int64)
    # Some event means two touchpoints: it counts for both, in touchpoint id order.
    hits = [_matches(rule, cols) for rule in plan.rules]
    per_row = np.zeros(n, dtype=np.int64)
    for rows in hits:
        per_row[rows] += 1
    start = np.cumsum(per_row) - per_row
    rows = np.repeat(np.arange(n), per_row)
    codes = np.empty(len(rows), dtype=np.int64)
    filled = np.zeros(n, dtype=np.int64)
    for code, hit in enumerate(hits):  # ascending codes
        codes[start[hit] + filled[hit]] = code
        filled[hit] += 1
    return rows, codes


def _slice(
    plan: _Plan,
    cols: dict[str, Any],
    totals: _Totals,
    options: MeasureOptions,
    data_end: int,
    keep: int | None = None,  # the slice's number, to keep its bound rows (store_bound.py)
) -> None:
    import numpy as np

    ck, ts = cols["customer_key"], cols["ts"]
    base = int(ck[0])
    customers = int(ck[-1]) - base + 1
    local = (ck - base).astype(np.int64)  # customer index within the slice
    rows, tp = _bind(plan, cols)
    b_ck, b_ts = local[rows], ts[rows]
    if keep is not None:
        totals.bound.append((keep, ck[rows], b_ts, tp, int(ck[-1])))
    n_tp, n_st = len(plan.touchpoints), len(plan.stages)

    # Reach: events by counting, customers by marking (customer, touchpoint) cells.
    totals.tp_events += np.bincount(tp, minlength=n_tp)
    seen = np.zeros(customers * n_tp, dtype=bool)
    seen[b_ck * n_tp + tp] = True
    totals.tp_customers += seen.reshape(customers, n_tp).sum(axis=0)

    # Stage entries: the bound events' stages, and each stage's own entry events. A stage's
    # events are the distinct rows that enter it (a row bound twice, or bound and an entry
    # event too, enters it once).
    parts = [(b_ck, b_ts, plan.stage_of[tp])]
    entered = [rows * max(n_st, 1) + plan.stage_of[tp]]
    for stage, rule in plan.entry_rules:
        hit = _matches(rule, cols)
        parts.append((local[hit], ts[hit], np.full(len(hit), stage, dtype=np.int64)))
        entered.append(hit * n_st + stage)
    seen_stage = np.zeros(customers * n_st, dtype=bool)
    for who, _, stage in parts:
        seen_stage[who * n_st + stage] = True
    totals.stage_customers += seen_stage.reshape(customers, n_st).sum(axis=0)
    if n_st:  # marks, not np.unique: no sort
        marks = np.zeros(len(cols["event"]) * n_st, dtype=bool)
        for cells in entered:
            marks[cells] = True
        totals.stage_events += marks.reshape(-1, n_st).sum(axis=0)

    # The funnel and drop-off (store_funnel.py has the definitions).
    part: FunnelPart = funnel_part(
        parts, (b_ck, b_ts, tp), customers, n_st, n_tp, options, data_end
    )
    totals.funnel_count += part.reached
    for s, gaps in enumerate(part.gaps):
        totals.funnel_gaps[s].append(gaps)
    totals.leavers += part.leavers

    # Transitions: the touchpoint before is the bound row before, for the same customer.
    same = b_ck[1:] == b_ck[:-1]
    pair = (tp[:-1] * n_tp + tp[1:])[same]
    totals.pair_count += np.bincount(pair, minlength=n_tp * n_tp)
    totals.pair_gaps.append((pair, (b_ts[1:] - b_ts[:-1])[same]))

    # Paths: moves are bound rows that change touchpoint (repeats in a row count once).
    new_customer = _first_of_runs(b_ck)
    moved = new_customer | np.r_[True, tp[1:] != tp[:-1]]
    m_ck, m_tp = b_ck[moved], tp[moved]
    starts = np.flatnonzero(_first_of_runs(m_ck))
    lengths = np.diff(np.r_[starts, len(m_ck)])
    places = np.arange(PATH_STEPS)
    taken = places[None, :] < lengths[:, None]  # (customer, step) cells a move fills
    trail = np.full((len(starts), PATH_STEPS + 1), NO_STEP, dtype=np.uint16)
    trail[:, :PATH_STEPS][taken] = m_tp[(starts[:, None] + places[None, :])[taken]]
    trail[:, PATH_STEPS] = lengths > PATH_STEPS
    totals.paths.append(
        np.unique(trail.view(f"V{2 * (PATH_STEPS + 1)}").ravel(), return_counts=True)
    )


def _read_slices(store: Path, columns: list[str]) -> Any:
    """The store's columns in slices of whole customers (a customer's rows never split), each
    checked to be in the store's order: everything here relies on it."""
    import numpy as np
    import pyarrow.parquet as pq

    check_sorted(store)
    names = list(dict.fromkeys(["customer_key", "ts", "source_row", "event", *columns]))
    carry: dict[str, Any] | None = None
    for batch in pq.ParquetFile(store).iter_batches(batch_size=SLICE_ROWS, columns=names):
        cols = {n: as_numpy(batch.column(n)) for n in names}
        if carry is not None:
            cols = {n: np.concatenate([carry[n], cols[n]]) for n in names}
        ck = cols["customer_key"]
        check_slice_sorted(store, ck, cols["ts"], cols["source_row"])
        cut = int(np.searchsorted(ck, ck[-1]))  # the last customer may go on in the next batch
        carry = {n: v[cut:] for n, v in cols.items()}
        if cut:
            yield {n: v[:cut] for n, v in cols.items()}
    if carry is not None and len(carry["customer_key"]):
        yield carry


class StorePlan:
    """The plan on the local store (see the module's docstring): `plan.Plan`. With
    `keep_bound`, `bound` is then the bound events the measures counted
    (`store_bound.BoundEvents`, what the pain points read): the same binding of the same
    rows, kept from the one pass instead of reading and binding the store a second time."""

    def __init__(self, store: Path | str, keep_bound: bool = False) -> None:
        self.store = Path(store)
        self.keep_bound = keep_bound
        self.bound: Any = None  # store_bound.BoundEvents, after `tallies` with keep_bound

    def tallies(self, journey: Journey, options: MeasureOptions) -> Tallies:
        """Slices are measured on a thread per core (NumPy lets go of the GIL in its loops),
        each into totals of its own, merged as they finish: sums and lists, so the order is
        immaterial. The paths are only those that can be among the top `options.paths`."""
        import os
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        check_sorted(self.store)
        words = read_dictionary(self.store, customers=False)
        kinds = _store_kinds(self.store, words)
        plan = _plan(journey, words, kinds)
        data_end = _last_time(self.store)
        totals = _new_totals(plan)

        def measure(cols: dict[str, Any], number: int) -> _Totals:
            part = _new_totals(plan)
            _slice(plan, cols, part, options, data_end, number if self.keep_bound else None)
            return part

        workers = max(1, min(4, os.cpu_count() or 1))
        with ThreadPoolExecutor(workers) as pool:
            pending: set[Any] = set()
            for number, cols in enumerate(_read_slices(self.store, plan.columns)):
                if len(pending) >= workers:  # at most one slice a worker in memory
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        _merge(totals, future.result())
                pending.add(pool.submit(measure, cols, number))
            for future in pending:
                _merge(totals, future.result())
        if self.keep_bound:
            from .store_bound import joined

            self.bound = joined(plan.touchpoints, totals.bound, data_end)
        return _tallies(plan, totals, options.paths)


def measure_store(
    store: Path | str,
    journey: Journey,
    window_ms: int | None = None,
    paths: int = 10,
    options: MeasureOptions | None = None,
) -> Measures:
    """Every measure of the map on the local store, in NumPy: the journey's funnel settings,
    unless `options` (or `window_ms`) says otherwise."""
    if options is None:
        options = MeasureOptions.for_journey(journey, window_ms=window_ms, paths=paths)
    return assemble(StorePlan(store).tallies(journey, options), journey, options)


def _last_time(store: Path) -> int:
    """The store's latest event time, from the footer's statistics (no rows read)."""
    import pyarrow.parquet as pq

    meta = pq.read_metadata(store)
    column = meta.schema.names.index("ts")
    ends = [meta.row_group(i).column(column).statistics for i in range(meta.num_row_groups)]
    return max((int(s.max) for s in ends if s is not None and s.has_min_max), default=0)


def _new_totals(plan: _Plan) -> _Totals:
    import numpy as np

    n_tp, n_st = len(plan.touchpoints), len(plan.stages)
    return _Totals(
        tp_events=np.zeros(n_tp, dtype=np.int64),
        tp_customers=np.zeros(n_tp, dtype=np.int64),
        stage_events=np.zeros(n_st, dtype=np.int64),
        stage_customers=np.zeros(n_st, dtype=np.int64),
        funnel_count=np.zeros(n_st, dtype=np.int64),
        funnel_gaps=[[] for _ in range(n_st)],
        pair_count=np.zeros(n_tp * n_tp, dtype=np.int64),
        leavers=np.zeros(n_tp, dtype=np.int64),
    )


def _merge(into: _Totals, part: _Totals) -> None:
    for name in (
        "tp_events",
        "tp_customers",
        "stage_events",
        "stage_customers",
        "funnel_count",
        "pair_count",
        "leavers",
    ):
        setattr(into, name, getattr(into, name) + getattr(part, name))
    for mine, theirs in zip(into.funnel_gaps, part.funnel_gaps, strict=True):
        mine.extend(theirs)
    into.pair_gaps.extend(part.pair_gaps)
    into.paths.extend(part.paths)
    into.bound.extend(part.bound)


def _store_kinds(store: Path, words: dict[str, list[str | None]]) -> dict[str, str]:
    """Each property column of the store: 'number' or 'text' (a coded column)."""
    import pyarrow.parquet as pq

    kinds = {"customer_key": "number", "customer": "text", "ts": "number", "event": "text"}
    kinds |= {"channel": "text", "source_row": "number"}
    for name in pq.read_schema(store).names:
        kinds.setdefault(name, "text" if name in words else "number")
    return kinds


def _quantiles(values: Any) -> tuple[float | None, float | None]:
    """Exact median and p90, interpolated between neighbours (DuckDB's quantile_cont, Spark's
    percentile)."""
    import numpy as np

    if not len(values):
        return None, None
    median, p90 = np.quantile(values, [0.5, 0.9])
    return float(median), float(p90)


def _tallies(plan: _Plan, totals: _Totals, top: int = 0) -> Tallies:
    import numpy as np

    ids, n_tp = plan.touchpoints, len(plan.touchpoints)
    funnel = []
    for i in range(len(plan.stages)):
        gaps = np.concatenate(totals.funnel_gaps[i]) if totals.funnel_gaps[i] else np.zeros(0)
        median, p90 = _quantiles(gaps) if i else (None, None)
        funnel.append((int(totals.funnel_count[i]), median, p90))
    medians = _median_gaps(totals.pair_gaps)
    pairs = {
        (ids[code // n_tp], ids[code % n_tp]): (int(totals.pair_count[code]), medians[code])
        for code in np.flatnonzero(totals.pair_count).tolist()
    }
    paths: Counter[tuple[tuple[str, ...], bool]] = Counter()
    for key, customers in _top_trails(totals.paths, top):
        steps = np.frombuffer(key, dtype=np.uint16)
        trail = tuple(ids[c] for c in steps[:PATH_STEPS].tolist() if c != NO_STEP)
        paths[(trail, bool(steps[PATH_STEPS]))] += customers
    return Tallies(
        reach={
            t: (int(totals.tp_customers[i]), int(totals.tp_events[i])) for i, t in enumerate(ids)
        },
        stage_reach={
            s: (int(totals.stage_customers[i]), int(totals.stage_events[i]))
            for i, s in enumerate(plan.stages)
        },
        funnel=funnel,
        transitions=pairs,
        paths=paths,
        leavers={ids[i]: int(n) for i, n in enumerate(totals.leavers.tolist()) if n},
    )


def _top_trails(parts: list[tuple[Any, Any]], top: int) -> list[tuple[bytes, int]]:
    """The slices' paths added up (trail bytes, customers), in NumPy: a path's trail maps to one
    (touchpoints, cut) and back, so no two merge later. With `top`, only those with at least
    the customers of the top-th path (ties kept): the top list is then the same, and tens of
    thousands of rare paths never become Python tuples."""
    import numpy as np

    if not parts:
        return []
    keys, where = np.unique(np.concatenate([k for k, _ in parts]), return_inverse=True)
    counts = np.bincount(where.ravel(), weights=np.concatenate([c for _, c in parts]))
    counts = counts.astype(np.int64)
    if top and len(counts) > top:
        least = np.partition(counts, len(counts) - top)[len(counts) - top]
        chosen = np.flatnonzero(counts >= least)
        keys, counts = keys[chosen], counts[chosen]
    return list(zip(keys.tolist(), counts.tolist(), strict=True))


def _median_gaps(parts: list[tuple[Any, Any]]) -> dict[int, float]:
    """The exact median gap of each pair code. Up to DUCKDB_MEDIANS_FROM gaps, a sort in NumPy;
    past it DuckDB's grouped median, which runs on every core and beats the sort by about
    three times at ten million gaps, but costs its import (a tenth of a second) first. DuckDB
    reads the NumPy arrays as they are (an Arrow table would import pandas)."""
    import numpy as np

    if not parts:
        return {}
    pair = np.concatenate([p for p, _ in parts]).astype(np.int64, copy=False)
    gap = np.concatenate([g for _, g in parts]).astype(np.int64, copy=False)
    if not len(pair):
        return {}
    if len(pair) < DUCKDB_MEDIANS_FROM:
        if len(gap) and gap.min() >= 0 and gap.max() < 2**40 and pair.max() < 2**22:
            # One sort of (pair, gap) packed in an integer: three times a lexsort's speed.
            packed = np.sort((pair << 40) | gap)
            pair, gap = packed >> 40, packed & (2**40 - 1)
        else:
            order = np.lexsort((gap, pair))
            pair, gap = pair[order], gap[order]
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        ends = np.r_[starts[1:], len(pair)]
        low, high = gap[(starts + ends - 1) // 2], gap[(starts + ends) // 2]
        return {
            int(p): (int(a) + int(b)) / 2 for p, a, b in zip(pair[starts], low, high, strict=True)
        }
    import duckdb

    gaps = {"pair": pair, "gap": gap}  # noqa: F841 (DuckDB reads it by name)
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT pair, median(gap) FROM gaps GROUP BY pair").fetchall()
    finally:
        con.close()
    return {int(p): float(m) for p, m in rows}
