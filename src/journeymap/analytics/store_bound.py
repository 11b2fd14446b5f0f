"""Every bound event of the local store as three arrays (customer key, time, touchpoint code),
in the store's order: what feedback placement (an answer's last event) and the pain-point
signals (loops, service contacts, time to the next step) read. The binding is the NumPy plan's
own (store_measures.py), so an event means the same touchpoint everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.model import Journey


@dataclass
class BoundEvents:
    touchpoints: list[str]  # a code is an index here (ids sorted)
    customer: Any  # int64 customer keys, sorted
    ts: Any  # int64 epoch ms, sorted within a customer
    code: Any  # int64 touchpoint codes
    data_end: int  # the store's latest event time (bound or not)
    customers: int  # every customer of the store

    def customer_ids(self, store: Path) -> list[str | None]:
        """customer key -> the source's id (index 0 unused)."""
        from .store import read_dictionary

        return read_dictionary(store)["customer"]


def bound_events(store: Path, journey: Journey) -> BoundEvents:
    """The store's bound events, read and bound on their own. After measuring the same
    journey, `StorePlan(store, keep_bound=True).bound` has them without a second pass."""
    from .store import read_dictionary
    from .store_measures import _bind, _last_time, _plan, _read_slices, _store_kinds

    words = read_dictionary(store, customers=False)
    plan = _plan(journey, words, _store_kinds(store, words))
    parts: list[tuple[int, Any, Any, Any, int]] = []
    for number, cols in enumerate(_read_slices(store, plan.columns)):
        rows, codes = _bind(plan, cols)
        ck = cols["customer_key"]
        parts.append((number, ck[rows], cols["ts"][rows], codes, int(ck[-1])))
    return joined(plan.touchpoints, parts, _last_time(store))


def joined(
    touchpoints: list[str], parts: list[tuple[int, Any, Any, Any, int]], data_end: int
) -> BoundEvents:
    """The slices' bound rows as one BoundEvents: each part is (slice number, customer keys,
    times, touchpoint codes, the slice's last customer key), in any order."""
    import numpy as np

    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return BoundEvents(touchpoints, empty, empty, empty, 0, 0)
    parts = sorted(parts, key=lambda p: p[0])  # the store's order
    return BoundEvents(
        touchpoints,
        np.concatenate([p[1] for p in parts], dtype=np.int64),  # (cast as they are copied)
        np.concatenate([p[2] for p in parts], dtype=np.int64),
        np.concatenate([p[3] for p in parts], dtype=np.int64),
        data_end,
        max(p[4] for p in parts),
    )
