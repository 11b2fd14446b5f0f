"""Binding the map to events, and the first measures: reach and the ordered stage funnel.

One Ibis implementation: it runs on the DuckDB store here, and on any backend Ibis reaches
(Spark for data that outgrows one machine). Times are epoch milliseconds; quantiles are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..domain.cards import EventBinding, TouchpointCard
from ..domain.model import Journey
from ..domain.suggest import did_you_mean
from .errors import BindingError
from .store import open_store

DAY_MS = 86_400_000
__all__ = ["BindingError", "open_store"]  # where the analyses' callers have always found them


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


def materialize(table: Any) -> Any:
    """Compute a table once and keep it (a temporary table), for the measures that all read it:
    on DuckDB this makes a full evidence build about three times faster."""
    import uuid

    backend = table._find_backend()
    try:
        return backend.create_table(f"jm_{uuid.uuid4().hex[:12]}", table, temp=True)
    except NotImplementedError:  # Spark: its own cache (a persisted DataFrame)
        return table.cache()


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


def _reached(entries: Any, stages: list[str], window_ms: int) -> Iterator[tuple[str, Any]]:
    """For each stage in order, the customers who reached it: (customer_key, t) and, after the
    first stage, `since` (when they reached the stage before). A customer reaches a stage when
    they enter it at or after reaching the one before, within `window_ms` of it."""
    previous = None
    for stage in stages:
        here = entries.filter(entries.stage == stage)
        if previous is None:
            reached = here.group_by("customer_key").aggregate(t=here.ts.min())
        else:
            joined = here.join(previous, "customer_key")
            joined = joined.filter((joined.ts >= joined.t) & (joined.ts <= joined.t + window_ms))
            reached = joined.group_by("customer_key").aggregate(
                t=joined.ts.min(), since=joined.t.min()
            )
        yield stage, reached
        previous = reached.select("customer_key", "t")


def funnel(entries: Any, journey: Journey, window_ms: int = 30 * DAY_MS) -> list[FunnelStep]:
    """The ordered stage funnel: customers per stage, conversion from the stage before and
    from the first, and the exact median and p90 of the time between them."""
    steps: list[FunnelStep] = []
    for stage, reached in _reached(entries, [s.id for s in journey.live_stages()], window_ms):
        if "since" in reached.columns:
            gap = reached.t - reached.since
            stats = (
                reached.aggregate(n=reached.count(), median=gap.median(), p90=gap.quantile(0.9))
                .to_pyarrow()
                .to_pylist()[0]
            )
        else:
            stats = {
                **reached.aggregate(n=reached.count()).to_pyarrow().to_pylist()[0],
                "median": None,
                "p90": None,
            }
        count = stats["n"]
        before = steps[-1].customers if steps else None
        first = steps[0].customers if steps else count
        steps.append(
            FunnelStep(
                stage,
                count,
                conversion=None if before is None else (count / before if before else 0.0),
                overall=count / first if first else None,
                median_ms=None if stats["median"] is None else float(stats["median"]),
                p90_ms=None if stats["p90"] is None else float(stats["p90"]),
            )
        )
    return steps


@dataclass(frozen=True)
class Transition:
    source: str  # the touchpoint before
    target: str  # the touchpoint after
    count: int
    share: float | None  # of all transitions out of `source` (None: hidden, see privacy.py)
    median_gap_ms: float | None


def _in_order(bound: Any) -> Any:
    """Each customer's bound events in time order (ties: source order, then touchpoint id)."""
    import ibis

    return ibis.window(
        group_by=bound.customer_key, order_by=[bound.ts, bound.source_row, bound.touchpoint]
    )


def transitions(bound: Any) -> list[Transition]:
    """Moves from one touchpoint to the next within each customer's history."""
    window = _in_order(bound)
    steps = bound.mutate(
        before=bound.touchpoint.lag().over(window), before_ts=bound.ts.lag().over(window)
    )
    steps = steps.filter(steps.before.notnull())
    grouped = steps.group_by(["before", "touchpoint"]).aggregate(
        count=steps.count(), median_gap=(steps.ts - steps.before_ts).median()
    )
    total = grouped["count"].sum().over(group_by=grouped.before)
    rows = (
        grouped.mutate(share=grouped["count"] / total)
        .order_by([grouped.before, grouped["count"].desc(), grouped.touchpoint])
        .to_pyarrow()
        .to_pylist()
    )
    return [
        Transition(r["before"], r["touchpoint"], r["count"], r["share"], float(r["median_gap"]))
        for r in rows
    ]


@dataclass(frozen=True)
class Path:
    touchpoints: tuple[str, ...]
    customers: int


PATH_STEPS = 20  # a path longer than this is cut, and ends in "…"


def top_paths(bound: Any, n: int = 10) -> list[Path]:
    """The most common whole paths through the touchpoints (repeats in a row counted once).
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
    paths = []
    for r in rows:
        trail = tuple(r[k] for k in steps if r[k] is not None)
        paths.append(Path((*trail, "…") if r["longer"] else trail, r["customers"]))
    paths.sort(key=lambda p: (-p.customers, "\x1f".join(p.touchpoints)))
    return paths[:n]


@dataclass(frozen=True)
class DropOff:
    touchpoint: str  # the last touchpoint a leaver touched
    leavers: int
    share: float | None  # of all leavers (None: hidden, see privacy.py)


def drop_off(
    bound: Any, entries: Any, journey: Journey, window_ms: int = 30 * DAY_MS
) -> list[DropOff]:
    """Where the customers who never reached the last stage were last seen."""
    import ibis

    stages = [s.id for s in journey.live_stages()]
    finishers = None
    for _, reached in _reached(entries, stages, window_ms):
        finishers = reached.select("customer_key")
    window = ibis.window(
        group_by=bound.customer_key,
        order_by=[ibis.desc(bound.ts), ibis.desc(bound.source_row), ibis.desc(bound.touchpoint)],
    )
    last = bound.mutate(_n=ibis.row_number().over(window))
    last = last.filter(last._n == 0)
    leavers = last if finishers is None else last.anti_join(finishers, "customer_key")
    grouped = leavers.group_by("touchpoint").aggregate(leavers=leavers.count())
    total = grouped.leavers.sum().over()
    rows = (
        grouped.mutate(share=grouped.leavers / total)
        .order_by([ibis.desc("leavers"), "touchpoint"])
        .to_pyarrow()
        .to_pylist()
    )
    return [DropOff(r["touchpoint"], r["leavers"], r["share"]) for r in rows]


@dataclass(frozen=True)
class Measures:
    touchpoints: list[Reach]
    stages: list[Reach]
    funnel: list[FunnelStep]
    transitions: list[Transition]
    paths: list[Path]
    drop_off: list[DropOff]

    def to_arrow(self, part: str) -> Any:
        """One part (`touchpoints`, `stages`, `funnel`, `transitions`, `paths`, `drop_off`)
        as an Arrow table, a column per field, typed even when the part is empty."""
        import dataclasses

        import pyarrow as pa

        rows = getattr(self, part)
        kinds = {"touchpoints": Reach, "stages": Reach, "funnel": FunnelStep}
        kinds |= {"transitions": Transition, "paths": Path, "drop_off": DropOff}
        names = [f.name for f in dataclasses.fields(kinds[part])]
        columns = {n: [getattr(r, n) for r in rows] for n in names}
        types = {"touchpoints": pa.list_(pa.string())} if part == "paths" else {}
        return pa.table(
            {n: pa.array(v, type=types.get(n, _arrow_types().get(n))) for n, v in columns.items()}
        )

    def to_pandas(self, part: str) -> Any:
        return self.to_arrow(part).to_pandas()

    def to_polars(self, part: str) -> Any:
        import polars as pl

        return pl.from_arrow(self.to_arrow(part))


_ARROW_TEXT = ("id", "stage", "source", "target", "touchpoint")
_ARROW_INT = ("customers", "events", "count", "leavers")
_ARROW_FLOAT = ("conversion", "overall", "median_ms", "p90_ms", "share", "median_gap_ms")


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return (
        {n: pa.string() for n in _ARROW_TEXT}
        | {n: pa.int64() for n in _ARROW_INT}
        | {n: pa.float64() for n in _ARROW_FLOAT}
    )


def measure_all(
    events: Any, journey: Journey, window_ms: int = 30 * DAY_MS, paths: int = 10
) -> Measures:
    """Every measure of the map, with the bound events computed once and shared."""
    bound = materialize(bind(events, journey))
    entries = materialize(stage_entries(events, bound, journey))
    return Measures(
        touchpoints=touchpoint_reach(bound, journey),
        stages=stage_reach(entries, journey),
        funnel=funnel(entries, journey, window_ms),
        transitions=transitions(bound),
        paths=top_paths(bound, paths),
        drop_off=drop_off(bound, entries, journey, window_ms),
    )


# ---------------------------------------------------------------- sessions, splits, periods


@dataclass(frozen=True)
class Sessions:
    sessions: int
    customers: int
    median_per_customer: float
    median_events: float  # events in a session
    median_length_ms: float  # from a session's first event to its last


def sessions(events: Any, gap_ms: int = 30 * 60_000) -> Sessions:
    """Visits: a customer's events with no gap longer than `gap_ms` between them."""
    import ibis

    order = ibis.window(group_by=events.customer_key, order_by=[events.ts, events.source_row])
    marked = events.mutate(before=events.ts.lag().over(order))
    marked = marked.mutate(
        new=(marked.before.isnull() | (marked.ts - marked.before > gap_ms)).cast("int64")
    )
    running = ibis.window(
        group_by=marked.customer_key,
        order_by=[marked.ts, marked.source_row],
        preceding=None,
        following=0,
    )
    marked = marked.mutate(session=marked.new.sum().over(running))
    per_session = marked.group_by(["customer_key", "session"]).aggregate(
        n=marked.count(), length=marked.ts.max() - marked.ts.min()
    )
    per_customer = per_session.group_by("customer_key").aggregate(k=per_session.count())
    s = (
        per_session.aggregate(
            sessions=per_session.count(),
            events=per_session.n.median(),
            length=per_session.length.median(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    c = (
        per_customer.aggregate(customers=per_customer.count(), k=per_customer.k.median())
        .to_pyarrow()
        .to_pylist()[0]
    )
    return Sessions(
        s["sessions"], c["customers"], float(c["k"]), float(s["events"]), float(s["length"])
    )


def customer_attribute(events: Any, column: str) -> Any:
    """(customer_key, value): each customer's `column` on their first event."""
    import ibis

    if column not in events.columns:
        raise BindingError(
            f"the events have no column '{column}' to split by "
            f"({did_you_mean(column, list(events.columns), 'none is close')})"
        )
    order = ibis.window(group_by=events.customer_key, order_by=[events.ts, events.source_row])
    first = events.mutate(_n=ibis.row_number().over(order))
    first = first.filter(first._n == 0)
    return first.select("customer_key", value=first[column].cast("string"))


def funnel_by(
    entries: Any,
    events: Any,
    journey: Journey,
    column: str,
    window_ms: int = 30 * DAY_MS,
    limit: int = 12,
) -> dict[str, list[FunnelStep]]:
    """The stage funnel for each value of a customer attribute (say persona, device, country),
    most common values first."""
    return funnel_for_groups(entries, customer_attribute(events, column), journey, window_ms, limit)


def funnel_for_groups(
    entries: Any, groups: Any, journey: Journey, window_ms: int = 30 * DAY_MS, limit: int = 12
) -> dict[str, list[FunnelStep]]:
    """The stage funnel for each group of a (customer_key, value) table (personas, a customer
    table's attribute), the largest groups first."""
    counts = groups.group_by("value").aggregate(n=groups.count())
    top = counts.order_by([counts.n.desc(), counts.value]).limit(limit).to_pyarrow().to_pylist()
    out = {}
    for row in top:
        who = groups.filter(groups.value == row["value"]).select("customer_key")
        out[str(row["value"])] = funnel(entries.semi_join(who, "customer_key"), journey, window_ms)
    return out


@dataclass(frozen=True)
class PeriodChange:
    stage: str
    before_customers: int
    before_rate: float | None  # conversion from the previous stage
    after_customers: int
    after_rate: float | None
    p_value: float | None  # two-proportion z-test on the two rates


def compare_periods(
    entries: Any,
    journey: Journey,
    before: tuple[int, int],
    after: tuple[int, int],
    window_ms: int = 30 * DAY_MS,
) -> list[PeriodChange]:
    """The funnel of the customers who entered the first stage in one period, against another's;
    each stage's conversion change gets a two-sided p-value (two-proportion z-test)."""
    first = journey.live_stages()[0].id if journey.live_stages() else None
    starts = (
        entries.filter(entries.stage == first)
        .group_by("customer_key")
        .aggregate(t=entries.ts.min())
    )

    def cohort(period: tuple[int, int]) -> list[FunnelStep]:
        who = starts.filter((starts.t >= period[0]) & (starts.t < period[1]))
        return funnel(
            entries.semi_join(who.select("customer_key"), "customer_key"), journey, window_ms
        )

    out = []
    a_steps, b_steps = cohort(before), cohort(after)
    for i, (a, b) in enumerate(zip(a_steps, b_steps, strict=True)):
        p = None
        if i > 0 and a.conversion is not None and b.conversion is not None:
            p = _two_proportion_p(
                a.customers, a_steps[i - 1].customers, b.customers, b_steps[i - 1].customers
            )
        out.append(PeriodChange(a.stage, a.customers, a.conversion, b.customers, b.conversion, p))
    return out


def _two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float | None:
    import math

    if n1 == 0 or n2 == 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / spread
    return math.erfc(abs(z) / math.sqrt(2))
