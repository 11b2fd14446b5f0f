"""The Ibis plan: binding the map to events and every measure of it, on any backend.

One Ibis implementation: it runs on the DuckDB store here, and on any backend Ibis reaches
(Spark for data that outgrows one machine). Times are epoch milliseconds; quantiles are exact
(linear between the two nearest ranks). The definitions are in docs/analytics.md; the local
store has a faster plan of its own (store_measures.py), held to the same numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..domain.cards import EventBinding, TouchpointCard
from ..domain.model import Journey
from ..domain.suggest import did_you_mean
from . import ibis_funnel
from .errors import BindingError
from .plan import (
    DAY_MS,
    PATH_STEPS,
    DropOff,
    FunnelStep,
    MeasureOptions,
    Measures,
    Path,
    Reach,
    Tallies,
    Transition,
    _drop_off,
    _funnel,
    _top_paths,
    _transitions,
    assemble,
    bound_touchpoints,
)
from .store import open_store

# Where the analyses' callers have always found them:
__all__ = [
    "DAY_MS",
    "PATH_STEPS",
    "BindingError",
    "DropOff",
    "FunnelStep",
    "Measures",
    "Path",
    "Reach",
    "Transition",
    "open_store",
]


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
    for prop, value in rule.where.items():
        if prop not in events.columns:
            raise BindingError(_missing_column(owner, prop, list(events.columns)))
        test = test & (events[prop] == _comparable(events[prop], value, owner, prop))
    return test


def _missing_column(owner: str, prop: str, columns: list[str]) -> str:
    known = sorted(columns)
    hint = did_you_mean(prop, known, "the source's columns are: " + ", ".join(known))
    return f"{owner} filters on '{prop}', which the events lack ({hint})"


def _comparable(column: Any, value: str | int | float, owner: str, prop: str) -> Any:
    return _comparable_value(column.type().is_numeric(), value, owner, prop)


def _comparable_value(numeric: bool, value: str | int | float, owner: str, prop: str) -> Any:
    """A binding's value in the column's type: numbers for a number column (or a clear error),
    text for a text column (`5.0` matches the text `5`)."""
    if numeric:
        try:
            return float(value)
        except ValueError:
            raise BindingError(
                f"{owner} filters '{prop}' on '{value}', but '{prop}' holds numbers"
            ) from None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
    by_name: list[tuple[str, str, str]] = []  # (event, touchpoint, stage) of plain name rules
    for card in journey.live_cards():
        if not isinstance(card, TouchpointCard) or card.events is None:
            continue
        rule = card.events
        if rule.names and not (rule.patterns or rule.channel or rule.where or rule.first_only):
            # A name listed twice in one rule still means the touchpoint once.
            by_name += [(name, card.id, card.stage) for name in dict.fromkeys(rule.names)]
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
    owners: dict[str, list[tuple[str, str]]] = {}
    for name, touchpoint, stage in by_name:
        owners.setdefault(name, []).append((touchpoint, stage))
    single = {n: o[0] for n, o in owners.items() if len(o) == 1}
    if single:  # one pass for every event name that means exactly one touchpoint
        hits = events.filter(events.event.isin(list(single)))
        parts.append(
            hits.select(
                "customer_key",
                "ts",
                "source_row",
                touchpoint=hits.event.substitute({n: t for n, (t, _) in single.items()}),
                stage=hits.event.substitute({n: g for n, (_, g) in single.items()}),
            )
        )
    for name, shared in owners.items():  # a name that means several touchpoints: one each
        if len(shared) > 1:
            hits = events.filter(events.event == name)
            parts += [
                hits.select(
                    "customer_key",
                    "ts",
                    "source_row",
                    touchpoint=ibis.literal(t),
                    stage=ibis.literal(g),
                )
                for t, g in shared
            ]
    if not parts:
        raise BindingError(
            "no touchpoint has `events:`; bind some to measure the map "
            "(`journeymap bind --suggest` proposes bindings)"
        )
    return ibis.union(*parts, distinct=False)


def stage_entries(events: Any, bound: Any, journey: Journey) -> Any:
    """(customer_key, ts, source_row, stage): a customer is in a stage at each bound touchpoint
    of it, and at each event its `entry_events` names; each event enters a stage once (bound to
    two of its touchpoints, or bound and an entry event too)."""
    import ibis

    parts = [bound.select("customer_key", "ts", "source_row", "stage")]
    for stage in journey.live_stages():
        if stage.entry_events is None:
            continue
        hits = events.filter(_matches(events, stage.entry_events, f"stage '{stage.id}'"))
        parts.append(hits.select("customer_key", "ts", "source_row", stage=ibis.literal(stage.id)))
    return ibis.union(*parts, distinct=False).distinct()


def materialize(table: Any) -> Any:
    """Compute a table once and keep it (a temporary table), for the measures that all read it:
    on DuckDB this makes a full evidence build about three times faster."""
    import uuid

    backend = table._find_backend()
    try:
        return backend.create_table(f"jm_{uuid.uuid4().hex[:12]}", table, temp=True)
    except NotImplementedError:  # Spark: its own cache (a persisted DataFrame)
        return table.cache()


def touchpoint_reach(bound: Any, journey: Journey) -> list[Reach]:
    """Customers and events per bound touchpoint, in map order; a touchpoint nobody reached
    shows 0 rather than going missing."""
    found = _counts(bound, "touchpoint")
    return [Reach(i, *found.get(i, (0, 0))) for i in bound_touchpoints(journey)]


def stage_reach(entries: Any, journey: Journey) -> list[Reach]:
    found = _counts(entries, "stage")
    return [Reach(s.id, *found.get(s.id, (0, 0))) for s in journey.live_stages()]


def _counts(table: Any, key: str) -> dict[str, tuple[int, int]]:
    rows = (
        table.group_by(key)
        .aggregate(customers=table.customer_key.nunique(), events=table.count())
        .to_pyarrow()
        .to_pylist()
    )
    return {r[key]: (r["customers"], r["events"]) for r in rows}


def _options(journey: Journey, window_ms: int | None, options: MeasureOptions | None) -> Any:
    return options or MeasureOptions.for_journey(journey, window_ms=window_ms)


def _counted(entries: Any, journey: Journey, options: MeasureOptions, data_end: int | None) -> Any:
    stages = [s.id for s in journey.live_stages()]
    if not stages:
        return None
    if data_end is None:  # the latest entry: enough for the funnel, which never looks at it
        data_end = entries.ts.max().to_pyarrow().as_py() or 0
    return ibis_funnel.counted_tries(entries, stages, options, data_end)


def funnel(
    entries: Any,
    journey: Journey,
    window_ms: int | None = None,
    options: MeasureOptions | None = None,
) -> list[FunnelStep]:
    """The ordered stage funnel: customers per stage, conversion from the stage before and from
    the first, and the exact median and p90 of the time from the stage before. The window and
    re-entry come from the journey's `funnel:` settings unless given."""
    options = _options(journey, window_ms, options)
    counted = _counted(entries, journey, options, data_end=0)
    stages = [s.id for s in journey.live_stages()]
    return _funnel(stages, ibis_funnel.funnel_counts(counted) if counted else [])


def _transition_tallies(bound: Any) -> dict[tuple[str, str], tuple[int, float]]:
    window = _in_order(bound)
    steps = bound.mutate(
        before=bound.touchpoint.lag().over(window), before_ts=bound.ts.lag().over(window)
    )
    steps = steps.filter(steps.before.notnull())
    grouped = steps.group_by(["before", "touchpoint"]).aggregate(
        count=steps.count(), median_gap=(steps.ts - steps.before_ts).median()
    )
    return {
        (r["before"], r["touchpoint"]): (r["count"], float(r["median_gap"]))
        for r in grouped.to_pyarrow().to_pylist()
    }


def _in_order(bound: Any) -> Any:
    """Each customer's bound events in time order (ties: source order, then touchpoint id)."""
    import ibis

    return ibis.window(
        group_by=bound.customer_key, order_by=[bound.ts, bound.source_row, bound.touchpoint]
    )


def transitions(bound: Any) -> list[Transition]:
    """Moves from one touchpoint to the next within each customer's history."""
    return _transitions(_transition_tallies(bound))


def _path_tallies(bound: Any) -> Counter[tuple[tuple[str, ...], bool]]:
    """Customers per whole path through the touchpoints (repeats in a row counted once).
    Built from one conditional aggregate per position, which every backend runs the same way
    (Spark cannot order the items of an aggregated string)."""
    import ibis

    window = _in_order(bound)
    marked = bound.mutate(before=bound.touchpoint.lag().over(window))
    moves = marked.filter(marked.before.isnull() | (marked.before != marked.touchpoint))
    moves = moves.mutate(k=ibis.row_number().over(_in_order(moves)))
    steps = {f"p{i:02d}": moves.touchpoint.max(where=moves.k == i) for i in range(PATH_STEPS)}
    per_customer = moves.group_by("customer_key").aggregate(
        longer=moves.k.max() >= PATH_STEPS, **steps
    )
    keys = [*steps, "longer"]
    rows = (
        per_customer.group_by(keys)
        .aggregate(customers=per_customer.count())
        .to_pyarrow()
        .to_pylist()
    )
    out: Counter[tuple[tuple[str, ...], bool]] = Counter()
    for r in rows:
        trail = tuple(r[k] for k in steps if r[k] is not None)
        out[(trail, bool(r["longer"]))] += r["customers"]
    return out


def top_paths(bound: Any, n: int = 10) -> list[Path]:
    """The most common whole paths through the touchpoints (repeats in a row counted once)."""
    return _top_paths(_path_tallies(bound), n)


def drop_off(
    bound: Any,
    entries: Any,
    journey: Journey,
    window_ms: int | None = None,
    options: MeasureOptions | None = None,
    data_end: int | None = None,
) -> list[DropOff]:
    """Where the customers who left the funnel were last seen: customers whose counted try
    fell short of the last stage, with no try still inside its window when the data ends
    (`data_end`, epoch ms: the latest event; the latest entry when not given)."""
    counted = _counted(entries, journey, _options(journey, window_ms, options), data_end)
    return _drop_off(ibis_funnel.leavers(bound, counted) if counted else {})


class IbisPlan:
    """The plan on any Ibis table of events in the store's shape: `plan.Plan`."""

    def __init__(self, events: Any) -> None:
        self.events = events

    def tallies(self, journey: Journey, options: MeasureOptions) -> Tallies:
        events = self.events
        bound = materialize(bind(events, journey))
        entries = materialize(stage_entries(events, bound, journey))
        data_end = events.ts.max().to_pyarrow().as_py() or 0
        counted = _counted(entries, journey, options, data_end)
        if counted is not None:
            counted = ibis_funnel.Counted(materialize(counted.table), counted.stages)
        return Tallies(
            reach=_counts(bound, "touchpoint"),
            stage_reach=_counts(entries, "stage"),
            funnel=ibis_funnel.funnel_counts(counted) if counted else [],
            transitions=_transition_tallies(bound),
            paths=_path_tallies(bound),
            leavers=ibis_funnel.leavers(bound, counted) if counted else {},
        )


def measure_all(
    events: Any,
    journey: Journey,
    window_ms: int | None = None,
    paths: int = 10,
    options: MeasureOptions | None = None,
) -> Measures:
    """Every measure of the map, with the bound events computed once and shared: the
    journey's funnel settings, unless `options` (or `window_ms`) says otherwise."""
    if options is None:
        options = MeasureOptions.for_journey(journey, window_ms=window_ms, paths=paths)
    return assemble(IbisPlan(events).tallies(journey, options), journey, options)
