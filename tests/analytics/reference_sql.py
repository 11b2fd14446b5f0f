"""An independent reference for every measure: plain DuckDB SQL over the store's two Parquet
files, written from the definitions in docs/analytics.md and sharing no code with either plan.

It decodes the store with its own joins, binds touchpoints with LIKE (not the plans' regular
expressions), and walks the funnel one stage at a time with plain joins. It is slow and simple
on purpose: the contract suite holds the NumPy plan and the Ibis plan (DuckDB, Spark) to it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from journeymap.domain.cards import EventBinding, TouchpointCard
from journeymap.domain.model import Journey

PATH_STEPS = 20


@dataclass
class Reference:
    reach: dict[str, tuple[int, int]]  # touchpoint -> (customers, events)
    stage_reach: dict[str, tuple[int, int]]
    funnel: list[tuple[int, float | None, float | None]]  # (customers, median ms, p90 ms)
    transitions: dict[tuple[str, str], tuple[int, float]]  # (from, to) -> (count, median ms)
    paths: Counter[tuple[str, ...]]  # a cut path ends in "…"
    leavers: dict[str, int]


def _lit(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _like(glob: str) -> str:
    escaped = glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _lit(escaped.replace("*", "%").replace("?", "_"))


def _events_view(con: Any, store: Path) -> dict[str, str]:
    """`ev`: the store decoded by plain joins; returns each property's DuckDB type."""
    words = str(Path(store).parent / "dictionary.parquet")
    con.execute(f"CREATE TEMP VIEW raw AS SELECT * FROM read_parquet({_lit(store)})")
    con.execute(f"CREATE TEMP VIEW words AS SELECT * FROM read_parquet({_lit(words)})")
    columns = [r[0] for r in con.execute("DESCRIBE raw").fetchall()]
    kinds = dict(con.execute("DESCRIBE raw").fetchall()[i][:2] for i in range(len(columns)))
    coded = {r[0] for r in con.execute('SELECT DISTINCT "column" FROM words').fetchall()}
    select, joins = ["raw.customer_key", "raw.ts", "raw.source_row"], []
    types: dict[str, str] = {}
    for i, column in enumerate(c for c in columns if c not in ("customer_key", "ts", "source_row")):
        if column in coded:
            joins.append(
                f'LEFT JOIN words w{i} ON w{i}."column" = {_lit(column)} '
                f'AND w{i}.code = raw."{column}"'
            )
            select.append(f'w{i}.value AS "{column}"')
            types[column] = "VARCHAR"
        else:
            select.append(f'raw."{column}"')
            types[column] = kinds[column]
    con.execute(f"CREATE TEMP VIEW ev AS SELECT {', '.join(select)} FROM raw {' '.join(joins)}")
    return types


def _condition(rule: EventBinding, types: dict[str, str]) -> str:
    tests = [f"event IN ({', '.join(_lit(n) for n in rule.names)})"] if rule.names else []
    tests += [f"event LIKE {_like(p)} ESCAPE '\\'" for p in rule.patterns]
    where = "(" + " OR ".join(tests) + ")"
    if rule.channel is not None:
        where += f" AND channel = {_lit(rule.channel)}"
    for prop, value in rule.where.items():
        if types.get(prop, "VARCHAR") == "VARCHAR":
            text = str(int(value)) if isinstance(value, float) and value.is_integer() else value
            where += f' AND "{prop}" = {_lit(text)}'
        else:
            where += f' AND "{prop}" = {float(value)!r}'
    return where


def _matching(rule: EventBinding, types: dict[str, str]) -> str:
    query = f"SELECT customer_key, ts, source_row FROM ev WHERE {_condition(rule, types)}"
    if rule.first_only:
        query = (
            "SELECT customer_key, ts, source_row FROM ("
            f"{query}) QUALIFY row_number() OVER (PARTITION BY customer_key "
            "ORDER BY ts, source_row) = 1"
        )
    return query


def reference(
    store: Path,
    journey: Journey,
    window_ms: int = 30 * 86_400_000,
    window_from: str = "first",
    reentry: bool = False,
) -> Reference:
    con = duckdb.connect()
    try:
        return _measure(con, store, journey, window_ms, window_from, reentry)
    finally:
        con.close()


def _measure(
    con: Any, store: Path, journey: Journey, window_ms: int, window_from: str, reentry: bool
) -> Reference:
    types = _events_view(con, store)
    cards = [
        c for c in journey.live_cards() if isinstance(c, TouchpointCard) and c.events is not None
    ]
    bound = " UNION ALL ".join(
        f"SELECT *, {_lit(c.id)} AS touchpoint, {_lit(c.stage)} AS stage "
        f"FROM ({_matching(c.events, types)})"
        for c in cards
        if c.events is not None
    )
    con.execute(f"CREATE TEMP TABLE bound AS {bound}")
    entries = ["SELECT customer_key, ts, source_row, stage FROM bound"]
    for s in journey.live_stages():
        if s.entry_events is not None:
            entries.append(
                f"SELECT *, {_lit(s.id)} AS stage FROM ({_matching(s.entry_events, types)})"
            )
    con.execute(
        f"CREATE TEMP TABLE entries AS SELECT DISTINCT * FROM ({' UNION ALL '.join(entries)})"
    )

    def counts(table: str, key: str, events: str) -> dict[str, tuple[int, int]]:
        rows = con.execute(
            f"SELECT {key}, count(DISTINCT customer_key), {events} FROM {table} GROUP BY {key}"
        ).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    reach = counts("bound", "touchpoint", "count(*)")
    stage_reach = counts("entries", "stage", "count(*)")

    # Transitions: consecutive bound events of a customer.
    moves = con.execute(
        """
        SELECT before, touchpoint, count(*), median(gap) FROM (
          SELECT touchpoint,
            lag(touchpoint) OVER w AS before, ts - lag(ts) OVER w AS gap
          FROM bound WINDOW w AS (PARTITION BY customer_key ORDER BY ts, source_row, touchpoint)
        ) WHERE before IS NOT NULL GROUP BY ALL
        """
    ).fetchall()
    transitions = {(r[0], r[1]): (r[2], float(r[3])) for r in moves}

    # Paths: each customer's touchpoints, repeats in a row collapsed, cut after PATH_STEPS.
    rows = con.execute(
        """
        SELECT customer_key, list(touchpoint ORDER BY ts, source_row, touchpoint) FROM bound
        GROUP BY customer_key
        """
    ).fetchall()
    paths: Counter[tuple[str, ...]] = Counter()
    for _, trail in rows:
        steps = [t for i, t in enumerate(trail) if i == 0 or trail[i - 1] != t]
        paths[tuple(steps[:PATH_STEPS]) + (("…",) if len(steps) > PATH_STEPS else ())] += 1

    funnel, leavers = _funnel(con, journey, window_ms, window_from, reentry)
    return Reference(reach, stage_reach, funnel, transitions, paths, leavers)


def _funnel(
    con: Any, journey: Journey, window: int, window_from: str, reentry: bool
) -> tuple[list[tuple[int, float | None, float | None]], dict[str, int]]:
    stages = [s.id for s in journey.live_stages()]
    if not stages:
        return [], {}
    first = _lit(stages[0])
    if reentry:
        con.execute(
            f"CREATE TEMP TABLE tries AS SELECT DISTINCT customer_key AS c, ts AS s0, ts AS t0 "
            f"FROM entries WHERE stage = {first}"
        )
    else:
        con.execute(
            f"CREATE TEMP TABLE tries AS SELECT customer_key AS c, min(ts) AS s0, min(ts) AS t0 "
            f"FROM entries WHERE stage = {first} GROUP BY customer_key"
        )
    for k in range(1, len(stages)):
        since = "tries.s0" if window_from == "first" else f"tries.t{k - 1}"
        con.execute(f"ALTER TABLE tries ADD COLUMN t{k} BIGINT")
        con.execute(
            f"""
            UPDATE tries SET t{k} = (
              SELECT min(e.ts) FROM entries e
              WHERE e.customer_key = tries.c AND e.stage = {_lit(stages[k])}
                AND e.ts >= tries.t{k - 1} AND e.ts <= {since} + {window}
            ) WHERE t{k - 1} IS NOT NULL
            """
        )
    last = len(stages) - 1
    far = " + ".join(f"(t{k} IS NOT NULL)::INT" for k in range(1, last + 1)) or "0"
    reached_at = "coalesce(" + ", ".join(f"t{k}" for k in range(last, -1, -1)) + ")"
    closes = "s0" if window_from == "first" else reached_at
    data_end = con.execute("SELECT max(ts) FROM ev").fetchone()[0]
    con.execute(
        f"""
        CREATE TEMP TABLE counted AS
        SELECT *, (far < {last} AND NOT bool_or(far < {last} AND closes > {data_end})
                    OVER (PARTITION BY c)) AS leaving
        FROM (SELECT *, {far} AS far, {closes} + {window} AS closes FROM tries)
        QUALIFY row_number() OVER (PARTITION BY c ORDER BY far DESC, s0) = 1
        """
    )
    funnel: list[tuple[int, float | None, float | None]] = []
    for k in range(len(stages)):
        n = con.execute(f"SELECT count(*) FROM counted WHERE far >= {k}").fetchone()[0]
        if k == 0:
            funnel.append((n, None, None))
            continue
        m, p = con.execute(
            f"SELECT quantile_cont(t{k} - t{k - 1}, 0.5), quantile_cont(t{k} - t{k - 1}, 0.9) "
            f"FROM counted WHERE far >= {k}"
        ).fetchone()
        funnel.append((n, None if m is None else float(m), None if p is None else float(p)))
    rows = con.execute(
        """
        SELECT touchpoint, count(*) FROM (
          SELECT b.touchpoint FROM bound b JOIN counted x ON b.customer_key = x.c
          WHERE x.leaving AND b.ts <= x.closes
          QUALIFY row_number() OVER (PARTITION BY b.customer_key
                                     ORDER BY b.ts DESC, b.source_row DESC, b.touchpoint DESC) = 1
        ) GROUP BY touchpoint
        """
    ).fetchall()
    return funnel, {r[0]: r[1] for r in rows}
