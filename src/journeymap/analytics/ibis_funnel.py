"""The stage funnel and drop-off in Ibis, on any backend (DuckDB, Spark).

The same definitions as store_funnel.py (docs/analytics.md): a try starts at an entry into the
first stage (the customer's first; with re-entry, any); it reaches each later stage at the
first entry at or after reaching the stage before, within the window (from the try's start,
or from the stage before); a customer counts once, on their furthest try, the earliest of
equally far ones; they leave when that try fell short and no try of theirs has time left when
the data ends, at their last bound touchpoint before that try's window closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .plan import MeasureOptions


@dataclass
class Counted:
    """The counted try of every customer in the funnel: `customer_key`, `s0` (its start), `t0`
    .. `t{K-1}` (when it reached each stage, NULL past its furthest), `far` (the furthest
    stage's index), `closes` (when its window closed) and `leaving` (counted as a leaver)."""

    table: Any
    stages: int


def counted_tries(
    entries: Any, stages: list[str], options: MeasureOptions, data_end: Any
) -> Counted:
    import ibis

    first = entries.filter(entries.stage == stages[0])
    if options.reentry:
        tries = first.select("customer_key", s0=first.ts).distinct()
    else:
        tries = first.group_by("customer_key").aggregate(s0=first.ts.min())
    tries = tries.mutate(t0=tries.s0)
    window = options.window_ms
    for k in range(1, len(stages)):
        here = entries.filter(entries.stage == stages[k])
        here = here.select(_ck=here.customer_key, _ts=here.ts)
        before = tries[f"t{k - 1}"]
        alive = tries.filter(before.notnull())
        joined = alive.join(here, alive.customer_key == here._ck)
        since = joined.s0 if options.window_from == "first" else joined[f"t{k - 1}"]
        joined = joined.filter((joined._ts >= joined[f"t{k - 1}"]) & (joined._ts <= since + window))
        reached = joined.group_by(["customer_key", "s0"]).aggregate(_t=joined._ts.min())
        reached = reached.select(_rk=reached.customer_key, _rs=reached.s0, _t=reached._t)
        tries = tries.left_join(
            reached, [tries.customer_key == reached._rk, tries.s0 == reached._rs]
        )
        tries = tries.mutate(**{f"t{k}": tries._t}).drop("_rk", "_rs", "_t")
    last = len(stages) - 1
    far = sum((tries[f"t{k}"].notnull().cast("int64") for k in range(1, last + 1)), ibis.literal(0))
    tries = tries.mutate(far=far)
    reached_at = ibis.coalesce(*(tries[f"t{k}"] for k in range(last, -1, -1)))
    since = tries.s0 if options.window_from == "first" else reached_at
    tries = tries.mutate(closes=since + window)
    tries = tries.mutate(open=(tries.far < last) & (tries.closes > data_end))
    best = ibis.window(group_by=tries.customer_key, order_by=[ibis.desc(tries.far), tries.s0])
    anyone_open = tries.open.cast("int64").max().over(group_by=tries.customer_key)
    tries = tries.mutate(_n=ibis.row_number().over(best), _open=anyone_open)
    counted = tries.filter(tries._n == 0)
    counted = counted.mutate(leaving=(counted.far < last) & (counted._open == 0))
    return Counted(counted.drop("_n", "_open", "open"), len(stages))


def funnel_counts(counted: Counted) -> list[tuple[int, float | None, float | None]]:
    """(customers, median gap, p90 gap) per stage, in one aggregate."""
    t = counted.table
    metrics: dict[str, Any] = {}
    for k in range(counted.stages):
        metrics[f"n{k}"] = (t.far >= k).cast("int64").sum()
        if k:  # NULL past a try's furthest stage, which aggregates skip (Spark wants a
            # constant quantile, so no `where=`)
            gap = t[f"t{k}"] - t[f"t{k - 1}"]
            metrics[f"m{k}"] = gap.median()
            metrics[f"p{k}"] = gap.quantile(0.9)
    row = t.aggregate(**metrics).to_pyarrow().to_pylist()[0]
    out: list[tuple[int, float | None, float | None]] = []
    for k in range(counted.stages):
        median = row.get(f"m{k}")
        p90 = row.get(f"p{k}")
        out.append(
            (
                int(row[f"n{k}"] or 0),
                None if median is None else float(median),
                None if p90 is None else float(p90),
            )
        )
    return out


def leavers(bound: Any, counted: Counted) -> dict[str, int]:
    """Leavers per touchpoint: each one's last bound touchpoint at or before their counted
    try's window closed (ties: the later source row, then the later touchpoint id)."""
    import ibis

    who = counted.table.filter(counted.table.leaving)
    who = who.select(_ck=who.customer_key, _closes=who.closes)
    seen = bound.join(who, bound.customer_key == who._ck)
    seen = seen.filter(seen.ts <= seen._closes)
    order = ibis.window(
        group_by=seen.customer_key,
        order_by=[ibis.desc(seen.ts), ibis.desc(seen.source_row), ibis.desc(seen.touchpoint)],
    )
    last = seen.mutate(_n=ibis.row_number().over(order))
    last = last.filter(last._n == 0)
    rows = last.group_by("touchpoint").aggregate(n=last.count()).to_pyarrow().to_pylist()
    return {r["touchpoint"]: int(r["n"]) for r in rows}
