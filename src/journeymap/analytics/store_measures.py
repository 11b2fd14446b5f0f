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

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.cards import EventBinding, TouchpointCard
from ..domain.model import Journey
from .measures import (
    DAY_MS,
    PATH_STEPS,
    BindingError,
    DropOff,
    FunnelStep,
    Measures,
    Reach,
    Transition,
    _comparable_value,
    _missing_column,
    _regex,
)
from .measures import (
    Path as TouchpointPath,
)
from .store import as_numpy, check_slice_sorted, check_sorted, read_dictionary

SLICE_ROWS = 2_000_000  # rows read at a time (about 50 MB of columns), whole customers each
NEVER = 2**62  # "not reached" in per-customer time arrays
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
    patterns = [re.compile(_regex(p)) for p in rule.patterns]
    lookup = np.array(
        [n in wanted or any(p.search(n or "") for p in patterns) for n in names], dtype=bool
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
    pair_gaps: list[Any] = field(default_factory=list)  # (pair code, gap) arrays per slice
    paths: Counter[bytes] = field(default_factory=Counter)
    leavers: Any = None


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


def _slice(plan: _Plan, cols: dict[str, Any], totals: _Totals, window_ms: int) -> None:
    import numpy as np

    ck, ts = cols["customer_key"], cols["ts"]
    base = int(ck[0])
    customers = int(ck[-1]) - base + 1
    local = (ck - base).astype(np.int64)  # customer index within the slice
    rows, tp = _bind(plan, cols)
    b_ck, b_ts = local[rows], ts[rows]
    n_tp, n_st = len(plan.touchpoints), len(plan.stages)

    # Reach: events by counting, customers by marking (customer, touchpoint) cells.
    totals.tp_events += np.bincount(tp, minlength=n_tp)
    seen = np.zeros(customers * n_tp, dtype=bool)
    seen[b_ck * n_tp + tp] = True
    totals.tp_customers += seen.reshape(customers, n_tp).sum(axis=0)

    # Stage entries: the bound events' stages, and each stage's own entry events.
    parts = [(b_ck, b_ts, plan.stage_of[tp])]
    for stage, rule in plan.entry_rules:
        hit = _matches(rule, cols)
        parts.append((local[hit], ts[hit], np.full(len(hit), stage, dtype=np.int64)))
    seen_stage = np.zeros(customers * n_st, dtype=bool)
    for who, _, stage in parts:
        totals.stage_events += np.bincount(stage, minlength=n_st)
        seen_stage[who * n_st + stage] = True
    totals.stage_customers += seen_stage.reshape(customers, n_st).sum(axis=0)

    # The funnel: a customer reaches a stage at their first entry at or after reaching the
    # stage before, within the window. Each part is in time order per customer, so the first
    # eligible row of a customer is their earliest. A stable sort by stage (a radix sort on
    # these small codes) splits each part by stage and keeps that order.
    split = []
    for who, when, stage in parts:
        order = np.argsort(stage.astype(np.int16), kind="stable")
        bounds = np.searchsorted(stage[order], np.arange(n_st + 1), sorter=None)
        split.append((who[order], when[order], bounds))
    before = None
    for s in range(n_st):
        reached = np.full(customers, NEVER, dtype=np.int64)
        for who, when, bounds in split:
            w, t = who[bounds[s] : bounds[s + 1]], when[bounds[s] : bounds[s + 1]]
            if before is not None:
                since = before[w]
                ok = (since != NEVER) & (t >= since) & (t <= since + window_ms)
                w, t = w[ok], t[ok]
            first = _first_of_runs(w)
            w, t = w[first], t[first]  # one row a customer: plain indexing is safe
            reached[w] = np.minimum(reached[w], t)
        hit = reached != NEVER
        totals.funnel_count[s] += int(hit.sum())
        if before is not None:
            totals.funnel_gaps[s].append(reached[hit] - before[hit])
        before = reached
    finished = before != NEVER if before is not None else np.zeros(customers, dtype=bool)

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
    keys, counts = np.unique(trail.view(f"V{2 * (PATH_STEPS + 1)}").ravel(), return_counts=True)
    for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
        totals.paths[bytes(key)] += count

    # Drop-off: a leaver's last bound event, for customers who never reached the last stage.
    last = np.r_[b_ck[1:] != b_ck[:-1], True] if len(b_ck) else np.zeros(0, dtype=bool)
    leaving = last & ~finished[b_ck]
    totals.leavers += np.bincount(tp[leaving], minlength=n_tp)


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


def measure_store(
    store: Path, journey: Journey, window_ms: int = 30 * DAY_MS, paths: int = 10
) -> Measures:
    """`measures.measure_all` on the local store: the same numbers, computed in NumPy. Slices
    are measured on a thread per core (NumPy lets go of the GIL in its loops), each into
    totals of its own, merged as they finish: sums and lists, so the order is immaterial."""
    import os
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    words = read_dictionary(store, customers=False)
    kinds = _store_kinds(store, words)
    plan = _plan(journey, words, kinds)
    totals = _new_totals(plan)

    def measure(cols: dict[str, Any]) -> _Totals:
        part = _new_totals(plan)
        _slice(plan, cols, part, window_ms)
        return part

    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        pending: set[Any] = set()
        for cols in _read_slices(store, plan.columns):
            if len(pending) >= workers:  # at most one slice a worker in memory
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    _merge(totals, future.result())
            pending.add(pool.submit(measure, cols))
        for future in pending:
            _merge(totals, future.result())
    return _results(plan, totals, paths)


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
    into.paths.update(part.paths)


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


def _results(plan: _Plan, totals: _Totals, n_paths: int) -> Measures:
    import numpy as np

    ids = plan.touchpoints
    index = {t: i for i, t in enumerate(ids)}
    touchpoints = [
        Reach(t, int(totals.tp_customers[index[t]]), int(totals.tp_events[index[t]]))
        for t in plan.map_order
    ]
    stages = [
        Reach(s, int(totals.stage_customers[i]), int(totals.stage_events[i]))
        for i, s in enumerate(plan.stages)
    ]
    funnel: list[FunnelStep] = []
    for i, s in enumerate(plan.stages):
        count = int(totals.funnel_count[i])
        gaps = np.concatenate(totals.funnel_gaps[i]) if totals.funnel_gaps[i] else np.zeros(0)
        median, p90 = _quantiles(gaps) if i else (None, None)
        before = funnel[-1].customers if funnel else None
        first = funnel[0].customers if funnel else count
        funnel.append(
            FunnelStep(
                s,
                count,
                conversion=None if before is None else (count / before if before else 0.0),
                overall=count / first if first else None,
                median_ms=median,
                p90_ms=p90,
            )
        )
    transitions = _transitions(ids, totals)
    return Measures(
        touchpoints=touchpoints,
        stages=stages,
        funnel=funnel,
        transitions=transitions,
        paths=_top_paths(ids, totals.paths, n_paths),
        drop_off=_drop_off(ids, totals.leavers),
    )


def _transitions(ids: list[str], totals: _Totals) -> list[Transition]:
    out = []
    n_tp = len(ids)
    medians = _median_gaps(totals.pair_gaps)
    for src in range(n_tp):
        row = totals.pair_count[src * n_tp : (src + 1) * n_tp]
        total = int(row.sum())
        for dst in sorted(row.nonzero()[0].tolist(), key=lambda d: (-row[d], d)):
            share = row[dst] / total
            out.append(
                Transition(ids[src], ids[dst], int(row[dst]), share, medians[src * n_tp + dst])
            )
    return out


def _median_gaps(parts: list[tuple[Any, Any]]) -> dict[int, float]:
    """The exact median gap of each pair code. DuckDB's grouped median, over the slices'
    arrays as they are (Arrow, no copy), runs on every core and beats grouping ten million
    gaps by a sort in NumPy by about three times."""
    import duckdb
    import pyarrow as pa

    if not parts:
        return {}
    gaps = pa.table(  # noqa: F841 (DuckDB reads it by name)
        {
            "pair": pa.chunked_array([p for p, _ in parts], pa.int64()),
            "gap": pa.chunked_array([g for _, g in parts], pa.int64()),
        }
    )
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT pair, median(gap) FROM gaps GROUP BY pair").fetchall()
    finally:
        con.close()
    return {int(p): float(m) for p, m in rows}


def _top_paths(ids: list[str], counts: Counter[bytes], n: int) -> list[TouchpointPath]:
    import numpy as np

    if not counts:
        return []
    floor = sorted(counts.values(), reverse=True)[min(n, len(counts)) - 1]
    paths = []
    for key, customers in counts.items():
        if customers < floor:
            continue
        steps = np.frombuffer(key, dtype=np.uint16)
        trail = tuple(ids[c] for c in steps[:PATH_STEPS].tolist() if c != NO_STEP)
        longer = bool(steps[PATH_STEPS])
        paths.append(TouchpointPath((*trail, "…") if longer else trail, customers))
    paths.sort(key=lambda p: (-p.customers, "\x1f".join(p.touchpoints)))
    return paths[:n]


def _drop_off(ids: list[str], leavers: Any) -> list[DropOff]:
    total = int(leavers.sum())
    rows = [(ids[i], int(v)) for i, v in enumerate(leavers.tolist()) if v]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return [DropOff(t, count, count / total) for t, count in rows]
