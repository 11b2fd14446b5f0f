"""Placing answers by the customer's last bound event before the answer, within a window: an
as-of join of the answers with the store's bound events (DuckDB's ASOF JOIN), customer by
customer. Answers with no such event are dropped, and the report says why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .ingest_report import EXAMPLES, example


def place_by_last_event(table: Any, store: Path, placer: Any, within_ms: int) -> Any:
    import duckdb
    import numpy as np
    import pyarrow as pa

    from .store_bound import bound_events

    bound = bound_events(store, placer.journey)
    keys = {c: k for k, c in enumerate(bound.customer_ids(store)) if c is not None}
    customer = np.array(
        [keys.get(c.strip(), -1) if c else -1 for c in table["customer"].to_pylist()],
        dtype=np.int64,
    )
    answers = {"i": np.arange(table.num_rows), "customer": customer, "ts": table["ts"].to_numpy()}
    events = {"customer": bound.customer, "ts": bound.ts, "code": bound.code}
    con = duckdb.connect()
    try:
        con.register("a", pa.table(answers))
        con.register("b", pa.table(events))
        rows = con.execute(
            "SELECT a.i, b.code, a.ts - b.ts FROM a ASOF LEFT JOIN b "
            "ON a.customer = b.customer AND a.ts >= b.ts ORDER BY a.i"
        ).fetchall()
    finally:
        con.close()
    keep, places, stages = [], [], []
    dropped: dict[str, int] = {}
    examples: dict[str, list[dict[str, Any]]] = {}
    fixes: dict[str, str] = {}
    row_numbers = table["row"].to_pylist()
    customers = table["customer"].to_pylist()
    for i, code, gap in rows:
        if customer[i] < 0:
            reason = "customer not in the events"
            fix = "the customer column must hold the same ids as the events' customer column"
        elif code is None or gap > within_ms:
            reason = "no event before the answer within the window"
            fix = f"widen place.within (now {within_ms / 86_400_000:g} days), or check the times"
        else:
            touchpoint = bound.touchpoints[code]
            keep.append(i)
            places.append(touchpoint)
            stages.append(placer.stage_of[touchpoint])
            continue
        dropped[reason] = dropped.get(reason, 0) + 1
        if len(examples.setdefault(reason, [])) < EXAMPLES:
            examples[reason].append(example(row_numbers[i], "customer", customers[i]))
        fixes[reason] = fix
    placed = table.take(pa.array(keep, pa.int64()))
    placed = placed.set_column(
        placed.schema.get_field_index("touchpoint"), "touchpoint", pa.array(places, pa.string())
    )
    placed = placed.set_column(
        placed.schema.get_field_index("stage"), "stage", pa.array(stages, pa.string())
    )
    meta = dict(table.schema.metadata or {})
    meta |= {
        b"dropped": json.dumps(dropped).encode(),
        b"examples": json.dumps(examples).encode(),
        b"fixes": json.dumps(fixes).encode(),
    }
    return placed.replace_schema_metadata(meta)
