"""Small counts stay private: a figure from fewer customers than the minimum is shown only as
"<N", and so is everything computed from it (its rates, shares and times), so that a shared map
never points at a handful of people.

This hides each small figure and what derives from it; it does not stop every subtraction across
tables (say, a total minus its visible parts). Share measured maps of large populations only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # (cohorts reaches Ibis's side of the analytics, which `analyze` needs not)
    from .cohorts import PeriodChange
from .plan import DropOff, FunnelStep, Measures, Transition

T = TypeVar("T")


def small(n: int | None, minimum: int) -> bool:
    return n is not None and 0 < n < minimum


def funnel(steps: list[FunnelStep], minimum: int) -> list[FunnelStep]:
    out = []
    for i, f in enumerate(steps):
        hidden = small(f.customers, minimum)
        before_hidden = i > 0 and small(steps[i - 1].customers, minimum)
        out.append(
            replace(
                f,
                conversion=None if hidden or before_hidden else f.conversion,
                overall=None if hidden or small(steps[0].customers, minimum) else f.overall,
                median_ms=None if hidden or before_hidden else f.median_ms,
                p90_ms=None if hidden or before_hidden else f.p90_ms,
            )
        )
    return out


def transitions(moves: list[Transition], minimum: int) -> list[Transition]:
    return [
        replace(t, share=None, median_gap_ms=None) if small(t.count, minimum) else t for t in moves
    ]


def drop_off(leaving: list[DropOff], minimum: int) -> list[DropOff]:
    return [replace(d, share=None) if small(d.leavers, minimum) else d for d in leaving]


def periods(changes: list[PeriodChange], minimum: int) -> list[PeriodChange]:
    out = []
    for c in changes:
        hidden = small(c.before_customers, minimum) or small(c.after_customers, minimum)
        out.append(
            replace(
                c,
                before_rate=None if hidden else c.before_rate,
                after_rate=None if hidden else c.after_rate,
                p_value=None if hidden else c.p_value,
            )
        )
    return out


def measures(found: Measures, minimum: int) -> Measures:
    return replace(
        found,
        funnel=funnel(found.funnel, minimum),
        transitions=transitions(found.transitions, minimum),
        drop_off=drop_off(found.drop_off, minimum),
    )


def split(by_value: dict[str, list[FunnelStep]], minimum: int) -> dict[str, Any]:
    return {k: funnel(v, minimum) for k, v in by_value.items()}
