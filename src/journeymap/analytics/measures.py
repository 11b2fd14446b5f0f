"""Binding the map to events, and the first measures: reach and the ordered stage funnel.

One Ibis implementation: it runs on the DuckDB store here, and on any backend Ibis reaches
(Spark for data that outgrows one machine). Times are epoch milliseconds; quantiles are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..domain.cards import EventBinding, TouchpointCard
from ..domain.model import Journey
from ..domain.suggest import did_you_mean

DAY_MS = 86_400_000


class BindingError(ValueError):
    """A binding names something the events do not have."""


def open_store(store: Any) -> Any:
    """The ingested events as an Ibis table (DuckDB, in memory, reading the Parquet store)."""
    import ibis

    return ibis.duckdb.connect().read_parquet(str(store))


def _regex(glob: str) -> str:
    """A glob (`checkout_*`, `step?`) as an anchored regular expression any backend runs."""
    parts = [".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in glob]
    return "^" + "".join(parts) + "$"


def _matches(events: Any, rule: EventBinding, owner: str) -> Any:
    import ibis

    name = events.event
    test = name.isin(rule.names) if rule.names else ibis.literal(False)
    for pattern in rule.patterns:
        test = test | name.re_search(_regex(pattern))
    if rule.channel is not None:
        test = test & (events.channel == rule.channel)
    columns = set(events.columns)
    for prop, value in rule.where.items():
        if prop not in columns:
            hint = did_you_mean(
                prop, sorted(columns), "the source's columns are: " + ", ".join(sorted(columns))
            )
            raise BindingError(f"{owner} filters on '{prop}', which the events lack ({hint})")
        column = events[prop]
        test = test & (column == (value if column.type().is_numeric() else str(value)))
    return test


def _first_only(table: Any) -> Any:
    import ibis

    order = ibis.row_number().over(
        group_by=table.customer_key, order_by=[table.ts, table.source_row]
    )
    return table.mutate(_n=order).filter(lambda t: t._n == 0).drop("_n")


def bind(events: Any, journey: Journey) -> Any:
    """(customer_key, ts, source_row, touchpoint, stage) for every event that means a touchpoint;
    an event that means two touchpoints counts for both."""
    import ibis

    parts = []
    for card in journey.live_cards():
        if not isinstance(card, TouchpointCard) or card.events is None:
            continue
        hits = events.filter(_matches(events, card.events, f"touchpoint '{card.id}'"))
        if card.events.first_only:
            hits = _first_only(hits)
        parts.append(
            hits.select(
                "customer_key",
                "ts",
                "source_row",
                touchpoint=ibis.literal(card.id),
                stage=ibis.literal(card.stage),
            )
        )
    if not parts:
        raise BindingError(
            "no touchpoint has `events:`; bind some to measure the map "
            "(`journeymap bind --suggest` proposes bindings)"
        )
    return ibis.union(*parts, distinct=False)


def stage_entries(events: Any, bound: Any, journey: Journey) -> Any:
    """(customer_key, ts, stage): a customer is in a stage at each bound touchpoint of it, and at
    each event its `entry_events` names."""
    import ibis

    parts = [bound.select("customer_key", "ts", "stage")]
    for stage in journey.live_stages():
        if stage.entry_events is None:
            continue
        hits = events.filter(_matches(events, stage.entry_events, f"stage '{stage.id}'"))
        parts.append(hits.select("customer_key", "ts", stage=ibis.literal(stage.id)))
    return ibis.union(*parts, distinct=False)


@dataclass(frozen=True)
class Reach:
    id: str
    customers: int
    events: int


def touchpoint_reach(bound: Any, journey: Journey) -> list[Reach]:
    """Customers and events per bound touchpoint, in map order; a touchpoint nobody reached
    shows 0 rather than going missing."""
    found = _counts(bound, "touchpoint")
    bound_ids = [
        c.id for c in journey.live_cards() if isinstance(c, TouchpointCard) and c.events is not None
    ]
    return [found.get(i, Reach(i, 0, 0)) for i in bound_ids]


def stage_reach(entries: Any, journey: Journey) -> list[Reach]:
    found = _counts(entries, "stage")
    return [found.get(s.id, Reach(s.id, 0, 0)) for s in journey.live_stages()]


def _counts(table: Any, key: str) -> dict[str, Reach]:
    rows = (
        table.group_by(key)
        .aggregate(customers=table.customer_key.nunique(), events=table.count())
        .to_pyarrow()
        .to_pylist()
    )
    return {r[key]: Reach(r[key], r["customers"], r["events"]) for r in rows}


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    customers: int
    conversion: float | None  # from the previous stage
    overall: float | None  # from the first stage
    median_ms: float | None  # time from the previous stage
    p90_ms: float | None


def funnel(entries: Any, journey: Journey, window_ms: int = 30 * DAY_MS) -> list[FunnelStep]:
    """The ordered stage funnel: a customer reaches a stage when they enter it at or after the
    time they reached the stage before, within `window_ms` of it."""
    stages = [s.id for s in journey.live_stages()]
    steps: list[FunnelStep] = []
    previous = None
    first_count = 0
    for stage in stages:
        here = entries.filter(entries.stage == stage)
        if previous is None:
            reached = here.group_by("customer_key").aggregate(t=here.ts.min())
            stats = reached.aggregate(n=reached.count()).to_pyarrow().to_pylist()[0]
            count, median, p90 = stats["n"], None, None
            first_count = count
        else:
            joined = here.join(previous, "customer_key")
            joined = joined.filter((joined.ts >= joined.t) & (joined.ts <= joined.t + window_ms))
            reached = joined.group_by("customer_key").aggregate(
                t=joined.ts.min(), since=joined.t.min()
            )
            gap = reached.t - reached.since
            stats = (
                reached.aggregate(n=reached.count(), median=gap.median(), p90=gap.quantile(0.9))
                .to_pyarrow()
                .to_pylist()[0]
            )
            count, median, p90 = stats["n"], stats["median"], stats["p90"]
            reached = reached.select("customer_key", "t")
        before = steps[-1].customers if steps else None
        steps.append(
            FunnelStep(
                stage,
                count,
                conversion=count / before if before else (None if before is None else 0.0),
                overall=count / first_count if first_count else None,
                median_ms=float(median) if median is not None else None,
                p90_ms=float(p90) if p90 is not None else None,
            )
        )
        previous = reached
    return steps
