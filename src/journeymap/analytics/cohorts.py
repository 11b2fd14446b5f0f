"""Cohorts: visits (sessions), the funnel split by a customer attribute or persona, and two
periods' funnels compared. Ibis, on any backend; the funnel is `measures.funnel`'s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.model import Journey
from ..domain.suggest import did_you_mean
from .errors import BindingError
from .measures import funnel
from .plan import FunnelStep, MeasureOptions


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
    window_ms: int | None = None,
    limit: int = 12,
    options: MeasureOptions | None = None,
) -> dict[str, list[FunnelStep]]:
    """The stage funnel for each value of a customer attribute (say persona, device, country),
    most common values first."""
    groups = customer_attribute(events, column)
    return funnel_for_groups(entries, groups, journey, window_ms, limit, options)


def funnel_for_groups(
    entries: Any,
    groups: Any,
    journey: Journey,
    window_ms: int | None = None,
    limit: int = 12,
    options: MeasureOptions | None = None,
) -> dict[str, list[FunnelStep]]:
    """The stage funnel for each group of a (customer_key, value) table (personas, a customer
    table's attribute), the largest groups first."""
    counts = groups.group_by("value").aggregate(n=groups.count())
    top = counts.order_by([counts.n.desc(), counts.value]).limit(limit).to_pyarrow().to_pylist()
    out = {}
    for row in top:
        who = groups.filter(groups.value == row["value"]).select("customer_key")
        group = entries.semi_join(who, "customer_key")
        out[str(row["value"])] = funnel(group, journey, window_ms, options)
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
    window_ms: int | None = None,
    options: MeasureOptions | None = None,
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
        group = entries.semi_join(who.select("customer_key"), "customer_key")
        return funnel(group, journey, window_ms, options)

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
