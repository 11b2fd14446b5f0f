"""The stage funnel and drop-off in NumPy, for one slice of whole customers of the store.

The definitions (docs/analytics.md, "Stage funnel" and "Drop-off"): a customer's try starts at
an entry into the first stage (their first one; with re-entry, any of them). A try reaches
each later stage at its first entry at or after reaching the stage before, while the window
is open: until the try's start plus the window (`from: first`) or until reaching the stage
before plus the window (`from: previous`). A customer counts once, on their furthest try (the
earliest of equally far ones), and their times between stages come from that try. A customer
leaves when their counted try did not reach the last stage and no try of theirs still has
time left when the data ends; they leave at their last touchpoint before that try's window
closed.

Nothing is joined: entries sorted by (customer, time) make "the first entry of stage k at or
after t" one binary search per try.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .plan import MeasureOptions

NEVER = 2**62  # "not reached"


@dataclass
class FunnelPart:
    """One slice's funnel: per stage, the customers and their gaps from the stage before; and
    per touchpoint code, the customers who left there."""

    reached: Any  # customers per stage
    gaps: list[Any]  # per stage: gap arrays (empty for the first stage)
    leavers: Any  # customers per touchpoint code


def _first_of_runs(keys: Any) -> Any:
    import numpy as np

    return np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)


def funnel_part(
    parts: list[tuple[Any, Any, Any]],  # (customer, time, stage) arrays, each in (who, time) order
    bound: tuple[Any, Any, Any],  # the bound rows' (customer, time, touchpoint code)
    customers: int,
    n_stages: int,
    n_touchpoints: int,
    options: MeasureOptions,
    data_end: int,
) -> FunnelPart:
    import numpy as np

    empty = FunnelPart(
        np.zeros(n_stages, dtype=np.int64),
        [np.zeros(0, dtype=np.int64) for _ in range(n_stages)],
        np.zeros(n_touchpoints, dtype=np.int64),
    )
    if not n_stages:
        return empty
    if not any(len(p[0]) for p in parts):
        return empty
    # One integer key orders (customer, time): customer * span + time since the slice began.
    t0 = min(int(p[1].min()) for p in parts if len(p[1]))
    t_end = max(int(p[1].max()) for p in parts if len(p[1]))
    span = t_end - t0 + 2  # times are clipped to t_end + 1 in queries
    if customers * span >= 2**62:
        raise OverflowError("a slice spans too many customers over too long a time")
    # Each part is in (customer, time) order already: split it by stage with a stable radix
    # sort on the small stage codes; a stage fed by several parts is merged by one sort.
    pieces: list[list[tuple[Any, Any]]] = [[] for _ in range(n_stages)]
    for who, when, stage in parts:
        order = np.argsort(stage.astype(np.int16, copy=False), kind="stable")
        cuts = np.searchsorted(stage[order], np.arange(n_stages + 1))
        for k in range(n_stages):
            rows = order[cuts[k] : cuts[k + 1]]
            if len(rows):
                pieces[k].append((who[rows].astype(np.int64, copy=False), when[rows]))
    by_stage: list[tuple[Any, Any, Any]] = []
    for k in range(n_stages):
        if not pieces[k]:
            zero = np.zeros(0, dtype=np.int64)
            by_stage.append((zero, zero, zero))
            continue
        k_who = np.concatenate([w for w, _ in pieces[k]])
        k_when = np.concatenate([t for _, t in pieces[k]]).astype(np.int64, copy=False)
        k_key = k_who * span + (k_when - t0)
        if len(pieces[k]) > 1:
            order = np.argsort(k_key, kind="stable")
            k_key, k_who, k_when = k_key[order], k_who[order], k_when[order]
        by_stage.append((k_key, k_who, k_when))

    def of_stage(k: int) -> tuple[Any, Any, Any]:
        return by_stage[k]

    _, first_who, first_when = of_stage(0)
    if not len(first_who):  # nobody in this slice entered the funnel
        return empty
    starts = (
        np.r_[True, (first_who[1:] != first_who[:-1]) | (first_when[1:] != first_when[:-1])]
        if options.reentry
        else _first_of_runs(first_who)
    )
    a_who, a_start = first_who[starts], first_when[starts]  # tries, in (customer, start) order
    window = options.window_ms
    times = [a_start]
    furthest = np.zeros(len(a_who), dtype=np.int64)
    alive = np.ones(len(a_who), dtype=bool)
    for k in range(1, n_stages):
        k_key, k_who, k_when = of_stage(k)
        previous = times[-1]
        deadline = (a_start if options.window_from == "first" else previous) + window
        hit = np.full(len(a_who), NEVER, dtype=np.int64)
        if len(k_key):
            at = np.searchsorted(k_key, a_who * span + (np.minimum(previous, t_end + 1) - t0))
            inside = np.minimum(at, len(k_key) - 1)
            ok = alive & (at < len(k_key)) & (k_who[inside] == a_who)
            ok &= k_when[inside] <= deadline
            hit[ok] = k_when[inside][ok]
            alive = ok
        else:
            alive = np.zeros(len(a_who), dtype=bool)
        furthest[alive] = k
        times.append(hit)

    # Each customer's counted try: the furthest, then the earliest.
    runs = np.flatnonzero(_first_of_runs(a_who))
    lengths = np.diff(np.r_[runs, len(a_who)])
    best = np.repeat(np.maximum.reduceat(furthest, runs), lengths) if len(runs) else furthest
    candidates = np.flatnonzero(furthest == best)
    chosen = candidates[_first_of_runs(a_who[candidates])]
    c_far = furthest[chosen]
    reached = np.array([(c_far >= k).sum() for k in range(n_stages)], dtype=np.int64)
    gaps = [np.zeros(0, dtype=np.int64)]
    for k in range(1, n_stages):
        there = chosen[c_far >= k]
        gaps.append(times[k][there] - times[k - 1][there])

    # Leaving: the counted try fell short, and no try has time left when the data ends.
    last_time = np.stack(times)[furthest, np.arange(len(a_who))]  # when the try got furthest
    closes = (a_start if options.window_from == "first" else last_time) + window
    short = furthest < n_stages - 1
    still_open = short & (closes > data_end)
    # One value a customer, in customer order: as `chosen` is.
    customer_open = np.logical_or.reduceat(still_open, runs) if len(runs) else still_open
    leaving = short[chosen] & ~customer_open
    leaver_who, leaver_close = a_who[chosen][leaving], closes[chosen][leaving]
    leavers = np.zeros(n_touchpoints, dtype=np.int64)
    b_who, b_when, b_tp = bound
    if len(leaver_who) and len(b_who):
        b_key = b_who.astype(np.int64) * span + (np.clip(b_when, t0, t_end + 1) - t0)
        query = leaver_who * span + (np.minimum(leaver_close, t_end + 1) - t0)
        at = np.searchsorted(b_key, query, side="right") - 1  # the last at or before closing
        found = (at >= 0) & (b_who[np.maximum(at, 0)] == leaver_who)
        leavers += np.bincount(b_tp[at[found]], minlength=n_touchpoints)
    return FunnelPart(reached, gaps, leavers)
