"""The peer an analyst would otherwise write: one DuckDB SQL script, run in a fresh process,
that answers the question `journeymap analyze` answers on the same events: how many customers
reach each touchpoint, the moves between touchpoints (count and median gap), and the stage
funnel (customers per stage within 30 days of entering the first).

    python bench/sql_peer.py EVENTS QUESTION.json

EVENTS is the raw file (Parquet or CSV); QUESTION.json names its columns, which event means
which touchpoint in which stage, and the window. It imports nothing but DuckDB: the start-up
an analyst's script pays.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def sql(events: str, q: dict) -> tuple[str, str, str]:  # type: ignore[type-arg]
    c = q["columns"]
    path = "'" + events.replace("'", "''") + "'"
    reader = (
        f"read_csv({path}, header = true)"
        if events.endswith((".csv", ".csv.gz"))
        else f"read_parquet({path})"
    )
    mapping = " ".join(
        f"WHEN '{name}' THEN '{tp}'" for tp, names in q["touchpoints"].items() for name in names
    )
    stage_of = " ".join(
        f"WHEN '{tp}' THEN {q['stages'].index(st)}" for tp, st in q["stage"].items()
    )
    event = q.get("event_sql") or f'"{c["event"]}"'
    bound = f"""
        CREATE TEMP TABLE bound AS
        SELECT * FROM (
            SELECT "{c["customer"]}" AS who,
                   epoch_ms(CAST("{c["timestamp"]}" AS TIMESTAMPTZ)) AS ts,
                   CASE {event} {mapping} END AS tp
            FROM {reader} WHERE "{c["customer"]}" IS NOT NULL)
        WHERE tp IS NOT NULL"""
    moves = """
        SELECT tp, nxt, count(*), median(gap) FROM (
            SELECT tp, lead(tp) OVER w AS nxt, lead(ts) OVER w - ts AS gap FROM bound
            WINDOW w AS (PARTITION BY who ORDER BY ts, tp))
        WHERE nxt IS NOT NULL GROUP BY ALL"""
    window = int(q["window_days"]) * 86_400_000
    funnel = f"""
        WITH entries AS (SELECT who, ts, CASE tp {stage_of} END AS k FROM bound),
        starts AS (SELECT who, min(ts) AS s0 FROM entries WHERE k = 0 GROUP BY who),
        reached AS (
            SELECT e.k, count(DISTINCT e.who) AS n FROM entries e JOIN starts s USING (who)
            WHERE e.ts >= s.s0 AND e.ts <= s.s0 + {window} GROUP BY e.k)
        SELECT k, n FROM reached ORDER BY k"""
    return bound, moves, funnel


def main(events: str, question: str) -> None:
    start = time.perf_counter()
    import duckdb

    q = json.loads(Path(question).read_text())
    bound, moves, funnel = sql(events, q)
    con = duckdb.connect()
    con.execute(bound)
    pairs = con.execute(moves).fetchall()
    stages = con.execute(funnel).fetchall()
    reach = con.execute("SELECT tp, count(DISTINCT who) FROM bound GROUP BY tp").fetchall()
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - start,
                "pairs": len(pairs),
                "funnel": [n for _, n in stages],
                "reach": len(reach),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
