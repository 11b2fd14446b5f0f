"""One interface for measuring a map, and the results every plan hands back.

A plan counts; this module turns its counts into the measures people read. There are two
plans: the NumPy plan on the local store (`store_measures.StorePlan`), which relies on the
store's order, and the Ibis plan on any other backend (`measures.IbisPlan`: DuckDB, Spark).
Both give `Tallies`, and `assemble` makes the rates, shares, orderings and top lists from them,
so those are computed once, the same way, whatever counted. The definitions are in
docs/analytics.md; the contract suite holds every plan to a plain-SQL reference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..domain.cards import TouchpointCard
from ..domain.model import Journey

DAY_MS = 86_400_000
PATH_STEPS = 20  # a path longer than this is cut, and ends in "…"
WindowFrom = Literal["first", "previous"]


@dataclass(frozen=True)
class MeasureOptions:
    """How the funnel is measured, and how much of each list to keep."""

    window_ms: int = 30 * DAY_MS
    window_from: WindowFrom = "first"  # the window runs from the first stage, or the one before
    reentry: bool = False  # a later entry into the first stage may start the customer again
    paths: int = 10  # top paths kept (0: all)

    @classmethod
    def for_journey(cls, journey: Journey, **given: Any) -> MeasureOptions:
        """The journey's own `funnel:` settings, with whatever the caller gives (not None)
        put over them: a command-line option beats the file."""
        settings = journey.funnel
        base: dict[str, Any] = {}
        if settings is not None:
            base = {
                "window_ms": settings.window.ms(),
                "window_from": settings.window.from_.value,
                "reentry": settings.reentry,
            }
        return cls(**(base | {k: v for k, v in given.items() if v is not None}))


@dataclass(frozen=True)
class Reach:
    id: str
    customers: int
    events: int


@dataclass(frozen=True)
class FunnelStep:
    stage: str
    customers: int
    conversion: float | None  # from the previous stage
    overall: float | None  # from the first stage
    median_ms: float | None  # time from the previous stage
    p90_ms: float | None


@dataclass(frozen=True)
class Transition:
    source: str  # the touchpoint before
    target: str  # the touchpoint after
    count: int
    share: float | None  # of all transitions out of `source` (None: hidden, see privacy.py)
    median_gap_ms: float | None


@dataclass(frozen=True)
class Path:
    touchpoints: tuple[str, ...]
    customers: int


@dataclass(frozen=True)
class DropOff:
    touchpoint: str  # the last touchpoint a leaver touched before their window closed
    leavers: int
    share: float | None  # of all leavers (None: hidden, see privacy.py)


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


@dataclass
class Tallies:
    """What a plan counts, keyed by ids; `assemble` makes the measures from it."""

    reach: dict[str, tuple[int, int]]  # touchpoint -> (customers, events)
    stage_reach: dict[str, tuple[int, int]]  # stage -> (customers, events)
    funnel: list[tuple[int, float | None, float | None]]  # per live stage: (n, median, p90)
    transitions: dict[tuple[str, str], tuple[int, float]]  # (from, to) -> (count, median gap)
    paths: Counter[tuple[tuple[str, ...], bool]] = field(default_factory=Counter)  # (trail, cut)
    leavers: dict[str, int] = field(default_factory=dict)  # touchpoint -> customers


class Plan(Protocol):
    """Measures a journey on one set of events."""

    def tallies(self, journey: Journey, options: MeasureOptions) -> Tallies: ...


def bound_touchpoints(journey: Journey) -> list[str]:
    """The ids of the touchpoints bound to events, in map order."""
    return [
        c.id for c in journey.live_cards() if isinstance(c, TouchpointCard) and c.events is not None
    ]


def measure(plan: Plan, journey: Journey, options: MeasureOptions | None = None) -> Measures:
    return assemble(plan.tallies(journey, options or MeasureOptions()), journey, options)


def assemble(tallies: Tallies, journey: Journey, options: MeasureOptions | None = None) -> Measures:
    """The measures from a plan's counts: map order, rates, shares, sorted lists, top paths."""
    options = options or MeasureOptions()
    stages = [s.id for s in journey.live_stages()]
    return Measures(
        touchpoints=[Reach(t, *tallies.reach.get(t, (0, 0))) for t in bound_touchpoints(journey)],
        stages=[Reach(s, *tallies.stage_reach.get(s, (0, 0))) for s in stages],
        funnel=_funnel(stages, tallies.funnel),
        transitions=_transitions(tallies.transitions),
        paths=_top_paths(tallies.paths, options.paths),
        drop_off=_drop_off(tallies.leavers),
    )


def _funnel(
    stages: list[str], counts: list[tuple[int, float | None, float | None]]
) -> list[FunnelStep]:
    steps: list[FunnelStep] = []
    for stage, (count, median, p90) in zip(stages, counts, strict=True):
        before = steps[-1].customers if steps else None
        first = steps[0].customers if steps else count
        steps.append(
            FunnelStep(
                stage,
                count,
                conversion=None if before is None else (count / before if before else 0.0),
                overall=count / first if first else None,
                median_ms=None if median is None else float(median),
                p90_ms=None if p90 is None else float(p90),
            )
        )
    return steps


def _transitions(pairs: dict[tuple[str, str], tuple[int, float]]) -> list[Transition]:
    """Grouped by the touchpoint before (in id order), most frequent first, then by id."""
    out_of: Counter[str] = Counter()
    for (source, _), (count, _) in pairs.items():
        out_of[source] += count
    rows = sorted(pairs.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1]))
    return [
        Transition(source, target, count, count / out_of[source], float(gap))
        for (source, target), (count, gap) in rows
    ]


def path_order(path: Path) -> tuple[int, str]:
    """Most customers first; a tie by the path's ids, compared as text."""
    return (-path.customers, "\x1f".join(path.touchpoints))


def _top_paths(counts: Counter[tuple[tuple[str, ...], bool]], n: int) -> list[Path]:
    paths = [
        Path((*trail, "…") if cut else trail, customers)
        for (trail, cut), customers in counts.items()
    ]
    paths.sort(key=path_order)
    return paths[:n] if n else paths


def _drop_off(leavers: dict[str, int]) -> list[DropOff]:
    total = sum(leavers.values())
    rows = sorted(((t, n) for t, n in leavers.items() if n), key=lambda r: (-r[1], r[0]))
    return [DropOff(t, count, count / total) for t, count in rows]
